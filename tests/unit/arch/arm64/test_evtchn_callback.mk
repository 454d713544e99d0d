# HVM_PARAM_CALLBACK_IRQ's Arm encoding: nothing else to link.
test_evtchn_callback-src := arch/arm64/evtchn_callback.c
test_evtchn_callback-cppflags := -I$(HYP)/arch/arm64/include
