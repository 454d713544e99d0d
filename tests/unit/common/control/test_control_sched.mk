include $(UNIT_DIR)/common/control/control.mk
test_control_sched-src := $(CONTROL_TEST_SRC)
test_control_sched-cppflags := $(CONTROL_TEST_CPPFLAGS)
$(O)/unit/common/control/test_control_sched: $(CONTROL_TEST_DEPS)
