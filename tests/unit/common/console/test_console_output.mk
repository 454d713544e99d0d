# The console's output side alone: printk, the ring, the physical driver
# and panic(); the input side is linked because console.c's callers need
# it, the debug keys are the shared fake's.
test_console_output-src := common/console/console.c common/console/console_input.c common/core/timer.c common/core/softirq.c \
	common/lib/vsnprintf.c ../tests/unit/common/fake_console_api.c
$(O)/unit/common/console/test_console_output: $(UNIT_DIR)/common/fake_console_api.h
