test_xmalloc-src := common/bootmem.c common/page_alloc.c common/xmalloc.c
