# What the RTDS tests link (included by each test_rtds*.mk): the real core
# with every scheduler (sched_world.mk), which has the real guest copies
# for the toolstack's arrays too.
include $(UNIT_DIR)/common/sched/sched_world.mk
RTDS_TEST_SRC := $(SCHED_WORLD_SRC)
RTDS_TEST_DEPS := $(SCHED_WORLD_DEPS) $(UNIT_DIR)/common/sched/rtds_env.h
