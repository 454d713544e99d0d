test_bootinfo_devices-src := arch/arm64/bootinfo_devices.c arch/arm64/fdt_irq_gic.c \
	common/boot/bootinfo.c common/fdt/fdt_token.c common/fdt/fdt_check.c common/fdt/fdt.c \
	common/fdt/fdt_addr.c
test_bootinfo_devices-cppflags := -I$(HYP)/arch/arm64/include
