test_dom0_fdt-src := arch/arm64/dom0_fdt.c arch/arm64/fdt_irq_gic.c \
	arch/arm64/bootinfo_devices.c common/fdt.c common/fdt_addr.c common/fdt_write.c \
	common/bootinfo.c common/rangeset.c
test_dom0_fdt-cppflags := -I$(HYP)/arch/arm64/include -I$(UNIT_DIR)/common
