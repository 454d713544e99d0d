/* A stand-in for arch/arm64/inject.c, the delivery of an exception to a
 * guest's EL1 vector table (inject_undef, inject_dabt, inject_iabt of
 * <asm/traps.h>), for host tests of the trap handlers that decide to
 * inject one: the real code writes the live EL1 system registers, which a
 * host has not, so each call is counted per kind with the vCPU and the
 * fault address of the last one, and the frame is left as it was. Weak,
 * as every fake. Link it by naming ../tests/unit/arch/arm64/fake_inject.c
 * in a test's -src, and call fake_inject_reset() in each test's setup. */
#ifndef FAKE_INJECT_H
#define FAKE_INJECT_H

#include <stdint.h>

struct vcpu;

enum fake_inject_kind {
    FAKE_INJECT_UNDEF,
    FAKE_INJECT_DABT,
    FAKE_INJECT_IABT,
    FAKE_INJECT_KINDS
};

/* Forget every count and the last call. */
void fake_inject_reset(void);
/* Injections of kind since the reset. */
unsigned int fake_injections(enum fake_inject_kind kind);
/* The vCPU and the fault address of the last injection of any kind (NULL
 * and 0 when none; an undefined instruction has no address: 0). Either
 * pointer may be NULL. */
void fake_last_injection(struct vcpu **v, uint64_t *addr);

#endif
