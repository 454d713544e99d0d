# credit2 on four CPUs, through the real core (credit2_env.h on sched_ops_env.h).
include $(UNIT_DIR)/common/sched/sched_world.mk
test_credit2_runq-src := $(SCHED_WORLD_SRC)
test_credit2_runq-cppflags := $(SCHED_WORLD_CPPFLAGS)
$(O)/unit/common/sched/test_credit2_runq: $(SCHED_WORLD_DEPS) $(UNIT_DIR)/common/sched/credit2_env.h
