# credit2 on one CPU through the real scheduling core (credit2_env.h).
credit2-src := common/sched/credit2.c common/sched/credit2_queue.c common/sched/credit2_runq.c \
	common/sched/credit2_balance.c common/sched/credit2_cap.c common/sched/credit2_params.c
credit2-env-src := common/sched/sched.c common/sched/sched_pool.c common/sched/sched_registry.c \
	common/sched/current.c common/sched/sched_params.c common/core/smp.c common/core/softirq.c \
	common/core/timer.c common/boot/cmdline.c common/memory/xmalloc.c common/memory/page_alloc.c \
	common/memory/alloc_count.c common/memory/bootmem.c ../tests/unit/common/fake_domains.c
test_credit2-src := $(credit2-src) $(credit2-env-src)
# The PARAM table the hypervisor's linker script would build: the tests
# set credit2's options through the command-line parser.
test_credit2-cppflags := -Wl,-T,$(UNIT_DIR)/common/sched_test_include/params.lds
$(O)/unit/common/sched/test_credit2: $(UNIT_DIR)/common/sched_test_include/params.lds
$(O)/unit/common/sched/test_credit2: $(UNIT_DIR)/common/heap_env.h
$(O)/unit/common/sched/test_credit2: $(UNIT_DIR)/common/sched/credit2_env.h
