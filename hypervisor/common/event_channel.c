/* Placeholder until the family is written: every call answers -ENOSYS. */
#include <proxenos/hypercall.h>
#include <proxenos/errno.h>

long do_event_channel_op(struct hcall_args *args)
{
    (void)args;
    return -ENOSYS;
}

#include <proxenos/event.h>

int evtchn_domain_init(struct domain *d) { (void)d; return 0; }
void evtchn_domain_destroy(struct domain *d) { (void)d; }
void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq) { (void)v; (void)virq; }
void send_guest_global_virq(struct domain *d, unsigned int virq) { (void)d; (void)virq; }
bool evtchn_port_is_pending(struct domain *d, evtchn_port_t port) { (void)d; (void)port; return false; }
