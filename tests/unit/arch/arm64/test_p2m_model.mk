test_p2m_model-src := arch/arm64/p2m.c arch/arm64/p2m_query.c arch/arm64/vmid.c common/memory/paging_pool.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/bootmem.c \
	../tests/unit/arch/arm64/fake_p2m_hw.c
test_p2m_model-cppflags := -I$(HYP)/arch/arm64/include
$(O)/unit/arch/arm64/test_p2m_model: $(UNIT_DIR)/arch/arm64/fake_p2m_hw.h
$(O)/unit/arch/arm64/test_p2m_model: $(UNIT_DIR)/arch/arm64/p2m_env.h
