test_domain_ref-src := common/domain.c common/domain_ref.c common/domain_pause.c common/bootmem.c common/page_alloc.c \
	common/xmalloc.c common/rangeset.c common/timer.c common/softirq.c \
	../tests/unit/common/fake_sched.c
# A minimal <asm/domain.h> (nothing here looks inside the arch part), and
# the private header between domain.c and domain_ref.c.
test_domain_ref-cppflags := -I$(UNIT_DIR)/common/sched_test_include -I$(HYP)/common
$(O)/unit/common/test_domain_ref: $(UNIT_DIR)/common/fake_sched.h
