test_console-src := common/console/console.c common/console/console_input.c common/core/timer.c common/core/softirq.c common/lib/vsnprintf.c \
	../tests/unit/common/fake_console_api.c
$(O)/unit/common/console/test_console: $(UNIT_DIR)/common/fake_console_api.h
