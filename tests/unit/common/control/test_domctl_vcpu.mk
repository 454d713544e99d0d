include $(UNIT_DIR)/common/control/control.mk
test_domctl_vcpu-src := $(CONTROL_TEST_SRC)
test_domctl_vcpu-cppflags := $(CONTROL_TEST_CPPFLAGS)
$(O)/unit/common/control/test_domctl_vcpu: $(CONTROL_TEST_DEPS)
