# The world both dom0less build tests link: the node reader, static memory
# and static shared memory, static event channels, the domU device tree,
# CPU pools, domain creation and its PV state, event channels, grant
# tables, the PV console, the heap, the timers that run the reaper, the
# arm64 Image loader, and the tests' shared set-up (dom0less_env.c).
# Included by test_dom0less_build.mk and test_dom0less_static_mem.mk.
dom0less-world-src := common/boot/dom0less_build.c common/boot/dom0less_config.c common/boot/dom0less_virtio.c common/boot/dom0less_virtio_dom0.c common/boot/static_mem.c \
	common/boot/dom0less_evtchn.c common/boot/dom0less_evtchn_rebind.c common/event/evtchn_static.c \
	common/boot/static_shm.c common/boot/static_shm_domain.c \
	common/boot/bootinfo.c common/boot/boot_ranges.c common/boot/domain_fdt.c \
	common/fdt/fdt.c common/fdt/fdt_token.c common/fdt/fdt_check.c common/fdt/fdt_addr.c common/fdt/fdt_write.c \
	common/sched/cpupool.c common/sched/sched_params.c arch/arm64/kernel_image.c \
	common/domain/domain.c common/domain/domain_ref.c common/domain/domain_pause.c \
	common/domain/domain_shutdown.c common/domain/domain_notify.c common/domain/domain_pv.c \
	common/domain/shared_info.c common/domain/wallclock.c \
	common/event/evtchn.c common/event/evtchn_port.c common/event/evtchn_ops.c common/event/evtchn_xen.c \
	common/event/evtchn_2l.c common/event/evtchn_fifo.c common/event/evtchn_abi.c common/event/evtchn_domain.c \
	common/grant/gnttab.c common/grant/gnttab_map.c common/grant/gnttab_copy.c \
	common/memory/memory_op.c common/memory/memory_reservation.c common/domain/guest_ram.c common/memory/foreign_map.c \
	common/memory/memory_resource.c common/memory/pv_mem.c common/memory/guest_access.c \
	common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/xmalloc.c common/memory/paging_pool.c \
	common/console/console_io.c common/console/guest_console.c common/console/ratelimit.c \
	common/core/timer.c common/sched/watchdog.c common/core/softirq.c common/core/smp.c common/lib/rangeset.c \
	../tests/unit/common/fake_sched.c ../tests/unit/common/fake_console_api.c \
	../tests/unit/common/boot/dom0less_env.c
# IOREQ servers: none (the shared fake).
dom0less-world-src += ../tests/unit/common/fake_ioreq.c common/ioreq/ioreq_reserve.c
