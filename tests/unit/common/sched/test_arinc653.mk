# The ARINC 653 scheduler through the real core (sched_ops_env.h), its
# schedule passed in the toolstack's guest memory (the real guest_access.c
# on the fake stage 1 and 2 of fake_arch).
include $(UNIT_DIR)/common/sched/sched_world.mk
test_arinc653-src := $(SCHED_WORLD_SRC)
test_arinc653-cppflags := $(SCHED_WORLD_CPPFLAGS)
$(O)/unit/common/sched/test_arinc653: $(SCHED_WORLD_DEPS)
