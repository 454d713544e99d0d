# The online CPU set and cross-CPU calls over the real softirqs; the CPUs
# are host threads (the fake arch's CPU number is per thread).
test_smp-src := common/core/smp.c common/core/softirq.c
test_smp-cppflags := -pthread
