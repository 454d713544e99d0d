test_bootinfo_devices-src := arch/arm64/bootinfo_devices.c arch/arm64/fdt_irq_gic.c \
	common/bootinfo.c common/fdt.c common/fdt_addr.c
test_bootinfo_devices-cppflags := -I$(UNIT_DIR)/common
