test_rangeset-src := common/lib/rangeset.c common/memory/xmalloc.c common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c
