test_vcpu_op-src := common/domain/vcpu_op.c common/domain/runstate.c common/domain/shared_info.c common/memory/guest_access.c \
	common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c
test_vcpu_op-cppflags := -I$(HYP)/arch/arm64/include
$(O)/unit/common/domain/test_vcpu_op: $(UNIT_DIR)/common/test_pv_hcall_env.h
# The domain table: the shared fake (test_pv_hcall_env.h lists its domains).
test_vcpu_op-src += ../tests/unit/common/fake_domains.c
$(O)/unit/common/domain/test_vcpu_op: $(UNIT_DIR)/common/fake_domains.h
