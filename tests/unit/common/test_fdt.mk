test_fdt-src := common/fdt.c common/fdt_addr.c
