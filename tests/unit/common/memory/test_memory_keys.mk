# The 'm' key over the grant-table and memory environment (gnttab_env.h,
# as test_foreign_map), pressed through the real dispatch and the table
# the linker gathers as the hypervisor's does.
test_memory_keys-src := common/memory/memory_keys.c common/console/keyhandler.c \
	common/grant/gnttab.c common/grant/gnttab_map.c common/grant/gnttab_copy.c \
	common/memory/memory_op.c common/memory/memory_reservation.c common/domain/guest_ram.c common/memory/guest_access.c \
	common/memory/foreign_map.c common/memory/memory_resource.c common/memory/pv_mem.c \
	common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/xmalloc.c \
	../tests/unit/common/fake_domains.c
test_memory_keys-cppflags := -Wl,-T,$(UNIT_DIR)/common/image_tables.lds
$(O)/unit/common/memory/test_memory_keys: $(UNIT_DIR)/common/gnttab_env.h \
	$(UNIT_DIR)/common/fake_domains.h $(UNIT_DIR)/common/image_tables.lds
# The shared info page: the real shared_info.c.
test_memory_keys-src += common/domain/shared_info.c
# IOREQ servers: none (the shared fake).
test_memory_keys-src += ../tests/unit/common/fake_ioreq.c
