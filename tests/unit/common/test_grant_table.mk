test_grant_table-src := common/grant_table.c common/grant_map.c common/grant_copy.c \
	common/memory_op.c common/memory_reservation.c common/guest_access.c \
	common/foreign_map.c common/memory_resource.c common/pv_mem.c \
	common/bootmem.c common/page_alloc.c common/xmalloc.c
# A minimal <asm/domain.h> (struct domain embeds it; nothing here looks inside).
test_grant_table-cppflags := -I$(UNIT_DIR)/common/sched_test_include
$(O)/unit/common/test_grant_table: $(UNIT_DIR)/common/test_grant_table_env.h
# The domain table: the shared fake (test_grant_table_env.h lists its domains).
test_grant_table-src += ../tests/unit/common/fake_domains.c
$(O)/unit/common/test_grant_table: $(UNIT_DIR)/common/fake_domains.h
