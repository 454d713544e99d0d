test_dom0less_config-src := common/dom0less_config.c common/fdt.c common/fdt_addr.c
# The scheduler test's minimal <asm/domain.h> (<proxenos/dom0less.h> pulls
# in struct domain; nothing here looks inside).
test_dom0less_config-cppflags := -I$(UNIT_DIR)/common/sched_test_include
