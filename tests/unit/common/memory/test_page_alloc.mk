test_page_alloc-src := common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c
