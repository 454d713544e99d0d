/* The event-channel upcall PPI's line (arch/arm64/evtchn_upcall.c). */
#ifndef ASM_EVTCHN_UPCALL_H
#define ASM_EVTCHN_UPCALL_H

#include <proxenos/domain.h>

/* On each entry to v: make the line follow evtchn_upcall_pending. */
void evtchn_upcall_resample(struct vcpu *v);

#endif
