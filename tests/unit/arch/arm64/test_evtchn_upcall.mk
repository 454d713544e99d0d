# The event-channel upcall's edges (arch/arm64/evtchn_upcall.c) against the
# shared fake vGIC (fake_vgic_irq.c), which counts them; events are raised
# through the shared fake of the upcall markings (fake_events_pending.c);
# threads play the sending CPU and the vCPU's own.
test_evtchn_upcall-src := arch/arm64/evtchn_upcall.c ../tests/unit/arch/arm64/fake_vgic_irq.c \
	../tests/unit/common/fake_events_pending.c
test_evtchn_upcall-cppflags := -I$(HYP)/arch/arm64/include -pthread
$(O)/unit/arch/arm64/test_evtchn_upcall: $(UNIT_DIR)/arch/arm64/fake_vgic_irq.h \
	$(UNIT_DIR)/common/fake_events_pending.h
