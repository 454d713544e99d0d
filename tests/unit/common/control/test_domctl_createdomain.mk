include $(UNIT_DIR)/common/control/control.mk
test_domctl_createdomain-src := $(CONTROL_TEST_SRC)
test_domctl_createdomain-cppflags := $(CONTROL_TEST_CPPFLAGS)
$(O)/unit/common/control/test_domctl_createdomain: $(CONTROL_TEST_DEPS)
