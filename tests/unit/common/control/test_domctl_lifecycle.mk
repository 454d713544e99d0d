include $(UNIT_DIR)/common/control/control.mk
test_domctl_lifecycle-src := $(CONTROL_TEST_SRC)
test_domctl_lifecycle-cppflags := $(CONTROL_TEST_CPPFLAGS)
$(O)/unit/common/control/test_domctl_lifecycle: $(CONTROL_TEST_DEPS)
