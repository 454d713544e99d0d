test_event_channel-src := common/event_channel.c common/evtchn_port.c common/evtchn_ops.c common/evtchn_xen.c \
	common/event_2l.c common/event_fifo.c common/guest_access.c \
	common/evtchn_abi.c common/evtchn_domain.c
# The scheduler test's minimal <asm/domain.h> (event channels never look
# inside the arch part either).
test_event_channel-cppflags := -I$(UNIT_DIR)/common/sched_test_include -I$(HYP)/common
$(O)/unit/common/test_event_channel: $(UNIT_DIR)/common/test_event_channel_env.c
# The domain table: the shared fake (test_event_channel_env.c lists its domains).
test_event_channel-src += ../tests/unit/common/fake_domains.c
$(O)/unit/common/test_event_channel: $(UNIT_DIR)/common/fake_domains.h
# The scheduler: the shared fake.
test_event_channel-src += ../tests/unit/common/fake_sched.c
$(O)/unit/common/test_event_channel: $(UNIT_DIR)/common/fake_sched.h
