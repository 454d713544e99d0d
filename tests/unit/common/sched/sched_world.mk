# The scheduling core with every scheduler the registry names
# (common/sched/sched_registry.c), as the tests that drive the real core
# link it, and what they depend on. A scheduler added to the registry is
# added here too.
SCHED_WORLD_SRC := common/sched/sched.c common/sched/sched_pool.c common/sched/sched_registry.c \
	common/sched/sched_wfq.c common/sched/rtds.c common/sched/rtds_adjust.c \
	common/sched/current.c common/sched/sched_params.c common/memory/guest_access.c \
	common/core/smp.c common/core/softirq.c common/core/timer.c common/boot/cmdline.c \
	common/memory/xmalloc.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/bootmem.c
# Applied when a test links: the PARAM table the hypervisor's linker
# script would build, for sched=.
SCHED_WORLD_CPPFLAGS := -Wl,-T,$(UNIT_DIR)/common/sched_test_include/params.lds
SCHED_WORLD_DEPS := $(UNIT_DIR)/common/sched_test_include/params.lds $(UNIT_DIR)/common/heap_env.h \
	$(UNIT_DIR)/common/sched/sched_env.h $(UNIT_DIR)/common/sched/sched_ops_env.h \
	$(UNIT_DIR)/common/sched/sched_world.mk $(HYP)/common/sched/rtds.h
