# Stage-2 abort handling on a real stage 2; injection, crash and TLB
# maintenance are stand-ins in the test.
test_trap_dabt-src := arch/arm64/trap_dabt.c arch/arm64/mmio.c arch/arm64/p2m.c arch/arm64/vmid.c \
	common/paging_pool.c common/page_alloc.c common/bootmem.c
test_trap_dabt-cppflags := -I$(HYP)/arch/arm64/include
