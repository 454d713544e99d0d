include $(UNIT_DIR)/common/sched/rtds.mk
test_rtds_adjust-src := $(RTDS_TEST_SRC)
test_rtds_adjust-cppflags := $(SCHED_WORLD_CPPFLAGS)
$(O)/unit/common/sched/test_rtds_adjust: $(RTDS_TEST_DEPS)
