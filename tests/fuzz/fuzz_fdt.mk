# The device-tree reader, the boot-info scan with its RAM bank check and
# the command line. The arm64 walk of the GIC, timer and PSCI nodes and GIC
# interrupt specifiers are fuzzed with the rest (the boot tree is Arm's).
# The harness defines its own silent printk, so it links no fakes.
fuzz_fdt-src := common/fdt/fdt_token.c common/fdt/fdt_check.c common/fdt/fdt.c \
	common/fdt/fdt_addr.c common/boot/bootinfo.c common/boot/boot_ram.c common/boot/cmdline.c \
	common/lib/vsnprintf.c \
	arch/arm64/bootinfo_devices.c arch/arm64/fdt_irq_gic.c
fuzz_fdt-cppflags := -I$(HYP)/arch/arm64/include
fuzz_fdt-fakes := no
fuzz_fdt-dict := $(SRCDIR)/tests/fuzz/fdt.dict
fuzz_fdt-maxlen := 16384
