include $(UNIT_DIR)/common/control/control.mk
test_domctl_vcpu_context-src := $(CONTROL_TEST_SRC)
test_domctl_vcpu_context-cppflags := $(CONTROL_TEST_CPPFLAGS)
$(O)/unit/common/control/test_domctl_vcpu_context: $(CONTROL_TEST_DEPS)
