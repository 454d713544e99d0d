# dom0's interrupts: the walk of its tree (dom0_fdt.c and what it links,
# as test_dom0_fdt), the decisions (dom0_irq.c) and the routing
# (irq_route.c, the vGIC) over the fake host GIC and list registers.
test_dom0_irq-src := arch/arm64/dom0_irq.c arch/arm64/irq_route.c \
	arch/arm64/dom0_fdt.c common/boot/dom0less_virtio_dom0.c arch/arm64/host_ext_regions.c \
	common/boot/domain_fdt.c arch/arm64/fdt_irq_gic.c arch/arm64/bootinfo_devices.c \
	common/fdt/fdt_token.c common/fdt/fdt_check.c common/fdt/fdt.c common/fdt/fdt_addr.c \
	common/fdt/fdt_write.c common/boot/bootinfo.c common/lib/rangeset.c \
	arch/arm64/p2m.c arch/arm64/p2m_query.c arch/arm64/vmid.c common/memory/paging_pool.c \
	arch/arm64/vgic/vgic.c arch/arm64/vgic/vgic_flush.c arch/arm64/vgic/vgic_regs.c \
	arch/arm64/vgic/vgic_v3_dist.c arch/arm64/vgic/vgic_v3_redist.c arch/arm64/vgic/vgic_sgi.c \
	arch/arm64/vgic/vgic_hw.c arch/arm64/mmio.c \
	common/memory/xmalloc.c common/memory/page_alloc.c common/memory/alloc_count.c \
	common/memory/bootmem.c \
	../tests/unit/arch/arm64/fake_p2m_hw.c ../tests/unit/arch/arm64/fake_vgic_lr.c \
	../tests/unit/arch/arm64/fake_gic_spi.c ../tests/unit/common/fake_sched.c
test_dom0_irq-cppflags := -I$(HYP)/arch/arm64/include -I$(HYP)/arch/arm64/vgic -I$(UNIT_DIR)/common
$(O)/unit/arch/arm64/test_dom0_irq: $(UNIT_DIR)/common/fake_sched.h $(UNIT_DIR)/common/heap_env.h
$(O)/unit/arch/arm64/test_dom0_irq: $(UNIT_DIR)/arch/arm64/vgic_env.h $(UNIT_DIR)/arch/arm64/fake_gic_spi.h
