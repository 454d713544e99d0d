include $(UNIT_DIR)/common/control/control.mk
test_sysctl_physinfo-src := $(CONTROL_TEST_SRC)
test_sysctl_physinfo-cppflags := $(CONTROL_TEST_CPPFLAGS)
$(O)/unit/common/control/test_sysctl_physinfo: $(CONTROL_TEST_DEPS)
