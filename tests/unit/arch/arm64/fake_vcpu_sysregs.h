/* A stand-in for arch/arm64/vcpu_sysregs.c (vcpu_sysregs_reset, _save,
 * _restore of <asm/vcpu_sysregs.h>), for host tests that run the real
 * vcpu_reset.c or vcpu_context.c: saving and restoring move the live EL1
 * system registers, which a host has not, so those leave the copy in
 * memory as it is; a reset clears the copy but for VMPIDR_EL2, which
 * takes the value given (the architectural reset values of the other
 * registers are the real file's business, not a test's). Every call is
 * counted, and a reset's VMPIDR kept.
 *
 * Weak, as every fake. Link it by naming
 * ../tests/unit/arch/arm64/fake_vcpu_sysregs.c in a test's -src, and call
 * fake_vcpu_sysregs_reset() in each test's setup. */
#ifndef FAKE_VCPU_SYSREGS_H
#define FAKE_VCPU_SYSREGS_H

#include <stdint.h>

enum fake_sysregs_call {
    FAKE_SYSREGS_RESET,
    FAKE_SYSREGS_SAVE,
    FAKE_SYSREGS_RESTORE,
    FAKE_SYSREGS_CALLS
};

/* Forget every count and the last VMPIDR. */
void fake_vcpu_sysregs_reset(void);
/* Calls of one kind since fake_vcpu_sysregs_reset(). */
unsigned int fake_vcpu_sysregs_calls(enum fake_sysregs_call call);
/* The VMPIDR_EL2 the last vcpu_sysregs_reset gave (0: none yet). */
uint64_t fake_vcpu_sysregs_last_vmpidr(void);

#endif
