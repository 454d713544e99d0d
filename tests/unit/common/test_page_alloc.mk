test_page_alloc-src := common/bootmem.c common/page_alloc.c
