test_paging_pool-src := common/memory/paging_pool.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/bootmem.c
