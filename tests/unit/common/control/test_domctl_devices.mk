include $(UNIT_DIR)/common/control/control.mk
test_domctl_devices-src := $(CONTROL_TEST_SRC)
test_domctl_devices-cppflags := $(CONTROL_TEST_CPPFLAGS)
$(O)/unit/common/control/test_domctl_devices: $(CONTROL_TEST_DEPS)
