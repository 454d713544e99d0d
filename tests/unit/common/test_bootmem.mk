test_bootmem-src := common/bootmem.c
