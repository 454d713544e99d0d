# The syndrome accessors are all in asm/esr.h: no hypervisor source to link.
test_esr-src :=
test_esr-cppflags := -I$(HYP)/arch/arm64/include
