# Stage-2 abort handling on a real stage 2; injection, TLB maintenance and
# domain_crash are the shared fake_inject.c, fake_p2m_hw.c and
# fake_shutdown.c.
test_trap_dabt-src := arch/arm64/trap_dabt.c arch/arm64/mmio.c arch/arm64/p2m.c arch/arm64/p2m_query.c arch/arm64/vmid.c \
	common/memory/paging_pool.c common/memory/page_alloc.c common/memory/bootmem.c ../tests/unit/arch/arm64/fake_p2m_hw.c \
	../tests/unit/arch/arm64/fake_inject.c \
	../tests/unit/common/fake_shutdown.c
test_trap_dabt-cppflags := -I$(HYP)/arch/arm64/include -I$(UNIT_DIR)/common
$(O)/unit/arch/arm64/test_trap_dabt: $(UNIT_DIR)/arch/arm64/fake_p2m_hw.h
$(O)/unit/arch/arm64/test_trap_dabt: $(UNIT_DIR)/common/fake_shutdown.h
$(O)/unit/arch/arm64/test_trap_dabt: $(UNIT_DIR)/arch/arm64/fake_inject.h
