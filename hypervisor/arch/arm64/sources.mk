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
