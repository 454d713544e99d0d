test_fdt-src := common/fdt/fdt_token.c common/fdt/fdt_check.c common/fdt/fdt.c common/fdt/fdt_addr.c
