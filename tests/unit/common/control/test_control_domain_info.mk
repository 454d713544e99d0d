include $(UNIT_DIR)/common/control/control.mk
test_control_domain_info-src := $(CONTROL_TEST_SRC)
test_control_domain_info-cppflags := $(CONTROL_TEST_CPPFLAGS)
$(O)/unit/common/control/test_control_domain_info: $(CONTROL_TEST_DEPS)
