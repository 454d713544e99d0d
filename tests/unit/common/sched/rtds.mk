# What the RTDS tests link (included by each test_rtds*.mk): the scheduler,
# the real xmalloc under it and the real guest copies for the toolstack's
# arrays; the core is rtds_env.h's stand-in.
RTDS_TEST_SRC := common/sched/rtds.c common/sched/rtds_adjust.c common/memory/guest_access.c \
	common/memory/xmalloc.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/bootmem.c
RTDS_TEST_DEPS := $(UNIT_DIR)/common/sched/rtds_env.h $(UNIT_DIR)/common/heap_env.h $(HYP)/common/sched/rtds.h
