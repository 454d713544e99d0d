include $(UNIT_DIR)/common/sched/sched_world.mk
test_sched_block-src := $(SCHED_WORLD_SRC)
test_sched_block-cppflags := $(SCHED_WORLD_CPPFLAGS)
$(O)/unit/common/sched/test_sched_block: $(SCHED_WORLD_DEPS)
