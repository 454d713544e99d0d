# The scheduling core with every scheduler the registry names
# (common/sched/sched_registry.c), as the tests that drive the real core
# link it, and what they depend on. A scheduler added to the registry is
# added here too. guest_access.c: arinc653's schedule and RTDS's per-vCPU
# parameters are read from and written to the caller's memory.
SCHED_WORLD_SRC := common/sched/sched.c common/sched/sched_pool.c common/sched/sched_registry.c \
	common/sched/credit2.c common/sched/credit2_queue.c common/sched/credit2_runq.c \
	common/sched/credit2_balance.c common/sched/credit2_cap.c common/sched/credit2_params.c \
	common/sched/null.c common/sched/arinc653.c common/sched/current.c common/sched/sched_params.c \
	common/sched/rtds.c common/sched/rtds_adjust.c \
	common/core/smp.c common/core/softirq.c common/core/timer.c common/boot/cmdline.c \
	common/memory/xmalloc.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/bootmem.c \
	common/memory/guest_access.c common/sched/credit.c common/sched/credit_acct.c common/sched/credit_ctl.c
# Applied when a test links: the PARAM table the hypervisor's linker
# script would build, for sched=.
SCHED_WORLD_CPPFLAGS := -Wl,-T,$(UNIT_DIR)/common/sched_test_include/params.lds
SCHED_WORLD_DEPS := $(UNIT_DIR)/common/sched_test_include/params.lds $(UNIT_DIR)/common/heap_env.h \
	$(UNIT_DIR)/common/sched/sched_env.h $(UNIT_DIR)/common/sched/sched_ops_env.h \
	$(UNIT_DIR)/common/sched/sched_world.mk $(HYP)/common/sched/rtds.h
