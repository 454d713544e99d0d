test_console_io-src := common/console_io.c common/guest_console.c common/guest_access.c \
	common/bootmem.c common/page_alloc.c ../tests/unit/common/fake_console_api.c
test_console_io-cppflags := -I$(HYP)/arch/arm64/include
$(O)/unit/common/test_console_io: $(UNIT_DIR)/common/test_pv_hcall_env.h $(UNIT_DIR)/common/fake_console_api.h
# The domain table: the shared fake (test_pv_hcall_env.h lists its domains).
test_console_io-src += ../tests/unit/common/fake_domains.c
$(O)/unit/common/test_console_io: $(UNIT_DIR)/common/fake_domains.h
