include $(UNIT_DIR)/common/control/control.mk
test_domctl_memory-src := $(CONTROL_TEST_SRC)
test_domctl_memory-cppflags := $(CONTROL_TEST_CPPFLAGS)
$(O)/unit/common/control/test_domctl_memory: $(CONTROL_TEST_DEPS)
