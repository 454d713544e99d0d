test_dom0less_config-src := common/boot/dom0less_config.c common/boot/dom0less_virtio.c common/boot/static_mem.c common/fdt/fdt_token.c \
	common/fdt/fdt_check.c common/fdt/fdt.c common/fdt/fdt_addr.c \
	common/boot/bootinfo.c common/boot/boot_ranges.c \
	common/boot/static_shm.c common/boot/static_shm_domain.c common/domain/guest_ram.c
