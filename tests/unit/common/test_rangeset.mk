test_rangeset-src := common/rangeset.c common/xmalloc.c common/bootmem.c common/page_alloc.c
