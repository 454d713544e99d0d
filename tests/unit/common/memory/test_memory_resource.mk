test_memory_resource-src := common/grant/gnttab.c common/grant/gnttab_map.c common/grant/gnttab_copy.c \
	common/memory/memory_op.c common/memory/memory_reservation.c common/domain/guest_ram.c common/memory/guest_access.c \
	common/memory/foreign_map.c common/memory/memory_resource.c common/memory/pv_mem.c \
	common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/xmalloc.c
$(O)/unit/common/memory/test_memory_resource: $(UNIT_DIR)/common/gnttab_env.h
# The domain table: the shared fake (gnttab_env.h lists its domains).
test_memory_resource-src += ../tests/unit/common/fake_domains.c
$(O)/unit/common/memory/test_memory_resource: $(UNIT_DIR)/common/fake_domains.h
# The shared info page: the real shared_info.c.
test_memory_resource-src += common/domain/shared_info.c
# IOREQ servers: none (the shared fake).
test_memory_resource-src += ../tests/unit/common/fake_ioreq.c
