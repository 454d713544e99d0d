# Static event channels from the device tree (dom0less_evtchn.c) on the
# real event channels and the real device-tree reader, with evtchn_env.c's
# three hand-built domains (evtchn_world.mk).
include $(UNIT_DIR)/common/boot/evtchn_world.mk
test_dom0less_evtchn-src := common/boot/dom0less_evtchn.c $(evtchn-world-src) \
	common/fdt/fdt.c common/fdt/fdt_token.c common/fdt/fdt_check.c common/fdt/fdt_addr.c
test_dom0less_evtchn-cppflags := $(evtchn-world-cppflags)
$(O)/unit/common/boot/test_dom0less_evtchn: $(evtchn-world-deps)
