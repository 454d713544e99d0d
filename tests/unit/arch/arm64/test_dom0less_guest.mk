test_dom0less_guest-src := arch/arm64/dom0less_guest.c
test_dom0less_guest-cppflags := -I$(HYP)/arch/arm64/include
