# xen,static-heap on trees built here and scanned by the real bootinfo.c,
# with the real range checker and boot allocator.
test_static_heap-src := common/boot/static_heap.c common/boot/boot_ranges.c \
	common/boot/bootinfo.c common/memory/bootmem.c common/fdt/fdt_token.c \
	common/fdt/fdt_check.c common/fdt/fdt.c common/fdt/fdt_addr.c
$(O)/unit/common/boot/test_static_heap: $(UNIT_DIR)/common/boot/bootinfo_scan.h
