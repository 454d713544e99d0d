test_fdt_addr-src := common/fdt.c common/fdt_addr.c
