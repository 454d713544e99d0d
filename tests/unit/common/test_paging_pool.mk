test_paging_pool-src := common/paging_pool.c common/page_alloc.c common/bootmem.c
