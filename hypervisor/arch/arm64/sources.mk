# AArch64. Paths are relative to hypervisor/. head.S must stay first: it
# holds the Image header the linker script places at the start.
hyp-src-y += arch/arm64/head.S arch/arm64/halt.S
hyp-src-y += arch/arm64/entry.S
hyp-src-y += arch/arm64/early_boot.c
hyp-src-y += arch/arm64/setup.c
hyp-src-y += arch/arm64/cpu.c
hyp-src-y += arch/arm64/mm.c
hyp-src-y += arch/arm64/traps.c
hyp-src-y += arch/arm64/crash.c
hyp-src-y += arch/arm64/gic_v3.c
hyp-src-y += arch/arm64/time.c
hyp-src-y += arch/arm64/psci.c
hyp-src-y += arch/arm64/smp.c
hyp-src-y += arch/arm64/p2m.c arch/arm64/p2m_query.c
hyp-src-y += arch/arm64/p2m_hw.c arch/arm64/p2m_cpu_init.c
hyp-src-y += arch/arm64/vmid.c
hyp-src-y += arch/arm64/fpsimd.S
hyp-src-y += arch/arm64/context.c arch/arm64/vcpu_reset.c
hyp-src-y += arch/arm64/vcpu_sysregs.c
hyp-src-y += arch/arm64/domain.c
hyp-src-y += arch/arm64/domain_control.c arch/arm64/domain_config.c
hyp-src-y += arch/arm64/evtchn_callback.c arch/arm64/guest_ram_banks.c
hyp-src-y += arch/arm64/vcpu_context.c
hyp-src-y += arch/arm64/mmio.c arch/arm64/mmio_decode.c arch/arm64/guest_sp.c
hyp-src-y += arch/arm64/inject.c
hyp-src-y += arch/arm64/trap_guest.c
hyp-src-y += arch/arm64/trap_wfx.c
hyp-src-y += arch/arm64/trap_hvc.c
hyp-src-y += arch/arm64/trap_fast.c
hyp-src-y += arch/arm64/trap_sysreg.c
hyp-src-y += arch/arm64/trap_dabt.c arch/arm64/mmio_complete.c arch/arm64/ioreq_mmio.c arch/arm64/dm_irq.c
hyp-src-y += arch/arm64/vsmccc.c
hyp-src-y += arch/arm64/vtimer.c
hyp-src-y += arch/arm64/vpl011.c arch/arm64/vpl011_ring.c
# Speculation mitigations: the decisions (host-tested), then the hardware.
hyp-src-y += arch/arm64/spectre_policy.c
hyp-src-y += arch/arm64/spectre.c arch/arm64/spectre_guest.c
# Virtual GICv3 (arch/arm64/vgic/): vgic_lr.c alone touches ICH_* registers.
hyp-src-y += arch/arm64/vgic/vgic.c
hyp-src-y += arch/arm64/vgic/vgic_flush.c
hyp-src-y += arch/arm64/vgic/vgic_regs.c
hyp-src-y += arch/arm64/vgic/vgic_v3_dist.c
hyp-src-y += arch/arm64/vgic/vgic_v3_redist.c
hyp-src-y += arch/arm64/vgic/vgic_sgi.c
hyp-src-y += arch/arm64/vgic/vgic_lr.c
hyp-src-y += arch/arm64/fdt_irq_gic.c
hyp-src-y += arch/arm64/bootinfo_devices.c
hyp-src-y += arch/arm64/domain_fdt_devices.c arch/arm64/domu_ext_regions.c arch/arm64/host_ext_regions.c
hyp-src-y += arch/arm64/dom0_fdt.c
hyp-src-y += arch/arm64/kernel_image.c
hyp-src-y += arch/arm64/dom0less_guest.c
hyp-src-y += arch/arm64/dom0_build.c
hyp-src-y += arch/arm64/guest_access.c
hyp-src-y += arch/arm64/evtchn_upcall.c
hyp-src-y += arch/arm64/xen_version_arch.c
hyp-src-y += arch/arm64/clear_memory.c
# Routed device interrupts, last: linked after the rest, they leave the
# hypervisor's own interrupt path where it was (bench/: under TCG a
# shifted translation block boundary changes the timer figures).
hyp-src-y += arch/arm64/irq_route.c
hyp-src-y += arch/arm64/dom0_irq.c
hyp-src-y += arch/arm64/vgic/vgic_hw.c
