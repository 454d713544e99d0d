# Stage-2 abort handling on a real stage 2 and the real decoder;
# injection, TLB maintenance, the guest's stack pointers and domain_crash
# are the shared fake_inject.c, fake_p2m_hw.c, fake_guest_sp.c and
# fake_shutdown.c. The instruction an access without a syndrome is decoded
# from is read through the real guest copies from fake RAM.
test_trap_dabt-src := arch/arm64/trap_dabt.c arch/arm64/mmio_complete.c arch/arm64/mmio.c arch/arm64/mmio_decode.c \
	common/memory/guest_access.c ../tests/unit/arch/arm64/fake_guest_sp.c arch/arm64/p2m.c arch/arm64/p2m_query.c arch/arm64/vmid.c \
	common/memory/paging_pool.c common/memory/page_alloc.c common/memory/alloc_count.c common/memory/bootmem.c ../tests/unit/arch/arm64/fake_p2m_hw.c \
	../tests/unit/arch/arm64/fake_inject.c \
	../tests/unit/common/fake_shutdown.c
test_trap_dabt-cppflags := -I$(HYP)/arch/arm64/include -I$(UNIT_DIR)/common
$(O)/unit/arch/arm64/test_trap_dabt: $(UNIT_DIR)/arch/arm64/fake_p2m_hw.h
$(O)/unit/arch/arm64/test_trap_dabt: $(UNIT_DIR)/common/fake_shutdown.h
$(O)/unit/arch/arm64/test_trap_dabt: $(UNIT_DIR)/arch/arm64/fake_inject.h
$(O)/unit/arch/arm64/test_trap_dabt: $(UNIT_DIR)/arch/arm64/fake_guest_sp.h
# Forwarding to IOREQ servers: nothing claims an access (the shared fake).
test_trap_dabt-src += ../tests/unit/arch/arm64/fake_ioreq_mmio.c
$(O)/unit/arch/arm64/test_trap_dabt: $(UNIT_DIR)/arch/arm64/fake_ioreq_mmio.h
