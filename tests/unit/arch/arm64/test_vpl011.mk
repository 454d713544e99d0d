# The vpl011 with its console-ring back end, on the real event channels:
# the device's MMIO handlers called as the abort path would, xenconsoled
# played by dom0's event channel calls and direct ring writes.
test_vpl011-src := arch/arm64/vpl011.c arch/arm64/vpl011_ring.c \
	common/event_channel.c common/evtchn_port.c common/evtchn_ops.c common/evtchn_xen.c \
	common/event_2l.c common/event_fifo.c common/guest_access.c \
	common/evtchn_abi.c common/evtchn_domain.c
test_vpl011-cppflags := -I$(HYP)/arch/arm64/include -I$(HYP)/common -I$(UNIT_DIR)/common
$(O)/unit/arch/arm64/test_vpl011: $(UNIT_DIR)/common/test_event_channel_env.c
