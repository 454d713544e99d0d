test_console_io-src := common/console/console_io.c common/console/guest_console.c common/console/ratelimit.c common/memory/guest_access.c \
	common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c ../tests/unit/common/fake_console_api.c
test_console_io-cppflags := -I$(HYP)/arch/arm64/include
$(O)/unit/common/console/test_console_io: $(UNIT_DIR)/common/test_pv_hcall_env.h $(UNIT_DIR)/common/fake_console_api.h
# The domain table: the shared fake (test_pv_hcall_env.h lists its domains).
test_console_io-src += ../tests/unit/common/fake_domains.c
$(O)/unit/common/console/test_console_io: $(UNIT_DIR)/common/fake_domains.h
# The event channels: the shared fake.
test_console_io-src += ../tests/unit/common/fake_evtchn.c
$(O)/unit/common/console/test_console_io: $(UNIT_DIR)/common/fake_evtchn.h
