test_fdt_write-src := common/fdt_write.c common/fdt.c common/fdt_addr.c
