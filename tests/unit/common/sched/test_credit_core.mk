# The credit scheduler through the real scheduling core (sched_ops_env.h).
include $(UNIT_DIR)/common/sched/sched_world.mk
test_credit_core-src := $(SCHED_WORLD_SRC)
test_credit_core-cppflags := $(SCHED_WORLD_CPPFLAGS)
$(O)/unit/common/sched/test_credit_core: $(SCHED_WORLD_DEPS)
