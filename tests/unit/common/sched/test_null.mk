# The null scheduler through the real core (sched_ops_env.h).
include $(UNIT_DIR)/common/sched/sched_world.mk
test_null-src := $(SCHED_WORLD_SRC)
test_null-cppflags := $(SCHED_WORLD_CPPFLAGS)
$(O)/unit/common/sched/test_null: $(SCHED_WORLD_DEPS)
