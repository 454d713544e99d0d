include $(UNIT_DIR)/common/control/control.mk
test_sysctl_console-src := $(CONTROL_TEST_SRC)
test_sysctl_console-cppflags := $(CONTROL_TEST_CPPFLAGS)
$(O)/unit/common/control/test_sysctl_console: $(CONTROL_TEST_DEPS)
