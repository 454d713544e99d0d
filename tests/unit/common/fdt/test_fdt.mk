test_fdt-src := common/fdt/fdt.c common/fdt/fdt_addr.c
