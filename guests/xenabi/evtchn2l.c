/* event_channel_op with the 2-level ABI: every binding kind, delivery through the PPI, errors. */
#include "xenabi.h"

#define WAIT_MS 1000U

static void ipi_delivery(void)
{
    uint32_t port = 0U;
    uint32_t up;
    uint32_t base;

    if (!xen_expect("evtchn_bind_ipi", evtchn_bind_ipi(0U, &port), 0)) {
        return;
    }
    printf("xenabi: IPI port %u\n", port);
    evtchn_2l_mask(port, false);
    base = evtchn_count(port);
    up = evtchn_upcalls();
    xen_expect("evtchn_send_ipi", evtchn_send(port), 0);
    test_check("evtchn_2l_upcall", evtchn_wait(port, base + 1U, WAIT_MS) && (evtchn_upcalls() > up),
               "no upcall on the event-channel PPI (count %u)", evtchn_count(port));

    evtchn_2l_mask(port, true);
    (void)evtchn_send(port);
    delay_ms(20U);
    test_check("evtchn_2l_masked", (evtchn_count(port) == (base + 1U)) && evtchn_2l_pending(port),
               "count %u pending %d", evtchn_count(port), (int)evtchn_2l_pending(port));
    /* as Linux does: the mask bit stays set, Xen clears it and raises the pending event */
    xen_expect("evtchn_unmask", evtchn_unmask(port), 0);
    test_check("evtchn_unmask_cleared_mask", !evtchn_2l_masked(port), "mask bit still set");
    test_check("evtchn_unmask_delivers", evtchn_wait(port, base + 2U, WAIT_MS), "count %u", evtchn_count(port));

    xen_expect("evtchn_bind_vcpu_ipi", hyp_evtchn_op(EVTCHNOP_bind_vcpu,
               &(struct evtchn_bind_vcpu){ port, 0U }), -XEN_EINVAL);
    xen_expect("evtchn_close_ipi", evtchn_close(port), 0);
    xen_expect("evtchn_close_closed", evtchn_close(port), -XEN_EINVAL);
    xen_expect("evtchn_send_closed", evtchn_send(port), -XEN_EINVAL);
    xen_expect("evtchn_unmask_bad_port", evtchn_unmask(100000U), -XEN_EINVAL);
    xen_expect("evtchn_bind_ipi_bad_vcpu", evtchn_bind_ipi(99U, &port), -XEN_ENOENT);
}

static void unbound_and_loopback(void)
{
    struct evtchn_status st;
    uint32_t unb = 0U;
    uint32_t local = 0U;
    uint32_t base;

    if (!xen_expect("evtchn_alloc_unbound", evtchn_alloc_unbound(XEN_DOMID_SELF, &unb), 0)) {
        return;
    }
    xen_expect("evtchn_status_unbound", evtchn_get_status(XEN_DOMID_SELF, unb, &st), 0);
    xenabi_domid = st.u.unbound.dom;
    printf("xenabi: unbound port %u, our domid %u\n", unb, xenabi_domid);
    test_check("evtchn_status_unbound_fields", (st.status == EVTCHNSTAT_unbound) && (st.vcpu == 0U) &&
               (xenabi_domid != 0U) && (xenabi_domid < XEN_DOMID_SELF),
               "status %u vcpu %u dom %u", st.status, st.vcpu, xenabi_domid);
    xen_expect("evtchn_send_unbound", evtchn_send(unb), 0);
    xen_expect("evtchn_bind_vcpu_unbound", hyp_evtchn_op(EVTCHNOP_bind_vcpu,
               &(struct evtchn_bind_vcpu){ unb, 0U }), 0);
    xen_expect("evtchn_bind_vcpu_bad_vcpu", hyp_evtchn_op(EVTCHNOP_bind_vcpu,
               &(struct evtchn_bind_vcpu){ unb, 99U }), -XEN_ENOENT);

    /* both ends in this domain: a send on one raises the other */
    if (xen_expect("evtchn_bind_interdomain_self", evtchn_bind_interdomain(XEN_DOMID_SELF, unb, &local), 0)) {
        evtchn_2l_mask(unb, false);
        evtchn_2l_mask(local, false);
        xen_expect("evtchn_status_interdomain", evtchn_get_status(XEN_DOMID_SELF, local, &st), 0);
        test_check("evtchn_status_interdomain_fields", (st.status == EVTCHNSTAT_interdomain) &&
                   (st.u.interdomain.dom == xenabi_domid) && (st.u.interdomain.port == unb),
                   "status %u dom %u port %u", st.status, st.u.interdomain.dom, st.u.interdomain.port);
        base = evtchn_count(unb);
        (void)evtchn_send(local);
        test_check("evtchn_interdomain_loopback", evtchn_wait(unb, base + 1U, WAIT_MS), "no event on port %u", unb);
        xen_expect("evtchn_bind_interdomain_bound", evtchn_bind_interdomain(XEN_DOMID_SELF, unb, &local),
                   -XEN_EINVAL);
        xen_expect("evtchn_close_interdomain", evtchn_close(local), 0);
        xen_expect("evtchn_status_after_peer_close", evtchn_get_status(XEN_DOMID_SELF, unb, &st), 0);
        test_check("evtchn_peer_close_unbinds", st.status == EVTCHNSTAT_unbound, "status %u", st.status);
    }
    xen_expect("evtchn_close_unbound", evtchn_close(unb), 0);
    xen_expect("evtchn_bind_interdomain_no_dom", evtchn_bind_interdomain(0x7fe0U, 1U, &local), -XEN_ESRCH);
    xen_expect("evtchn_bind_interdomain_bad_port",
               evtchn_bind_interdomain(XEN_DOMID_SELF, 100000U, &local), -XEN_EINVAL);
    /* dom0less: there is no domain 0 */
    xen_expect("evtchn_alloc_unbound_no_dom0", hyp_evtchn_op(EVTCHNOP_alloc_unbound,
               &(struct evtchn_alloc_unbound){ 0U, XEN_DOMID_SELF, 0U }), -XEN_ESRCH);
}

static void virqs(void)
{
    struct evtchn_status st;
    uint32_t port = 0U;
    uint32_t again = 0U;

    if (xen_expect("evtchn_bind_virq_timer", evtchn_bind_virq(VIRQ_TIMER, 0U, &port), 0)) {
        xen_expect("evtchn_bind_virq_twice", evtchn_bind_virq(VIRQ_TIMER, 0U, &again), -XEN_EEXIST);
        xen_expect("evtchn_status_virq", evtchn_get_status(XEN_DOMID_SELF, port, &st), 0);
        test_check("evtchn_status_virq_fields", (st.status == EVTCHNSTAT_virq) &&
                   (st.u.virq == VIRQ_TIMER), "status %u virq %u", st.status, st.u.virq);
        xen_expect("evtchn_close_virq", evtchn_close(port), 0);
    }
    xen_expect("evtchn_bind_virq_bad", evtchn_bind_virq(NR_VIRQS, 0U, &port), -XEN_EINVAL);
    xen_expect("evtchn_bind_virq_global_vcpu1", evtchn_bind_virq(VIRQ_DOM_EXC, 1U, &port), -XEN_EINVAL);
    xen_expect("evtchn_bind_virq_bad_vcpu", evtchn_bind_virq(VIRQ_TIMER, 99U, &port), -XEN_ENOENT);
    xen_expect("evtchn_status_bad_port", evtchn_get_status(XEN_DOMID_SELF, 100000U, &st), -XEN_EINVAL);
    xen_expect("evtchn_status_no_dom0", evtchn_get_status(0U, 1U, &st), -XEN_ESRCH);
    xen_expect("evtchn_send_bad_port", evtchn_send(100000U), -XEN_EINVAL);
    xen_expect("evtchn_close_port0", evtchn_close(0U), -XEN_EINVAL);
    xen_expect("evtchn_bad_cmd", hyp_evtchn_op(99U, &st), -XEN_ENOSYS);
}

void test_evtchn_2l(const struct platform *p)
{
    (void)p;
    ipi_delivery();
    unbound_and_loopback();
    virqs();
}
