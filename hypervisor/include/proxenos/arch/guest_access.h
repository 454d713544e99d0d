/* What the checked guest copies need from the architecture. */
#ifndef PROXENOS_ARCH_GUEST_ACCESS_H
#define PROXENOS_ARCH_GUEST_ACCESS_H

#include <proxenos/types.h>

/* The guest-physical address the current vCPU's stage-1 translation gives
 * for virtual address gva, for a read or a write at EL1. 0, or -EFAULT
 * when stage 1 faults (including a stage-2 fault on its table walk). */
int arch_guest_va_to_ipa(uint64_t gva, bool write, paddr_t *ipa);

#endif
