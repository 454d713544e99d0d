# The vpl011 with its console-ring back end, on the real event channels:
# the device's MMIO handlers called as the abort path would, xenconsoled
# played by dom0's event channel calls and direct ring writes; the real MMIO
# table, the shared fakes of the vGIC and of the console.
test_vpl011-src := arch/arm64/vpl011.c arch/arm64/vpl011_ring.c \
	common/event/evtchn.c common/event/evtchn_port.c common/event/evtchn_ops.c common/event/evtchn_xen.c \
	common/event/evtchn_2l.c common/event/evtchn_fifo.c common/memory/guest_access.c \
	arch/arm64/mmio.c common/console/guest_console.c common/console/ratelimit.c common/event/evtchn_abi.c common/event/evtchn_domain.c \
	../tests/unit/arch/arm64/fake_vgic_irq.c ../tests/unit/common/fake_console_api.c
test_vpl011-cppflags := -I$(HYP)/arch/arm64/include -I$(HYP)/common/event
$(O)/unit/arch/arm64/test_vpl011: $(UNIT_DIR)/common/evtchn_env.c \
	$(UNIT_DIR)/arch/arm64/fake_vgic_irq.h $(UNIT_DIR)/common/fake_console_api.h
# The domain table: the shared fake (evtchn_env.c lists its domains).
test_vpl011-src += ../tests/unit/common/fake_domains.c
$(O)/unit/arch/arm64/test_vpl011: $(UNIT_DIR)/common/fake_domains.h
# The scheduler: the shared fake.
test_vpl011-src += ../tests/unit/common/fake_sched.c
$(O)/unit/arch/arm64/test_vpl011: $(UNIT_DIR)/common/fake_sched.h
# Memory: the real page allocator and xmalloc on fake RAM (evtchn_env.c).
test_vpl011-src += common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/xmalloc.c
# Upcalls marked pending: the shared fake, each marking counted per vCPU
# (evtchn_env.c's marks()).
test_vpl011-src += ../tests/unit/common/fake_events_pending.c
$(O)/unit/arch/arm64/test_vpl011: $(UNIT_DIR)/common/fake_events_pending.h
