# sched_move_vcpu against the switch away (sched_context_saved) on two
# host threads: the real scheduler, fake CPUs per thread.
include $(UNIT_DIR)/common/sched/sched_world.mk
test_sched_move_race-src := $(SCHED_WORLD_SRC)
test_sched_move_race-cppflags := $(SCHED_WORLD_CPPFLAGS) -pthread
$(O)/unit/common/sched/test_sched_move_race: $(SCHED_WORLD_DEPS)
