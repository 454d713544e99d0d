# The RAM bank checker on trees built here and scanned by the real
# bootinfo.c, with the module range checker after it.
test_boot_ram-src := common/boot/boot_ram.c common/boot/boot_ranges.c common/boot/bootinfo.c \
	common/fdt/fdt_token.c common/fdt/fdt_check.c common/fdt/fdt.c common/fdt/fdt_addr.c
$(O)/unit/common/boot/test_boot_ram: $(UNIT_DIR)/common/boot/bootinfo_scan.h
