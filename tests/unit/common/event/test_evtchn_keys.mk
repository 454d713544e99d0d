# The 'e' debug key over the event-channel test environment (evtchn_env.c,
# as test_evtchn), pressed through the real key dispatch and the table the
# linker gathers as the hypervisor's does.
test_evtchn_keys-src := common/event/evtchn_keys.c common/console/keyhandler.c \
	common/event/evtchn.c common/event/evtchn_port.c common/event/evtchn_ops.c common/event/evtchn_xen.c \
	common/event/evtchn_2l.c common/event/evtchn_fifo.c common/memory/guest_access.c \
	common/event/evtchn_abi.c common/event/evtchn_domain.c \
	../tests/unit/common/fake_domains.c ../tests/unit/common/fake_sched.c
test_evtchn_keys-cppflags := -I$(HYP)/common/event \
	-Wl,-T,$(UNIT_DIR)/common/image_tables.lds
$(O)/unit/common/event/test_evtchn_keys: $(UNIT_DIR)/common/evtchn_env.c \
	$(UNIT_DIR)/common/fake_domains.h $(UNIT_DIR)/common/fake_sched.h \
	$(UNIT_DIR)/common/image_tables.lds
# Memory: the real page allocator and xmalloc on fake RAM (evtchn_env.c).
test_evtchn_keys-src += common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/xmalloc.c
# Upcalls marked pending: the shared fake, each marking counted per vCPU
# (evtchn_env.c's marks()).
test_evtchn_keys-src += ../tests/unit/common/fake_events_pending.c
$(O)/unit/common/event/test_evtchn_keys: $(UNIT_DIR)/common/fake_events_pending.h
