# The credit scheduler under a changing load, in the simulated machine of
# credit_env.h.
test_credit_mix-src := common/sched/credit.c common/sched/credit_acct.c common/sched/credit_ctl.c
$(O)/unit/common/sched/test_credit_mix: $(UNIT_DIR)/common/sched/credit_env.h
