# The credit scheduler's parameters, in the simulated machine of
# credit_env.h; its command-line options through the real parser, with the
# option table the linker gathers as the hypervisor's does.
test_credit_ctl-src := common/sched/credit.c common/sched/credit_acct.c common/sched/credit_ctl.c \
	common/boot/cmdline.c
test_credit_ctl-cppflags := -Wl,-T,$(UNIT_DIR)/common/image_tables.lds
$(O)/unit/common/sched/test_credit_ctl: $(UNIT_DIR)/common/image_tables.lds
$(O)/unit/common/sched/test_credit_ctl: $(UNIT_DIR)/common/sched/credit_env.h
