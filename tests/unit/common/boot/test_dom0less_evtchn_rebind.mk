# Static event channels bound again after a dom0less reboot
# (dom0less_evtchn_rebind.c, evtchn_static.c) on the real event channels,
# with evtchn_env.c's three hand-built domains (evtchn_world.mk).
include $(UNIT_DIR)/common/boot/evtchn_world.mk
test_dom0less_evtchn_rebind-src := $(evtchn-world-src)
test_dom0less_evtchn_rebind-cppflags := $(evtchn-world-cppflags)
$(O)/unit/common/boot/test_dom0less_evtchn_rebind: $(evtchn-world-deps)
