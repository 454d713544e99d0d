# The batch runner on fake guest RAM, with a recording dispatcher in the
# test (what the hypercall table hands it).
test_multicall-src := common/hypercall/multicall.c common/memory/guest_access.c \
	common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c
test_multicall-cppflags := -I$(HYP)/arch/arm64/include
$(O)/unit/common/hypercall/test_multicall: $(UNIT_DIR)/common/test_pv_hcall_env.h
# The domain table: the shared fake (test_pv_hcall_env.h lists its domains).
test_multicall-src += ../tests/unit/common/fake_domains.c
$(O)/unit/common/hypercall/test_multicall: $(UNIT_DIR)/common/fake_domains.h
