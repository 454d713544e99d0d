# The timer queues over the real softirqs; the clock and the hardware
# timer are the fake arch's.
test_timer-src := common/core/timer.c common/core/softirq.c
# kill_timer's wait: two threads play two CPUs.
test_timer-cppflags := -pthread
