test_fdt_irq_gic-src := arch/arm64/fdt_irq_gic.c common/fdt/fdt_token.c common/fdt/fdt_check.c \
	common/fdt/fdt.c common/fdt/fdt_addr.c
test_fdt_irq_gic-cppflags := -I$(UNIT_DIR)/common
