# The Arm parts of a dom0less domain, with the device-tree reader the
# node's properties are read through.
test_dom0less_guest-src := arch/arm64/dom0less_guest.c common/fdt/fdt_token.c \
	common/fdt/fdt_check.c common/fdt/fdt.c common/fdt/fdt_addr.c \
	../tests/unit/drivers/fake_dt_uart.c
test_dom0less_guest-cppflags := -I$(HYP)/arch/arm64/include
