# sched_move_vcpu against the switch away (sched_context_saved) on two
# host threads: the real scheduler, fake CPUs per thread.
test_sched_move_race-src := common/sched/sched.c common/sched/current.c common/core/smp.c common/core/softirq.c common/core/timer.c \
	common/sched/sched_params.c common/boot/cmdline.c common/memory/xmalloc.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/bootmem.c
test_sched_move_race-cppflags := -Wl,-T,$(UNIT_DIR)/common/sched_test_include/params.lds -pthread
$(O)/unit/common/sched/test_sched_move_race: $(UNIT_DIR)/common/sched_test_include/params.lds
$(O)/unit/common/sched/test_sched_move_race: $(UNIT_DIR)/common/heap_env.h
$(O)/unit/common/sched/test_sched_move_race: $(UNIT_DIR)/common/sched/sched_env.h
