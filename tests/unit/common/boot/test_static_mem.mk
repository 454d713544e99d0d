# xen,static-mem read, checked and laid out, on trees built here, with the
# real module range checker it builds on and the static shared memory
# scan whose regions the banks are checked against.
test_static_mem-src := common/boot/static_mem.c common/boot/static_shm.c common/boot/boot_ranges.c common/boot/bootinfo.c \
	common/fdt/fdt_token.c common/fdt/fdt_check.c common/fdt/fdt.c common/fdt/fdt_addr.c
$(O)/unit/common/boot/test_static_mem: $(UNIT_DIR)/common/fdt_builder.h
