test_domain_fdt-src := common/domain_fdt.c common/fdt_write.c common/fdt.c common/fdt_addr.c
