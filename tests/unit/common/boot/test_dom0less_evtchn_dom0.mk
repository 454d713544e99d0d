# dom0's ends of static event channels (/chosen's own xen,evtchn-v1 nodes,
# dom0less_evtchn.c) on the real event channels and device-tree reader,
# with evtchn_env.c's three hand-built domains (evtchn_world.mk).
include $(UNIT_DIR)/common/boot/evtchn_world.mk
test_dom0less_evtchn_dom0-src := common/boot/dom0less_evtchn.c $(evtchn-world-src) \
	common/fdt/fdt.c common/fdt/fdt_token.c common/fdt/fdt_check.c common/fdt/fdt_addr.c
test_dom0less_evtchn_dom0-cppflags := $(evtchn-world-cppflags)
$(O)/unit/common/boot/test_dom0less_evtchn_dom0: $(evtchn-world-deps)
