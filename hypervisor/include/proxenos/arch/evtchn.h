/* Event-channel upcalls: how the architecture tells a vCPU that its
 * vcpu_info's evtchn_upcall_pending is set. */
#ifndef PROXENOS_ARCH_EVENT_H
#define PROXENOS_ARCH_EVENT_H

#include <proxenos/types.h>

struct vcpu;

/* Raise v's upcall interrupt and kick v (from any CPU). */
void arch_evtchn_inject(struct vcpu *v);

/* The upcall interrupt of a domain that was given none when it was built
 * (arm64: the guest layout's PPI 31, GUEST_EVTCHN_PPI). */
unsigned int arch_evtchn_default_irq(void);

/* A domain's upcall interrupt irq in HVM_PARAM_CALLBACK_IRQ's encoding, as
 * the architecture's dom0 builder on Xen sets it. */
uint64_t arch_evtchn_callback_via(unsigned int irq);

#endif
