# The scan reads GICv3, timer and UART interrupts through fdt_irq(), so the
# real GIC decoder replaces the host's fake one.
test_bootinfo-src := common/bootinfo.c common/fdt.c common/fdt_addr.c arch/arm64/fdt_irq_gic.c
