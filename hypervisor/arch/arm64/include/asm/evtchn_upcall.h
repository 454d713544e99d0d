/* The event-channel upcall PPI's edges (arch/arm64/evtchn_upcall.c). */
#ifndef ASM_EVTCHN_UPCALL_H
#define ASM_EVTCHN_UPCALL_H

#include <proxenos/domain.h>

/* On each entry to v: signal a set evtchn_upcall_pending no edge told of. */
void evtchn_upcall_resample(struct vcpu *v);
/* Whether evtchn_upcall_resample(v) would do nothing now. */
bool evtchn_upcall_settled(const struct vcpu *v);

#endif
