# An integration test over real boards' trees (QEMU virt), so it links the
# arm64 hooks that read their GICv3, timer, PSCI and interrupts; the
# malformed Arm devices are tested in arch/arm64/test_bootinfo_devices.
test_bootinfo-src := common/boot/bootinfo.c common/fdt/fdt_token.c common/fdt/fdt_check.c \
	common/fdt/fdt.c common/fdt/fdt_addr.c arch/arm64/bootinfo_devices.c \
	arch/arm64/fdt_irq_gic.c
test_bootinfo-cppflags := -I$(HYP)/arch/arm64/include
$(O)/unit/common/boot/test_bootinfo: $(UNIT_DIR)/common/boot/bootinfo_scan.h
