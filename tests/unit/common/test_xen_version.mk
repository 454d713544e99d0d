test_xen_version-src := common/xen_version.c common/build_id.c common/guest_access.c common/bootmem.c \
	common/page_alloc.c
test_xen_version-cppflags := -I$(HYP)/arch/arm64/include
$(O)/unit/common/test_xen_version: $(UNIT_DIR)/common/test_pv_hcall_env.h
# The domain table: the shared fake (test_pv_hcall_env.h lists its domains).
test_xen_version-src += ../tests/unit/common/fake_domains.c
$(O)/unit/common/test_xen_version: $(UNIT_DIR)/common/fake_domains.h
