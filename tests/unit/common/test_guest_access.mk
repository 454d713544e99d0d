test_guest_access-src := common/guest_access.c common/bootmem.c common/page_alloc.c
test_guest_access-cppflags := -I$(HYP)/arch/arm64/include
