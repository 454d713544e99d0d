# IOREQ servers through dm_op, acquire_resource's frames and the access
# path, on the real event channels (evtchn_env.c's three domains: dom0 the
# device model, domU 1 with two vCPUs the target), the real rangesets, page
# allocator and xmalloc; the scheduler and the domain table are the shared
# fakes, the SPI lines the fake architecture's.
test_ioreq-src := common/ioreq/dm_op.c common/ioreq/ioreq_server.c common/ioreq/ioreq_send.c common/ioreq/ioreq_reserve.c common/domain/domain_pause.c \
	common/lib/rangeset.c \
	common/event/evtchn.c common/event/evtchn_port.c common/event/evtchn_ops.c \
	common/event/evtchn_xen.c common/event/evtchn_2l.c common/event/evtchn_fifo.c common/memory/guest_access.c \
	common/event/evtchn_abi.c common/event/evtchn_domain.c \
	common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/xmalloc.c \
	../tests/unit/common/fake_domains.c ../tests/unit/common/fake_sched.c \
	../tests/unit/common/fake_events_pending.c
test_ioreq-cppflags := -I$(HYP)/common/event -I$(HYP)/common/ioreq -I$(UNIT_DIR)/common
$(O)/unit/common/ioreq/test_ioreq: $(UNIT_DIR)/common/evtchn_env.c $(UNIT_DIR)/common/fake_domains.h \
	$(UNIT_DIR)/common/fake_sched.h $(UNIT_DIR)/common/fake_events_pending.h
