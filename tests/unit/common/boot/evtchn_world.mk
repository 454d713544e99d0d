# The world the three static event channel tests share (test_dom0less_evtchn,
# _dom0 and _rebind): the rebinding after a reboot (dom0less_evtchn_rebind.c,
# evtchn_static.c) on the real event channels; the domain table, the
# scheduler and upcall marking as the shared fakes; the real page allocator
# and xmalloc on fake RAM. evtchn_env.c (included by each test) builds its
# three domains on it, evtchn_tree.h (likewise) the trees and checks.
# Each test's .mk includes this, adds its own sources and names its
# prerequisites with $(evtchn-world-deps).
evtchn-world-src := common/boot/dom0less_evtchn_rebind.c common/event/evtchn_static.c \
	common/event/evtchn.c common/event/evtchn_port.c common/event/evtchn_ops.c common/event/evtchn_xen.c \
	common/event/evtchn_2l.c common/event/evtchn_fifo.c common/event/evtchn_abi.c common/event/evtchn_domain.c \
	common/memory/guest_access.c \
	../tests/unit/common/fake_domains.c ../tests/unit/common/fake_sched.c \
	../tests/unit/common/fake_events_pending.c \
	common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/xmalloc.c
# The event channels' private header (evtchn_internal.h).
evtchn-world-cppflags := -I$(HYP)/common/event
evtchn-world-deps := $(UNIT_DIR)/common/evtchn_env.c $(UNIT_DIR)/common/boot/evtchn_tree.h \
	$(UNIT_DIR)/common/fdt_builder.h $(UNIT_DIR)/common/fake_domains.h \
	$(UNIT_DIR)/common/fake_sched.h $(UNIT_DIR)/common/fake_events_pending.h
