test_dom0less_config-src := common/boot/dom0less_config.c common/fdt/fdt_token.c \
	common/fdt/fdt_check.c common/fdt/fdt.c common/fdt/fdt_addr.c
# The scheduler test's minimal <asm/domain.h> (<proxenos/dom0less.h> pulls
# in struct domain; nothing here looks inside).
test_dom0less_config-cppflags := -I$(UNIT_DIR)/common/sched_test_include
