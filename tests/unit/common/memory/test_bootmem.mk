test_bootmem-src := common/memory/bootmem.c
