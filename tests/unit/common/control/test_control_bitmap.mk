include $(UNIT_DIR)/common/control/control.mk
test_control_bitmap-src := $(CONTROL_TEST_SRC)
test_control_bitmap-cppflags := $(CONTROL_TEST_CPPFLAGS)
$(O)/unit/common/control/test_control_bitmap: $(CONTROL_TEST_DEPS)
