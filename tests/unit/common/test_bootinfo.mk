test_bootinfo-src := common/bootinfo.c common/fdt.c common/fdt_addr.c
