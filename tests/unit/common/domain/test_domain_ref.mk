test_domain_ref-src := common/domain/domain.c common/domain/domain_ref.c common/domain/domain_pause.c common/memory/bootmem.c common/memory/page_alloc.c \
	common/memory/xmalloc.c common/lib/rangeset.c common/core/timer.c common/core/softirq.c \
	../tests/unit/common/fake_sched.c
# The private header between domain.c and domain_ref.c.
test_domain_ref-cppflags := -I$(HYP)/common/domain
$(O)/unit/common/domain/test_domain_ref: $(UNIT_DIR)/common/fake_sched.h
