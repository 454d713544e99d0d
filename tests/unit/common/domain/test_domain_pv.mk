# A domain's PV state through the real files behind it: the shared info
# page, event channels, grant tables (with the memory code they reach),
# the PV console and the wall clock, on the real heap (heap_env.h). The
# scheduler, the domain table and the console are the shared fakes.
test_domain_pv-src := common/domain/domain_pv.c common/domain/shared_info.c common/domain/wallclock.c \
	common/event/evtchn.c common/event/evtchn_port.c common/event/evtchn_ops.c common/event/evtchn_xen.c \
	common/event/evtchn_2l.c common/event/evtchn_fifo.c common/event/evtchn_abi.c common/event/evtchn_domain.c \
	common/grant/gnttab.c common/grant/gnttab_map.c common/grant/gnttab_copy.c \
	common/memory/memory_op.c common/memory/memory_reservation.c common/domain/guest_ram.c common/memory/foreign_map.c \
	common/memory/memory_resource.c common/memory/pv_mem.c common/memory/guest_access.c \
	common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/xmalloc.c \
	common/console/console_io.c common/console/guest_console.c common/console/ratelimit.c \
	../tests/unit/common/fake_domains.c ../tests/unit/common/fake_sched.c \
	../tests/unit/common/fake_console_api.c
$(O)/unit/common/domain/test_domain_pv: $(UNIT_DIR)/common/heap_env.h \
	$(UNIT_DIR)/common/fake_domains.h $(UNIT_DIR)/common/fake_sched.h \
	$(UNIT_DIR)/common/fake_console_api.h
# gnttab_resource_frames, to find a grant frame's address (pv_mem.h).
test_domain_pv-cppflags := -I$(HYP)/common/memory
# IOREQ servers: none (the shared fake).
test_domain_pv-src += ../tests/unit/common/fake_ioreq.c
