# Event channels and grant tables across dom0 and a domU through the real
# dispatcher, in the world fuzz.mk names (fuzz-world-src).
fuzz_evtchn_gnttab-src := $(fuzz-world-src)
fuzz_evtchn_gnttab-cppflags := $(fuzz-world-cppflags)
fuzz_evtchn_gnttab-maxlen := 4096
