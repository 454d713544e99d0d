# Blobs built here; the same sources as test_bootinfo.
test_bootinfo_limits-src := common/boot/bootinfo.c common/fdt/fdt_token.c common/fdt/fdt_check.c \
	common/fdt/fdt.c common/fdt/fdt_addr.c arch/arm64/bootinfo_devices.c \
	arch/arm64/fdt_irq_gic.c
test_bootinfo_limits-cppflags := -I$(HYP)/arch/arm64/include
$(O)/unit/common/boot/test_bootinfo_limits: $(UNIT_DIR)/common/boot/bootinfo_scan.h
