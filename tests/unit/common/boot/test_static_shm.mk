# Static shared memory nodes read and checked (static_shm.c), a domain's
# regions, their mapping and the extended regions cut around them
# (static_shm_domain.c), on trees built here; the range checker, the
# dom0less reader and the guest RAM layout are the real ones, the stage 2
# the fake arch's.
test_static_shm-src := common/boot/static_shm.c common/boot/static_shm_domain.c \
	common/boot/boot_ranges.c common/boot/bootinfo.c common/boot/dom0less_config.c common/boot/dom0less_virtio.c common/boot/static_mem.c \
	common/domain/guest_ram.c \
	common/fdt/fdt_token.c common/fdt/fdt_check.c common/fdt/fdt.c common/fdt/fdt_addr.c
$(O)/unit/common/boot/test_static_shm: $(UNIT_DIR)/common/fdt_builder.h
