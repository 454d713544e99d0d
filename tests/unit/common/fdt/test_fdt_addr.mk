test_fdt_addr-src := common/fdt/fdt.c common/fdt/fdt_addr.c
