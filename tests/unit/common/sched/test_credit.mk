# The credit scheduler's three files, in the simulated machine of
# credit_env.h (which stands in for the core, the timers and the heap).
test_credit-src := common/sched/credit.c common/sched/credit_acct.c common/sched/credit_ctl.c
$(O)/unit/common/sched/test_credit: $(UNIT_DIR)/common/sched/credit_env.h
