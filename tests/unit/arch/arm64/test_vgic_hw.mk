# Routed physical SPIs: irq_route.c and the vGIC (all but vgic_lr.c) over
# the fake host GIC and list registers, the real MMIO table and heap.
test_vgic_hw-src := arch/arm64/irq_route.c arch/arm64/vgic/vgic.c arch/arm64/vgic/vgic_flush.c \
	arch/arm64/vgic/vgic_regs.c arch/arm64/vgic/vgic_v3_dist.c \
	arch/arm64/vgic/vgic_v3_redist.c arch/arm64/vgic/vgic_sgi.c arch/arm64/vgic/vgic_hw.c \
	arch/arm64/mmio.c common/memory/xmalloc.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/bootmem.c \
	../tests/unit/arch/arm64/fake_vgic_lr.c ../tests/unit/arch/arm64/fake_gic_spi.c ../tests/unit/common/fake_sched.c
test_vgic_hw-cppflags := -I$(HYP)/arch/arm64/include -I$(HYP)/arch/arm64/vgic -I$(UNIT_DIR)/common
$(O)/unit/arch/arm64/test_vgic_hw: $(UNIT_DIR)/common/fake_sched.h $(UNIT_DIR)/common/heap_env.h
$(O)/unit/arch/arm64/test_vgic_hw: $(UNIT_DIR)/arch/arm64/vgic_env.h $(UNIT_DIR)/arch/arm64/fake_gic_spi.h
