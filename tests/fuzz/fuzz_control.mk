# domctl and sysctl from dom0, with a domU beside it, through the real
# dispatcher, in the world fuzz.mk names (fuzz-world-src).
fuzz_control-src := $(fuzz-world-src)
fuzz_control-cppflags := $(fuzz-world-cppflags)
fuzz_control-maxlen := 4096
