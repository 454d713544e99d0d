# The event-channel upcall line (arch/arm64/evtchn_upcall.c) against a
# stand-in vGIC in the test that records the line's level; threads play
# the sending CPU and the vCPU's own.
test_evtchn_upcall-src := arch/arm64/evtchn_upcall.c
test_evtchn_upcall-cppflags := -I$(HYP)/arch/arm64/include -pthread
