# dom0less virtio-mmio device nodes read and placed (dom0less_virtio.c),
# alone and through the real xen,domain reader, on trees built here.
test_dom0less_virtio-src := common/boot/dom0less_virtio.c common/boot/dom0less_config.c \
	common/boot/static_mem.c common/boot/static_shm.c common/boot/static_shm_domain.c \
	common/boot/bootinfo.c common/boot/boot_ranges.c common/domain/guest_ram.c \
	common/fdt/fdt_token.c common/fdt/fdt_check.c common/fdt/fdt.c common/fdt/fdt_addr.c
$(O)/unit/common/boot/test_dom0less_virtio: $(UNIT_DIR)/common/fdt_builder.h
