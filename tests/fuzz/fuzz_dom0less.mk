# The dom0less configuration: the boot scan of /chosen and its modules and
# the xen,domain parser, over trees written by the hypervisor's fdt writer
# from fuzzed fields (and raw blobs).
fuzz_dom0less-src := common/boot/dom0less_config.c common/boot/dom0less_virtio.c common/boot/static_mem.c common/boot/boot_ranges.c common/boot/bootinfo.c \
	common/fdt/fdt_token.c common/fdt/fdt_check.c common/fdt/fdt.c common/fdt/fdt_addr.c \
	common/fdt/fdt_write.c common/boot/static_shm.c common/boot/static_shm_domain.c \
	common/domain/guest_ram.c
fuzz_dom0less-dict := $(SRCDIR)/tests/fuzz/fdt.dict
fuzz_dom0less-maxlen := 4096
