# The domain watchdogs on the real timers (driven by the fake clock);
# the shutdown they ask for is the shared fake_shutdown.c.
test_watchdog-src := common/sched/watchdog.c common/core/timer.c common/core/softirq.c \
	../tests/unit/common/fake_shutdown.c
$(O)/unit/common/sched/test_watchdog: $(UNIT_DIR)/common/fake_shutdown.h
