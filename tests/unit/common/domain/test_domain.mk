# Domain creation, RAM and the 'q' key through the real code under them:
# the domain table, the PV state (event channels, grant tables, PV
# console), the heap (heap_env.h) and the timers; the key through the real
# dispatch and the table the linker gathers. The scheduler and the debug
# console are the shared fakes; the arch hooks the fake arch's.
test_domain-src := common/domain/domain.c common/domain/domain_ref.c common/domain/domain_pause.c \
	common/domain/domain_notify.c common/domain/domain_pv.c \
	common/domain/shared_info.c common/domain/wallclock.c common/console/keyhandler.c \
	common/event/evtchn.c common/event/evtchn_port.c common/event/evtchn_ops.c common/event/evtchn_xen.c \
	common/event/evtchn_2l.c common/event/evtchn_fifo.c common/event/evtchn_abi.c common/event/evtchn_domain.c \
	common/grant/gnttab.c common/grant/gnttab_map.c common/grant/gnttab_copy.c \
	common/memory/memory_op.c common/memory/memory_reservation.c common/domain/guest_ram.c common/memory/foreign_map.c \
	common/memory/memory_resource.c common/memory/pv_mem.c common/memory/guest_access.c \
	common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/xmalloc.c \
	common/console/console_io.c common/console/guest_console.c common/console/ratelimit.c \
	common/core/timer.c common/sched/watchdog.c common/core/softirq.c common/lib/rangeset.c \
	../tests/unit/common/fake_sched.c ../tests/unit/common/fake_console_api.c
# The private headers of common/domain/ and common/event/ (the port limit).
test_domain-cppflags := -I$(HYP)/common/domain \
	-I$(HYP)/common/event -Wl,-T,$(UNIT_DIR)/common/image_tables.lds
$(O)/unit/common/domain/test_domain: $(UNIT_DIR)/common/heap_env.h \
	$(UNIT_DIR)/common/fake_sched.h $(UNIT_DIR)/common/fake_console_api.h \
	$(UNIT_DIR)/common/image_tables.lds
# The shutdown a watchdog expiry asks for: the shared fake.
test_domain-src += ../tests/unit/common/fake_shutdown.c
$(O)/unit/common/domain/test_domain: $(UNIT_DIR)/common/fake_shutdown.h
# IOREQ servers: none (the shared fake).
test_domain-src += ../tests/unit/common/fake_ioreq.c
