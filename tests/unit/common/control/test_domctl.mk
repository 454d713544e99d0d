include $(UNIT_DIR)/common/control/control.mk
test_domctl-src := $(CONTROL_TEST_SRC)
test_domctl-cppflags := $(CONTROL_TEST_CPPFLAGS)
$(O)/unit/common/control/test_domctl: $(CONTROL_TEST_DEPS)
