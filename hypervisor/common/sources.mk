# Architecture-free core. Paths are relative to hypervisor/.
hyp-src-y += common/lib/string.c
hyp-src-y += common/lib/vsnprintf.c
hyp-src-y += common/memory/bootmem.c
hyp-src-y += common/memory/page_alloc.c
hyp-src-y += common/memory/xmalloc.c
hyp-src-y += common/memory/alloc_count.c
hyp-src-y += common/console/console.c common/console/console_input.c
hyp-src-y += common/console/keyhandler.c
hyp-src-y += common/core/softirq.c
hyp-src-y += common/core/timer.c
hyp-src-y += common/core/smp.c
hyp-src-y += common/sched/idle.c
hyp-src-y += common/memory/memory_keys.c
hyp-src-y += common/fdt/fdt_token.c common/fdt/fdt_check.c common/fdt/fdt.c
hyp-src-y += common/fdt/fdt_addr.c
hyp-src-y += common/boot/bootinfo.c common/boot/boot_ranges.c common/boot/boot_ram.c
hyp-src-y += common/boot/static_heap.c
hyp-src-y += common/boot/cmdline.c
hyp-src-y += common/console/console_params.c
hyp-src-y += common/boot/dom0_params.c
hyp-src-y += common/sched/sched_params.c
hyp-src-$(CONFIG_DEBUG) += common/console/debug_crash_key.c
hyp-src-y += common/fdt/fdt_write.c
hyp-src-y += common/boot/domain_fdt.c
hyp-src-y += common/memory/paging_pool.c
hyp-src-y += common/domain/domain.c
hyp-src-y += common/domain/domain_shutdown.c common/domain/domain_notify.c
hyp-src-y += common/sched/sched.c common/sched/sched_pool.c common/sched/sched_registry.c common/sched/current.c
hyp-src-$(CONFIG_SCHED_CREDIT2) += common/sched/credit2.c common/sched/credit2_queue.c common/sched/credit2_runq.c \
	common/sched/credit2_balance.c common/sched/credit2_cap.c common/sched/credit2_params.c
hyp-src-$(CONFIG_SCHED_CREDIT) += common/sched/credit.c common/sched/credit_acct.c common/sched/credit_ctl.c
hyp-src-$(CONFIG_SCHED_RTDS) += common/sched/rtds.c common/sched/rtds_adjust.c
hyp-src-y += common/console/guest_console.c common/console/ratelimit.c
hyp-src-y += common/boot/dom0less_config.c common/boot/static_mem.c
hyp-src-y += common/boot/dom0less_virtio.c common/boot/dom0less_virtio_dom0.c
hyp-src-y += common/boot/dom0less_build.c
hyp-src-y += common/boot/dom0less_evtchn.c common/boot/dom0less_evtchn_rebind.c common/event/evtchn_static.c
hyp-src-y += common/boot/static_shm.c common/boot/static_shm_domain.c
hyp-src-y += common/sched/cpupool.c
hyp-src-y += common/hypercall/hypercall.c common/hypercall/multicall.c common/memory/guest_access.c common/domain/domain_pv.c
hyp-src-y += common/boot/build_id.c common/hypercall/xen_version.c common/console/console_io.c common/sched/sched_op.c common/sched/watchdog.c common/domain/vcpu_op.c
hyp-src-y += common/hypercall/hvm_op.c common/hypercall/physdev_op.c common/hypercall/platform_op.c common/memory/memory_op.c
hyp-src-y += common/event/evtchn.c common/grant/gnttab.c
hyp-src-y += common/event/evtchn_port.c common/event/evtchn_ops.c common/event/evtchn_xen.c common/event/evtchn_2l.c \
	common/event/evtchn_abi.c common/event/evtchn_domain.c \
	common/event/evtchn_fifo.c common/event/evtchn_keys.c
hyp-src-y += common/domain/runstate.c common/domain/wallclock.c common/domain/shared_info.c \
	common/domain/guest_ram.c
hyp-src-y += common/grant/gnttab_map.c common/grant/gnttab_copy.c common/memory/memory_reservation.c
hyp-src-y += common/memory/foreign_map.c common/memory/memory_resource.c common/memory/pv_mem.c
hyp-src-y += common/domain/domain_ref.c
hyp-src-y += common/domain/domain_pause.c common/boot/hostinfo.c common/lib/rangeset.c
# Device models outside the hypervisor (VirtIO back ends): dm_op, IOREQ servers.
hyp-src-y += common/ioreq/dm_op.c common/ioreq/ioreq_server.c common/ioreq/ioreq_send.c common/ioreq/ioreq_reserve.c
# The toolstack's interface: sysctl and domctl, one file per subject.
hyp-src-y += common/control/sysctl.c common/control/domctl.c common/control/control_bitmap.c
hyp-src-y += common/control/control_caller.c
hyp-src-y += common/control/control_domain_info.c common/control/sysctl_physinfo.c
hyp-src-y += common/control/sysctl_console.c common/control/control_sched.c
hyp-src-y += common/control/domctl_lifecycle.c common/control/domctl_memory.c
hyp-src-y += common/control/domctl_vcpu.c common/control/domctl_devices.c
hyp-src-y += common/control/domctl_createdomain.c common/control/domctl_vcpu_context.c
hyp-src-$(CONFIG_SCHED_NULL) += common/sched/null.c
hyp-src-$(CONFIG_SCHED_ARINC653) += common/sched/arinc653.c
