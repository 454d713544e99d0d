test_domain_fdt-src := common/boot/domain_fdt.c common/fdt/fdt_write.c common/fdt/fdt_token.c \
	common/fdt/fdt_check.c common/fdt/fdt.c common/fdt/fdt_addr.c
