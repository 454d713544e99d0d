# AArch64 code generation: no FP/SIMD in the hypervisor (guest FP state is
# never clobbered by our own code), LL/SC atomics inline (no libgcc helpers),
# strict alignment because parts of the boot path run with the MMU off.
HYP_CFLAGS += -mgeneral-regs-only -mno-outline-atomics -mstrict-align \
	-mbranch-protection=none -mcmodel=small -march=armv8-a
HYP_ASFLAGS := -march=armv8-a
