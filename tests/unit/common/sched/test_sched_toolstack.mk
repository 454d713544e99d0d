include $(UNIT_DIR)/common/sched/sched_world.mk
test_sched_toolstack-src := $(SCHED_WORLD_SRC)
test_sched_toolstack-cppflags := $(SCHED_WORLD_CPPFLAGS)
$(O)/unit/common/sched/test_sched_toolstack: $(SCHED_WORLD_DEPS)
