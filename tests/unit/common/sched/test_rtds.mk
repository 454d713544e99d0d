include $(UNIT_DIR)/common/sched/rtds.mk
test_rtds-src := $(RTDS_TEST_SRC)
test_rtds-cppflags := $(SCHED_WORLD_CPPFLAGS)
$(O)/unit/common/sched/test_rtds: $(RTDS_TEST_DEPS)
