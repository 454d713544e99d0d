test_evtchn_xen-src := common/event/evtchn.c common/event/evtchn_port.c common/event/evtchn_ops.c \
	common/event/evtchn_xen.c common/event/evtchn_2l.c common/event/evtchn_fifo.c common/memory/guest_access.c \
	common/event/evtchn_abi.c common/event/evtchn_domain.c
test_evtchn_xen-cppflags := -I$(HYP)/common/event
$(O)/unit/common/event/test_evtchn_xen: $(UNIT_DIR)/common/evtchn_env.c
# The domain table: the shared fake (evtchn_env.c lists its domains).
test_evtchn_xen-src += ../tests/unit/common/fake_domains.c
$(O)/unit/common/event/test_evtchn_xen: $(UNIT_DIR)/common/fake_domains.h
# The scheduler: the shared fake.
test_evtchn_xen-src += ../tests/unit/common/fake_sched.c
$(O)/unit/common/event/test_evtchn_xen: $(UNIT_DIR)/common/fake_sched.h
# Memory: the real page allocator and xmalloc on fake RAM (evtchn_env.c).
test_evtchn_xen-src += common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/xmalloc.c
# Upcalls marked pending: the shared fake, each marking counted per vCPU
# (evtchn_env.c's marks()).
test_evtchn_xen-src += ../tests/unit/common/fake_events_pending.c
$(O)/unit/common/event/test_evtchn_xen: $(UNIT_DIR)/common/fake_events_pending.h
