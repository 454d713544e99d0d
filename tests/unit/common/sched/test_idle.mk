# The idle loop and the 'r' key over the real softirqs, timers and online
# CPU set; the run queues are the shared fake scheduler's; the key is
# pressed through the real dispatch and the table the linker gathers.
test_idle-src := common/sched/idle.c common/core/softirq.c common/core/timer.c common/core/smp.c \
	common/console/keyhandler.c ../tests/unit/common/fake_sched.c
test_idle-cppflags := -Wl,-T,$(UNIT_DIR)/common/image_tables.lds
$(O)/unit/common/sched/test_idle: $(UNIT_DIR)/common/fake_sched.h $(UNIT_DIR)/common/image_tables.lds
