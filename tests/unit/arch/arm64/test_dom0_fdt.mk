test_dom0_fdt-src := arch/arm64/dom0_fdt.c common/boot/dom0less_virtio_dom0.c arch/arm64/host_ext_regions.c common/boot/domain_fdt.c arch/arm64/fdt_irq_gic.c \
	arch/arm64/bootinfo_devices.c common/fdt/fdt_token.c common/fdt/fdt_check.c \
	common/fdt/fdt.c common/fdt/fdt_addr.c common/fdt/fdt_write.c common/boot/bootinfo.c \
	common/lib/rangeset.c
test_dom0_fdt-cppflags := -I$(HYP)/arch/arm64/include -I$(UNIT_DIR)/common
# The heap (heap_env.h) and the real stage 2, with the shared fake of its
# TLB maintenance.
test_dom0_fdt-src += common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/xmalloc.c \
	arch/arm64/p2m.c arch/arm64/p2m_query.c arch/arm64/vmid.c common/memory/paging_pool.c \
	../tests/unit/arch/arm64/fake_p2m_hw.c
$(O)/unit/arch/arm64/test_dom0_fdt: $(UNIT_DIR)/common/heap_env.h $(UNIT_DIR)/arch/arm64/fake_p2m_hw.h
