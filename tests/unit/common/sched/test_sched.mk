include $(UNIT_DIR)/common/sched/sched_world.mk
test_sched-src := $(SCHED_WORLD_SRC)
test_sched-cppflags := $(SCHED_WORLD_CPPFLAGS)
$(O)/unit/common/sched/test_sched: $(SCHED_WORLD_DEPS)
