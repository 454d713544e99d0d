/* Switching the CPU between vCPUs and the idle loop. */
#ifndef PROXENOS_ARCH_CONTEXT_H
#define PROXENOS_ARCH_CONTEXT_H

#include <proxenos/domain.h>

/* Save prev's state (prev may be NULL: idle) and load next's (NULL: idle)
 * into this CPU. Returns only when both are vCPUs: the trap return path
 * then enters next. Entering a guest from idle, or going idle from a
 * guest, does not return. */
void arch_context_switch(struct vcpu *prev, struct vcpu *next);

#endif
