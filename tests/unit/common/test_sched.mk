test_sched-src := common/sched.c common/current.c common/smp.c common/softirq.c common/timer.c \
	common/sched_params.c common/cmdline.c common/xmalloc.c common/page_alloc.c common/bootmem.c
# A minimal <asm/domain.h>, and (applied when the test links) the PARAM
# table the hypervisor's linker script would build, for sched=null.
test_sched-cppflags := -I$(UNIT_DIR)/common/sched_test_include \
	-Wl,-T,$(UNIT_DIR)/common/sched_test_include/params.lds
$(O)/unit/common/test_sched: $(UNIT_DIR)/common/sched_test_include/asm/domain.h \
	$(UNIT_DIR)/common/sched_test_include/params.lds
$(O)/unit/common/test_sched: $(UNIT_DIR)/common/heap_env.h
