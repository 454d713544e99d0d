include $(UNIT_DIR)/common/control/control.mk
test_sysctl-src := $(CONTROL_TEST_SRC)
test_sysctl-cppflags := $(CONTROL_TEST_CPPFLAGS)
$(O)/unit/common/control/test_sysctl: $(CONTROL_TEST_DEPS)
