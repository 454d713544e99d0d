# Blobs built here; the same sources as test_bootinfo.
test_bootinfo_modules-src := common/boot/bootinfo.c common/fdt/fdt_token.c common/fdt/fdt_check.c \
	common/fdt/fdt.c common/fdt/fdt_addr.c arch/arm64/bootinfo_devices.c \
	arch/arm64/fdt_irq_gic.c
test_bootinfo_modules-cppflags := -I$(HYP)/arch/arm64/include
$(O)/unit/common/boot/test_bootinfo_modules: $(UNIT_DIR)/common/boot/bootinfo_scan.h
