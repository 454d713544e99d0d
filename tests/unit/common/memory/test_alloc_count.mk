# The after-boot count, static mode's refusals and the reboot window, on
# the real boot, page and object allocators.
test_alloc_count-src := common/memory/alloc_count.c common/memory/bootmem.c \
	common/memory/page_alloc.c common/memory/xmalloc.c common/console/keyhandler.c
$(O)/unit/common/memory/test_alloc_count: $(UNIT_DIR)/common/heap_env.h $(UNIT_DIR)/common/image_tables.lds
test_alloc_count-cppflags := -Wl,-T,$(UNIT_DIR)/common/image_tables.lds
