# The range checker on trees built here and scanned by the real bootinfo.c.
test_boot_ranges-src := common/boot/boot_ranges.c common/boot/bootinfo.c common/fdt/fdt_token.c \
	common/fdt/fdt_check.c common/fdt/fdt.c common/fdt/fdt_addr.c
$(O)/unit/common/boot/test_boot_ranges: $(UNIT_DIR)/common/boot/bootinfo_scan.h
