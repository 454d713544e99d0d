include $(UNIT_DIR)/common/sched/sched_world.mk
test_sched_pool-src := $(SCHED_WORLD_SRC)
test_sched_pool-cppflags := $(SCHED_WORLD_CPPFLAGS)
$(O)/unit/common/sched/test_sched_pool: $(SCHED_WORLD_DEPS)
