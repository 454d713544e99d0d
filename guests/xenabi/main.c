/*
 * xenabi: every hypercall family Linux uses on Arm, through success and
 * error paths, with the exact results Xen 4.17 gives a dom0less domU
 * started with xen,enhanced = "no-xenstore" (/hypervisor node present).
 * Order matters: shared info and 2-level events come before FIFO, since
 * a domain cannot go back from FIFO without EVTCHNOP_reset.
 */
#include "xenabi.h"

uint16_t xenabi_domid = XEN_DOMID_INVALID;

void guest_main(const struct platform *p)
{
    printf("xenabi: hypervisor \"%s\", grant window 0x%lx+0x%lx, evtchn INTID %u\n",
           p->has_hypervisor ? p->hypervisor_compat : "none", p->gnttab_base, p->gnttab_size,
           p->evtchn_intid);
    if (!test_check("xenabi_hypervisor_node", p->has_hypervisor && (p->evtchn_intid != 0U),
                    "no /hypervisor node with an interrupt (xen,enhanced missing?)")) {
        return;
    }
    if (!test_check("xenabi_gic", gic_init(p) == 0, "GIC init failed")) {
        return;
    }
    irq_enable();
    test_version_console(p);
    test_memory(p);
    test_vcpu(p);
    test_evtchn_2l(p);
    test_grant(p);
    test_misc(p);
    test_evtchn_fifo(p);
    test_check("xenabi_no_stray_irq", irq_unexpected_count() == 0U, "%u interrupts without handler",
               irq_unexpected_count());
}
