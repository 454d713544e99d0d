test_fdt_write-src := common/fdt/fdt_write.c common/fdt/fdt_token.c common/fdt/fdt_check.c \
	common/fdt/fdt.c common/fdt/fdt_addr.c
$(O)/unit/common/fdt/test_fdt_write: $(UNIT_DIR)/common/fdt/fdt_write_sample.h
