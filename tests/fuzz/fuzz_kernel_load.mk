# The kernel, device-tree and ramdisk placement: the guest RAM layout over
# arm64's banks, the arm64 Image loader and the module placement, with the
# copy into guest RAM (domain.c and what it links, as test_domain does).
fuzz_kernel_load-src := arch/arm64/kernel_image.c arch/arm64/guest_ram_banks.c common/domain/guest_ram.c \
	common/domain/domain.c common/domain/domain_ref.c common/domain/domain_pause.c \
	common/domain/domain_notify.c common/domain/domain_pv.c \
	common/domain/shared_info.c common/domain/wallclock.c \
	common/event/evtchn.c common/event/evtchn_port.c common/event/evtchn_ops.c common/event/evtchn_xen.c \
	common/event/evtchn_2l.c common/event/evtchn_fifo.c common/event/evtchn_abi.c common/event/evtchn_domain.c \
	common/grant/gnttab.c common/grant/gnttab_map.c common/grant/gnttab_copy.c \
	common/memory/memory_op.c common/memory/memory_reservation.c common/memory/foreign_map.c \
	common/memory/memory_resource.c common/memory/pv_mem.c common/memory/guest_access.c \
	common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/xmalloc.c \
	common/console/console_io.c common/console/guest_console.c common/console/ratelimit.c \
	common/core/timer.c common/sched/watchdog.c common/core/softirq.c common/lib/rangeset.c \
	../tests/unit/common/fake_sched.c ../tests/unit/common/fake_console_api.c \
	../tests/unit/common/fake_ioreq.c
fuzz_kernel_load-cppflags := -I$(HYP)/common/domain -I$(HYP)/common/event
fuzz_kernel_load-maxlen := 512
