test_guest_access-src := common/memory/guest_access.c common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c
test_guest_access-cppflags := -I$(HYP)/arch/arm64/include
