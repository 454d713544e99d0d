test_dom0_fdt-src := arch/arm64/dom0_fdt.c arch/arm64/fdt_irq_gic.c \
	arch/arm64/bootinfo_devices.c common/fdt/fdt_token.c common/fdt/fdt_check.c \
	common/fdt/fdt.c common/fdt/fdt_addr.c common/fdt/fdt_write.c common/boot/bootinfo.c \
	common/lib/rangeset.c
test_dom0_fdt-cppflags := -I$(HYP)/arch/arm64/include -I$(UNIT_DIR)/common
