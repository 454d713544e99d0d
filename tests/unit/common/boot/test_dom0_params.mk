# dom0's options through the real command-line parser, with the option
# table the linker gathers as the hypervisor's does.
test_dom0_params-src := common/boot/dom0_params.c common/boot/cmdline.c
test_dom0_params-cppflags := -Wl,-T,$(UNIT_DIR)/common/image_tables.lds
$(O)/unit/common/boot/test_dom0_params: $(UNIT_DIR)/common/image_tables.lds
