# Every hypercall from a domU, with dom0 beside it, through the real
# dispatcher, in the world fuzz.mk names (fuzz-world-src).
fuzz_hypercall-src := $(fuzz-world-src)
fuzz_hypercall-cppflags := $(fuzz-world-cppflags)
fuzz_hypercall-maxlen := 4096
