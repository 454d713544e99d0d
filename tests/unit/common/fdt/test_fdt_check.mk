test_fdt_check-src := common/fdt/fdt_token.c common/fdt/fdt_check.c common/fdt/fdt.c
