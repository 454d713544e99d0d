# AArch64. Paths are relative to hypervisor/. head.S must stay first: it
# holds the Image header the linker script places at the start.
hyp-src-y += arch/arm64/head.S
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
hyp-src-y += arch/arm64/p2m.c
hyp-src-y += arch/arm64/p2m_hw.c
hyp-src-y += arch/arm64/vmid.c
hyp-src-y += arch/arm64/fpsimd.S
hyp-src-y += arch/arm64/context.c
hyp-src-y += arch/arm64/vcpu_sysregs.c
hyp-src-y += arch/arm64/domain.c
hyp-src-y += arch/arm64/domain_control.c
hyp-src-y += arch/arm64/mmio.c
hyp-src-y += arch/arm64/inject.c
hyp-src-y += arch/arm64/trap_guest.c
hyp-src-y += arch/arm64/trap_wfx.c
hyp-src-y += arch/arm64/trap_hvc.c
hyp-src-y += arch/arm64/trap_sysreg.c
hyp-src-y += arch/arm64/trap_dabt.c
hyp-src-y += arch/arm64/vsmccc.c
hyp-src-y += arch/arm64/vtimer.c
hyp-src-y += arch/arm64/vpl011.c arch/arm64/vpl011_ring.c
# Speculation mitigations: the decisions (host-tested), then the hardware.
hyp-src-y += arch/arm64/spectre_policy.c
hyp-src-y += arch/arm64/spectre.c
# Virtual GICv3 (arch/arm64/vgic/): vgic_lr.c alone touches ICH_* registers.
hyp-src-y += arch/arm64/vgic/vgic.c
hyp-src-y += arch/arm64/vgic/vgic_flush.c
hyp-src-y += arch/arm64/vgic/vgic_regs.c
hyp-src-y += arch/arm64/vgic/vgic_v3_dist.c
hyp-src-y += arch/arm64/vgic/vgic_v3_redist.c
hyp-src-y += arch/arm64/vgic/vgic_sgi.c
hyp-src-y += arch/arm64/vgic/vgic_lr.c
hyp-src-y += arch/arm64/dom0_fdt.c
hyp-src-y += arch/arm64/dom0_build.c
hyp-src-y += arch/arm64/guest_access.c
hyp-src-y += arch/arm64/evtchn_upcall.c
hyp-src-y += arch/arm64/clear_memory.c
