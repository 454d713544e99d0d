/* Event-channel upcalls: how the architecture tells a vCPU that its
 * vcpu_info's evtchn_upcall_pending is set. */
#ifndef PROXENOS_ARCH_EVENT_H
#define PROXENOS_ARCH_EVENT_H

struct vcpu;

/* Raise v's upcall interrupt and kick v (from any CPU). */
void arch_evtchn_inject(struct vcpu *v);

/* The upcall interrupt of a domain that was given none when it was built
 * (arm64: the guest layout's PPI 31, GUEST_EVTCHN_PPI). */
unsigned int arch_evtchn_default_irq(void);

#endif
