test_vmid-src := arch/arm64/vmid.c
test_vmid-cppflags := -I$(HYP)/arch/arm64/include
