# Reserved ranges and the hold on a domain until they are claimed
# (ioreq_reserve.c), with the real servers, pauses, event channels,
# rangesets and heap of test_ioreq; evtchn_env.c's three domains.
test_ioreq_reserve-src := common/ioreq/dm_op.c common/ioreq/ioreq_server.c common/ioreq/ioreq_send.c common/ioreq/ioreq_reserve.c common/domain/domain_pause.c \
	common/lib/rangeset.c \
	common/event/evtchn.c common/event/evtchn_port.c common/event/evtchn_ops.c \
	common/event/evtchn_xen.c common/event/evtchn_2l.c common/event/evtchn_fifo.c common/memory/guest_access.c \
	common/event/evtchn_abi.c common/event/evtchn_domain.c \
	common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/xmalloc.c \
	../tests/unit/common/fake_domains.c ../tests/unit/common/fake_sched.c \
	../tests/unit/common/fake_events_pending.c
test_ioreq_reserve-cppflags := -I$(HYP)/common/event -I$(HYP)/common/ioreq -I$(UNIT_DIR)/common
$(O)/unit/common/ioreq/test_ioreq_reserve: $(UNIT_DIR)/common/evtchn_env.c $(UNIT_DIR)/common/fake_domains.h \
	$(UNIT_DIR)/common/fake_sched.h $(UNIT_DIR)/common/fake_events_pending.h
