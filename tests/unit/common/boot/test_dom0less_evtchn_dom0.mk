# dom0's ends of static event channels (/chosen's own xen,evtchn-v1 nodes,
# dom0less_evtchn.c) on the real event channels and device-tree reader,
# with evtchn_env.c's three hand-built domains.
test_dom0less_evtchn_dom0-src := common/boot/dom0less_evtchn.c common/boot/dom0less_evtchn_rebind.c common/event/evtchn_static.c \
	common/event/evtchn.c common/event/evtchn_port.c common/event/evtchn_ops.c common/event/evtchn_xen.c \
	common/event/evtchn_2l.c common/event/evtchn_fifo.c common/event/evtchn_abi.c common/event/evtchn_domain.c \
	common/memory/guest_access.c \
	common/fdt/fdt.c common/fdt/fdt_token.c common/fdt/fdt_check.c common/fdt/fdt_addr.c
test_dom0less_evtchn_dom0-cppflags := -I$(HYP)/common/event
$(O)/unit/common/boot/test_dom0less_evtchn_dom0: $(UNIT_DIR)/common/evtchn_env.c $(UNIT_DIR)/common/fdt_builder.h
# The domain table, the scheduler and upcall marking: the shared fakes.
test_dom0less_evtchn_dom0-src += ../tests/unit/common/fake_domains.c ../tests/unit/common/fake_sched.c \
	../tests/unit/common/fake_events_pending.c
$(O)/unit/common/boot/test_dom0less_evtchn_dom0: $(UNIT_DIR)/common/fake_domains.h \
	$(UNIT_DIR)/common/fake_sched.h $(UNIT_DIR)/common/fake_events_pending.h
# Memory: the real page allocator and xmalloc on fake RAM (evtchn_env.c).
test_dom0less_evtchn_dom0-src += common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/xmalloc.c
