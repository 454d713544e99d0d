# The console's command-line options through the real command-line parser
# and console, with the option table the linker gathers as the
# hypervisor's does; the debug keys are the shared fake's.
test_console_params-src := common/console/console_params.c common/boot/cmdline.c \
	common/console/console.c common/console/console_input.c common/core/timer.c common/core/softirq.c common/lib/vsnprintf.c \
	../tests/unit/common/fake_console_api.c
test_console_params-cppflags := -Wl,-T,$(UNIT_DIR)/common/image_tables.lds
$(O)/unit/common/console/test_console_params: $(UNIT_DIR)/common/image_tables.lds \
	$(UNIT_DIR)/common/fake_console_api.h
