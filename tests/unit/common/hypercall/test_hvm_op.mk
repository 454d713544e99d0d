test_hvm_op-src := common/hypercall/hvm_op.c common/memory/guest_access.c common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c
test_hvm_op-cppflags := -I$(HYP)/arch/arm64/include
$(O)/unit/common/hypercall/test_hvm_op: $(UNIT_DIR)/common/test_pv_hcall_env.h
# The domain table: the shared fake (test_pv_hcall_env.h lists its domains).
test_hvm_op-src += ../tests/unit/common/fake_domains.c
$(O)/unit/common/hypercall/test_hvm_op: $(UNIT_DIR)/common/fake_domains.h
