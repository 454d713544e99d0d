test_guest_access-src := common/memory/guest_access.c common/memory/bootmem.c common/memory/page_alloc.c
test_guest_access-cppflags := -I$(HYP)/arch/arm64/include
