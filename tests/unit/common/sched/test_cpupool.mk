# Boot-time CPU pools read from device trees made by fdt_builder.h, with
# the real device-tree reader, online CPU set and sched=; the scheduler is
# the shared fake, which remembers each CPU's time slicing.
test_cpupool-src := common/sched/cpupool.c common/sched/sched_params.c common/core/smp.c \
	common/core/softirq.c common/fdt/fdt.c common/fdt/fdt_token.c common/fdt/fdt_check.c common/fdt/fdt_addr.c ../tests/unit/common/fake_sched.c
$(O)/unit/common/sched/test_cpupool: $(UNIT_DIR)/common/fake_sched.h $(UNIT_DIR)/common/fdt_builder.h
