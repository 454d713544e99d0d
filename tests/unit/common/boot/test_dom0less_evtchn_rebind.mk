# Static event channels bound again after a dom0less reboot
# (dom0less_evtchn_rebind.c, evtchn_static.c) on the real event channels,
# with evtchn_env.c's three hand-built domains.
test_dom0less_evtchn_rebind-src := common/boot/dom0less_evtchn_rebind.c common/event/evtchn_static.c \
	common/event/evtchn.c common/event/evtchn_port.c common/event/evtchn_ops.c common/event/evtchn_xen.c \
	common/event/evtchn_2l.c common/event/evtchn_fifo.c common/event/evtchn_abi.c common/event/evtchn_domain.c \
	common/memory/guest_access.c
test_dom0less_evtchn_rebind-cppflags := -I$(HYP)/common/event
$(O)/unit/common/boot/test_dom0less_evtchn_rebind: $(UNIT_DIR)/common/evtchn_env.c
# The domain table, the scheduler and upcall marking: the shared fakes.
test_dom0less_evtchn_rebind-src += ../tests/unit/common/fake_domains.c ../tests/unit/common/fake_sched.c \
	../tests/unit/common/fake_events_pending.c
$(O)/unit/common/boot/test_dom0less_evtchn_rebind: $(UNIT_DIR)/common/fake_domains.h \
	$(UNIT_DIR)/common/fake_sched.h $(UNIT_DIR)/common/fake_events_pending.h
# Memory: the real page allocator and xmalloc on fake RAM (evtchn_env.c).
test_dom0less_evtchn_rebind-src += common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/xmalloc.c
