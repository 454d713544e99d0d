test_sched_toolstack-src := common/sched/sched.c common/sched/current.c common/core/smp.c common/core/softirq.c common/core/timer.c \
	common/sched/sched_params.c common/boot/cmdline.c common/memory/xmalloc.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/bootmem.c
# Applied when the test links: the PARAM table the hypervisor's linker
# script would build, for sched=null.
test_sched_toolstack-cppflags := -Wl,-T,$(UNIT_DIR)/common/sched_test_include/params.lds
$(O)/unit/common/sched/test_sched_toolstack: $(UNIT_DIR)/common/sched_test_include/params.lds
$(O)/unit/common/sched/test_sched_toolstack: $(UNIT_DIR)/common/heap_env.h
$(O)/unit/common/sched/test_sched_toolstack: $(UNIT_DIR)/common/sched/sched_env.h
