test_sched_op-src := common/sched/sched_op.c common/memory/guest_access.c common/memory/bootmem.c \
	common/memory/page_alloc.c common/memory/alloc_count.c
test_sched_op-cppflags := -I$(HYP)/arch/arm64/include
$(O)/unit/common/sched/test_sched_op: $(UNIT_DIR)/common/test_pv_hcall_env.h
# The domain table: the shared fake (test_pv_hcall_env.h lists its domains).
test_sched_op-src += ../tests/unit/common/fake_domains.c
$(O)/unit/common/sched/test_sched_op: $(UNIT_DIR)/common/fake_domains.h
# The scheduler: the shared fake.
test_sched_op-src += ../tests/unit/common/fake_sched.c
$(O)/unit/common/sched/test_sched_op: $(UNIT_DIR)/common/fake_sched.h
# Shutdowns and crashes: the shared fake.
test_sched_op-src += ../tests/unit/common/fake_shutdown.c
$(O)/unit/common/sched/test_sched_op: $(UNIT_DIR)/common/fake_shutdown.h
# The real timers.
test_sched_op-src += common/core/timer.c common/core/softirq.c
# The event channels: the shared fake.
test_sched_op-src += ../tests/unit/common/fake_evtchn.c
$(O)/unit/common/sched/test_sched_op: $(UNIT_DIR)/common/fake_evtchn.h
# SCHEDOP_watchdog's watchdogs: the real ones (test_watchdog.c tests them
# in depth; here, the hypercall's way to them).
test_sched_op-src += common/sched/watchdog.c
