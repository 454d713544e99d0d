# The whole Arm domU tree: the common writer with the real arm64 hooks
# (node writers, extended regions, and the GIC decoder to read the
# interrupts back).
test_domain_fdt_devices-src := arch/arm64/domain_fdt_devices.c arch/arm64/fdt_irq_gic.c \
	arch/arm64/domu_ext_regions.c arch/arm64/host_ext_regions.c common/boot/domain_fdt.c common/fdt/fdt_write.c \
	common/fdt/fdt_token.c common/fdt/fdt_check.c common/fdt/fdt.c common/fdt/fdt_addr.c
test_domain_fdt_devices-cppflags := -I$(HYP)/arch/arm64/include
