# The console-ring back end of the vpl011 as plain functions on a ring page.
test_vpl011_ring-src := arch/arm64/vpl011_ring.c
test_vpl011_ring-cppflags := -I$(HYP)/arch/arm64/include
