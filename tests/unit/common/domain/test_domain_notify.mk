# VIRQ_DOM_EXC through the real event channels, over their test
# environment (evtchn_env.c, as test_evtchn).
test_domain_notify-src := common/domain/domain_notify.c \
	common/event/evtchn.c common/event/evtchn_port.c common/event/evtchn_ops.c common/event/evtchn_xen.c \
	common/event/evtchn_2l.c common/event/evtchn_fifo.c common/memory/guest_access.c \
	common/event/evtchn_abi.c common/event/evtchn_domain.c \
	../tests/unit/common/fake_domains.c ../tests/unit/common/fake_sched.c
test_domain_notify-cppflags := -I$(HYP)/common/event \
	-I$(HYP)/common/domain
$(O)/unit/common/domain/test_domain_notify: $(UNIT_DIR)/common/evtchn_env.c \
	$(UNIT_DIR)/common/fake_domains.h $(UNIT_DIR)/common/fake_sched.h
# Memory: the real page allocator and xmalloc on fake RAM (evtchn_env.c).
test_domain_notify-src += common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/xmalloc.c
# Upcalls marked pending: the shared fake, each marking counted per vCPU
# (evtchn_env.c's marks()).
test_domain_notify-src += ../tests/unit/common/fake_events_pending.c
$(O)/unit/common/domain/test_domain_notify: $(UNIT_DIR)/common/fake_events_pending.h
