# domctl and sysctl from dom0 through the real dispatcher (which links every
# handler) with a domU beside it, on the real heap and everything the
# handlers call; the scheduler and the debug console are the shared fakes,
# the arch hooks the fake arch's.
fuzz_control-src := common/hypercall/hypercall.c common/hypercall/multicall.c \
	common/hypercall/hvm_op.c common/hypercall/physdev_op.c common/hypercall/platform_op.c \
	common/hypercall/xen_version.c common/sched/sched_op.c common/domain/vcpu_op.c \
	common/domain/runstate.c common/domain/domain_shutdown.c \
	common/control/control_bitmap.c common/control/control_caller.c common/control/control_domain_info.c \
	common/control/control_sched.c common/control/domctl.c common/control/domctl_createdomain.c \
	common/control/domctl_devices.c common/control/domctl_lifecycle.c common/control/domctl_memory.c \
	common/control/domctl_vcpu.c common/control/domctl_vcpu_context.c common/control/sysctl.c \
	common/control/sysctl_console.c common/control/sysctl_physinfo.c \
	common/domain/domain.c common/domain/domain_ref.c common/domain/domain_pause.c \
	common/domain/domain_notify.c common/domain/domain_pv.c \
	common/domain/shared_info.c common/domain/wallclock.c common/domain/guest_ram.c \
	common/event/evtchn.c common/event/evtchn_port.c common/event/evtchn_ops.c common/event/evtchn_xen.c \
	common/event/evtchn_2l.c common/event/evtchn_fifo.c common/event/evtchn_abi.c common/event/evtchn_domain.c \
	common/grant/gnttab.c common/grant/gnttab_map.c common/grant/gnttab_copy.c \
	common/memory/memory_op.c common/memory/memory_reservation.c common/memory/foreign_map.c \
	common/memory/memory_resource.c common/memory/pv_mem.c common/memory/guest_access.c \
	common/memory/bootmem.c common/memory/page_alloc.c common/memory/xmalloc.c common/memory/paging_pool.c \
	common/console/console_io.c common/console/guest_console.c common/console/ratelimit.c \
	common/sched/cpupool.c common/sched/sched_params.c \
	common/core/timer.c common/sched/watchdog.c common/core/softirq.c common/core/smp.c common/lib/rangeset.c \
	common/boot/hostinfo.c common/boot/build_id.c common/console/console.c common/lib/vsnprintf.c \
	common/boot/dom0less_build.c common/boot/dom0less_evtchn.c common/boot/static_shm.c common/boot/static_shm_domain.c common/event/evtchn_static.c common/boot/dom0less_config.c common/boot/boot_ranges.c common/boot/bootinfo.c \
	common/boot/domain_fdt.c common/fdt/fdt.c common/fdt/fdt_token.c common/fdt/fdt_check.c \
	common/fdt/fdt_addr.c common/fdt/fdt_write.c arch/arm64/kernel_image.c \
	../tests/unit/common/fake_sched.c ../tests/unit/common/fake_console_api.c
fuzz_control-cppflags := -I$(HYP)/common/domain -I$(HYP)/common/event -I$(HYP)/common/control
fuzz_control-maxlen := 4096
