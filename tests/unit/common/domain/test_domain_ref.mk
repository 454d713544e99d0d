test_domain_ref-src := common/domain/domain.c common/domain/domain_ref.c common/domain/domain_pause.c common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c \
	common/memory/xmalloc.c common/lib/rangeset.c common/core/timer.c common/sched/watchdog.c common/core/softirq.c \
	../tests/unit/common/fake_sched.c
# The private header between domain.c and domain_ref.c.
test_domain_ref-cppflags := -I$(HYP)/common/domain
$(O)/unit/common/domain/test_domain_ref: $(UNIT_DIR)/common/fake_sched.h
# The PV subsystems: the shared fakes.
test_domain_ref-src += ../tests/unit/common/fake_domain_pv.c ../tests/unit/common/fake_evtchn.c
$(O)/unit/common/domain/test_domain_ref: $(UNIT_DIR)/common/fake_domain_pv.h $(UNIT_DIR)/common/fake_evtchn.h
# The shutdown a watchdog expiry asks for: the shared fake.
test_domain_ref-src += ../tests/unit/common/fake_shutdown.c
$(O)/unit/common/domain/test_domain_ref: $(UNIT_DIR)/common/fake_shutdown.h
