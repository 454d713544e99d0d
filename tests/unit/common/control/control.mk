# What every test of common/control/ links (included by each test_*.mk
# here): all of the sysctl and domctl code, because the dispatch tables
# name every handler, and the real code under it that control_env.h does
# not stand in for (and the arm64 register copy of setvcpucontext and a
# vCPU's reset), with the shared fakes of the debug keys, of the scheduler,
# its settings and CPU pools, of the online CPUs, of the domain table, of
# building and killing a domain and of the EL1 system registers
# (fake_console_api.c, fake_sched.c, fake_smp.c, fake_domains.c,
# fake_domain_create.c, fake_vcpu_sysregs.c). The real
# <asm/domain.h>, and control.h.
CONTROL_TEST_SRC := $(sort $(patsubst $(HYP)/%,%,$(wildcard $(HYP)/common/control/*.c))) \
	common/domain/domain_pause.c common/boot/hostinfo.c common/domain/runstate.c common/memory/guest_access.c \
	common/memory/bootmem.c common/memory/page_alloc.c common/memory/alloc_count.c common/console/console.c common/lib/vsnprintf.c \
	common/lib/rangeset.c common/memory/xmalloc.c arch/arm64/vcpu_context.c arch/arm64/vcpu_reset.c arch/arm64/domain_config.c ../tests/unit/common/fake_console_api.c \
	../tests/unit/common/fake_sched.c ../tests/unit/common/fake_domains.c ../tests/unit/common/fake_smp.c \
	../tests/unit/common/fake_domain_create.c ../tests/unit/arch/arm64/fake_vcpu_sysregs.c
CONTROL_TEST_CPPFLAGS := -I$(HYP)/arch/arm64/include -I$(HYP)/common/control
CONTROL_TEST_DEPS := $(UNIT_DIR)/common/control/control_env.h $(HYP)/common/control/control.h \
	$(UNIT_DIR)/common/fake_console_api.h $(UNIT_DIR)/common/fake_sched.h \
	$(UNIT_DIR)/common/fake_domains.h $(UNIT_DIR)/common/fake_smp.h \
	$(UNIT_DIR)/common/fake_domain_create.h $(UNIT_DIR)/arch/arm64/fake_vcpu_sysregs.h
