/* Event channels, the 2-level ABI and everything not FIFO: allocation,
 * binding, closing and status round trips, Xen 4.17's error codes for each
 * sub-operation, delivery bits and masking, VIRQs, interdomain sends
 * between fake domains, pollers, reset and domain destruction. */
#define EVTCHN_TEST_MAIN
#include "evtchn_env.c"

static void test_port0_reserved_first_port_is_1(void **state)
{
    struct evtchn_status s;
    uint32_t p;

    (void)state;
    assert_int_equal(evstatus(1U, DOMID_SELF, 0U, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_closed);
    assert_int_equal(evclose(1U, 0U), -EINVAL);
    assert_int_equal(evsend(1U, 0U), -EINVAL);
    assert_int_equal(alloc_unbound(1U, DOMID_SELF, DOMID_SELF, &p), 0);
    assert_int_equal(p, 1U);
    assert_int_equal(alloc_unbound(1U, 1U, 2U, &p), 0);
    assert_int_equal(p, 2U);
}

static void test_alloc_unbound_status(void **state)
{
    struct evtchn_status s;
    uint32_t p1;
    uint32_t p2;

    (void)state;
    assert_int_equal(alloc_unbound(1U, DOMID_SELF, DOMID_SELF, &p1), 0);
    assert_int_equal(alloc_unbound(1U, DOMID_SELF, 2U, &p2), 0);
    assert_int_equal(evstatus(1U, DOMID_SELF, p1, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_unbound);
    assert_int_equal(s.u.unbound.dom, 1U);     /* DOMID_SELF: the caller */
    assert_int_equal(s.vcpu, 0U);
    assert_int_equal(evstatus(1U, 1U, p2, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_unbound);
    assert_int_equal(s.u.unbound.dom, 2U);
    /* Free ports inside the allocated storage are "closed"; past it, -EINVAL. */
    assert_int_equal(evstatus(1U, DOMID_SELF, 63U, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_closed);
    assert_int_equal(evstatus(1U, DOMID_SELF, 64U, &s), -EINVAL);
    assert_int_equal(evstatus(1U, 7U, 1U, &s), -ESRCH);
    assert_int_equal(evclose(1U, p1), 0);
    assert_int_equal(evstatus(1U, DOMID_SELF, p1, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_closed);
    assert_int_equal(evclose(1U, p1), -EINVAL);     /* twice */
    /* The lowest free port is reused. */
    assert_int_equal(alloc_unbound(1U, DOMID_SELF, 0U, &p1), 0);
    assert_int_equal(p1, 1U);
}

static void test_privilege(void **state)
{
    struct evtchn_status s;
    uint32_t p;

    (void)state;
    assert_int_equal(alloc_unbound(1U, 2U, 1U, NULL), -EPERM);
    assert_int_equal(alloc_unbound(1U, 9U, 1U, NULL), -ESRCH);
    assert_int_equal(alloc_unbound(0U, 2U, 1U, &p), 0);     /* dom0 for domU 2 */
    assert_int_equal(evstatus(2U, DOMID_SELF, p, &s), 0);
    assert_int_equal(s.u.unbound.dom, 1U);
    /* Status of another domain: bad port first, then permission. */
    assert_int_equal(evstatus(1U, 2U, 500U, &s), -EINVAL);
    assert_int_equal(evstatus(1U, 2U, p, &s), -EPERM);
    assert_int_equal(evstatus(0U, 2U, p, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_unbound);
}

static void test_bind_interdomain_send_close(void **state)
{
    struct evtchn_status s;
    uint32_t rp;
    uint32_t lp;

    (void)state;
    assert_int_equal(alloc_unbound(2U, DOMID_SELF, 1U, &rp), 0);
    assert_int_equal(bind_interdomain(1U, 2U, rp, &lp), 0);
    assert_int_equal(lp, 1U);
    /* Binding raises the new local port once. */
    assert_true(l2_pending(1U, lp));
    assert_true(l2_sel(1U, 0U, lp));
    assert_int_equal(fake_upcalls(V(1U, 0U)), 1U);
    assert_int_equal(evstatus(1U, DOMID_SELF, lp, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_interdomain);
    assert_int_equal(s.u.interdomain.dom, 2U);
    assert_int_equal(s.u.interdomain.port, rp);
    assert_int_equal(evstatus(2U, DOMID_SELF, rp, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_interdomain);
    assert_int_equal(s.u.interdomain.dom, 1U);
    assert_int_equal(s.u.interdomain.port, lp);

    assert_false(l2_pending(2U, rp));
    assert_int_equal(evsend(1U, lp), 0);
    assert_true(l2_pending(2U, rp));
    assert_true(l2_sel(2U, 0U, rp));
    assert_int_equal(fake_upcalls(V(2U, 0U)), 1U);
    assert_true(evtchn_port_is_pending(D(2U), rp));
    /* Already pending: nothing more to do. */
    assert_int_equal(evsend(1U, lp), 0);
    assert_int_equal(marks(2U, 0U), 1U);
    l2_clear_all(1U);
    assert_int_equal(evsend(2U, rp), 0);
    assert_true(l2_pending(1U, lp));

    /* Closing one end leaves the other unbound, offered to the closer. */
    assert_int_equal(evclose(1U, lp), 0);
    assert_false(l2_pending(1U, lp));       /* pending cleared on close */
    assert_int_equal(evstatus(2U, DOMID_SELF, rp, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_unbound);
    assert_int_equal(s.u.unbound.dom, 1U);
    l2_clear_all(2U);
    assert_int_equal(evsend(2U, rp), 0);    /* unbound: dropped */
    assert_false(l2_pending(2U, rp));
    assert_int_equal(evclose(1U, lp), -EINVAL);
    /* And it can be bound again. */
    assert_int_equal(bind_interdomain(1U, 2U, rp, &lp), 0);
    assert_int_equal(evclose(2U, rp), 0);
    assert_int_equal(evstatus(1U, DOMID_SELF, lp, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_unbound);
    assert_int_equal(s.u.unbound.dom, 2U);
}

static void test_bind_interdomain_errors(void **state)
{
    uint32_t rp;
    uint32_t other;
    uint32_t lp;

    (void)state;
    assert_int_equal(alloc_unbound(2U, DOMID_SELF, 1U, &rp), 0);
    assert_int_equal(alloc_unbound(2U, DOMID_SELF, 0U, &other), 0);
    assert_int_equal(bind_interdomain(1U, 9U, rp, NULL), -ESRCH);
    assert_int_equal(bind_interdomain(1U, 2U, 4000U, NULL), -EINVAL);   /* no such port */
    assert_int_equal(bind_interdomain(1U, 2U, 0U, NULL), -EINVAL);      /* reserved */
    assert_int_equal(bind_interdomain(1U, 2U, 40U, NULL), -EINVAL);     /* free */
    assert_int_equal(bind_interdomain(1U, 2U, other, NULL), -EINVAL);   /* offered to dom0 */
    assert_int_equal(bind_interdomain(1U, 2U, rp, &lp), 0);
    assert_int_equal(bind_interdomain(1U, 2U, rp, NULL), -EINVAL);      /* bound already */
    /* A failed bind leaves no port behind. */
    assert_int_equal(alloc_unbound(1U, DOMID_SELF, 0U, &other), 0);
    assert_int_equal(other, lp + 1U);
}

static void test_loopback(void **state)
{
    struct evtchn_status s;
    uint32_t a;
    uint32_t b;

    (void)state;
    assert_int_equal(alloc_unbound(1U, DOMID_SELF, DOMID_SELF, &a), 0);
    assert_int_equal(bind_interdomain(1U, DOMID_SELF, a, &b), 0);
    l2_clear_all(1U);
    assert_int_equal(evsend(1U, b), 0);
    assert_true(l2_pending(1U, a));
    assert_false(l2_pending(1U, b));
    assert_int_equal(evclose(1U, a), 0);
    assert_int_equal(evstatus(1U, DOMID_SELF, b, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_unbound);
    assert_int_equal(s.u.unbound.dom, 1U);
}

static void test_virq(void **state)
{
    struct evtchn_status s;
    uint32_t timer;
    uint32_t con;
    uint32_t p;

    (void)state;
    assert_int_equal(bind_virq(1U, NR_VIRQS, 0U, NULL), -EINVAL);
    assert_int_equal(bind_virq(1U, 0xffffffffU, 0U, NULL), -EINVAL);
    assert_int_equal(bind_virq(1U, VIRQ_CONSOLE, 1U, NULL), -EINVAL);  /* global: vCPU 0 */
    assert_int_equal(bind_virq(1U, VIRQ_ARCH_0, 1U, NULL), -EINVAL);   /* global on Arm */
    assert_int_equal(bind_virq(1U, VIRQ_TIMER, 2U, NULL), -ENOENT);
    assert_int_equal(bind_virq(1U, VIRQ_TIMER, 1U, &timer), 0);
    assert_int_equal(bind_virq(1U, VIRQ_TIMER, 1U, NULL), -EEXIST);
    assert_int_equal(bind_virq(1U, VIRQ_TIMER, 0U, &p), 0);           /* per vCPU */
    assert_int_equal(bind_virq(1U, VIRQ_CONSOLE, 0U, &con), 0);
    assert_int_equal(bind_virq(1U, VIRQ_CONSOLE, 0U, NULL), -EEXIST);
    assert_int_equal(evstatus(1U, DOMID_SELF, timer, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_virq);
    assert_int_equal(s.u.virq, VIRQ_TIMER);
    assert_int_equal(s.vcpu, 1U);

    send_guest_vcpu_virq(V(1U, 1U), VIRQ_TIMER);
    assert_true(l2_pending(1U, timer));
    assert_true(l2_sel(1U, 1U, timer));
    assert_int_equal(marks(1U, 1U), 1U);
    assert_int_equal(fake_upcalls(V(1U, 1U)), 1U);
    send_guest_vcpu_virq(V(1U, 1U), VIRQ_DEBUG);        /* not bound */
    send_guest_vcpu_virq(V(1U, 1U), VIRQ_CONSOLE);      /* global: ignored */
    send_guest_vcpu_virq(V(1U, 1U), 99U);
    assert_int_equal(marks(1U, 1U), 1U);

    send_guest_global_virq(D(1U), VIRQ_CONSOLE);
    assert_true(l2_pending(1U, con));
    assert_int_equal(marks(1U, 0U), 1U);
    send_guest_global_virq(D(1U), VIRQ_TIMER);          /* per vCPU: ignored */
    send_guest_global_virq(D(2U), VIRQ_CONSOLE);        /* not bound */
    send_guest_global_virq(NULL, VIRQ_CONSOLE);

    /* A global VIRQ may move to another vCPU, a per-vCPU one may not. */
    assert_int_equal(bind_vcpu(1U, timer, 0U), -EINVAL);
    assert_int_equal(bind_vcpu(1U, con, 1U), 0);
    l2_clear_all(1U);
    send_guest_global_virq(D(1U), VIRQ_CONSOLE);
    assert_true(l2_sel(1U, 1U, con));
    assert_int_equal(marks(1U, 1U), 2U);
    assert_int_equal(evstatus(1U, DOMID_SELF, con, &s), 0);
    assert_int_equal(s.vcpu, 1U);

    /* Guests cannot send on VIRQ ports; closing frees the VIRQ. */
    assert_int_equal(evsend(1U, timer), -EINVAL);
    assert_int_equal(evclose(1U, con), 0);
    assert_int_equal(evclose(1U, timer), 0);
    assert_int_equal(bind_virq(1U, VIRQ_TIMER, 1U, NULL), 0);
    assert_int_equal(bind_virq(1U, VIRQ_CONSOLE, 0U, NULL), 0);
}

static void test_ipi_and_bind_vcpu(void **state)
{
    struct evtchn_status s;
    uint32_t ipi;
    uint32_t u;

    (void)state;
    assert_int_equal(bind_ipi(1U, 2U, NULL), -ENOENT);
    assert_int_equal(bind_ipi(1U, 1U, &ipi), 0);
    assert_int_equal(evstatus(1U, DOMID_SELF, ipi, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_ipi);
    assert_int_equal(s.vcpu, 1U);
    assert_int_equal(evsend(1U, ipi), 0);
    assert_true(l2_pending(1U, ipi));
    assert_true(l2_sel(1U, 1U, ipi));
    assert_false(l2_sel(1U, 0U, ipi));
    assert_int_equal(fake_upcalls(V(1U, 1U)), 1U);

    assert_int_equal(bind_vcpu(1U, ipi, 0U), -EINVAL);
    assert_int_equal(bind_vcpu(1U, ipi, 5U), -ENOENT);
    assert_int_equal(bind_vcpu(1U, 999U, 0U), -EINVAL);
    assert_int_equal(bind_vcpu(1U, 0U, 0U), -EINVAL);
    assert_int_equal(alloc_unbound(1U, DOMID_SELF, 2U, &u), 0);
    assert_int_equal(bind_vcpu(1U, u, 1U), 0);
    assert_int_equal(evstatus(1U, DOMID_SELF, u, &s), 0);
    assert_int_equal(s.vcpu, 1U);
    /* Closing resets the vCPU to 0 for the next user of the port. */
    assert_int_equal(evclose(1U, u), 0);
    assert_int_equal(evstatus(1U, DOMID_SELF, u, &s), 0);
    assert_int_equal(s.vcpu, 0U);
}

static void test_2l_masking(void **state)
{
    uint32_t ipi;

    (void)state;
    assert_int_equal(bind_ipi(1U, 0U, &ipi), 0);
    l2_set_mask(1U, ipi, true);
    assert_int_equal(evsend(1U, ipi), 0);
    assert_true(l2_pending(1U, ipi));
    assert_false(l2_sel(1U, 0U, ipi));
    assert_int_equal(marks(1U, 0U), 0U);
    assert_true(evtchn_port_is_pending(D(1U), ipi));
    /* Unmasking a pending port delivers it. */
    assert_int_equal(evunmask(1U, ipi), 0);
    assert_false((D(1U)->shared_info->evtchn_mask[0] >> ipi) & 1U);
    assert_true(l2_sel(1U, 0U, ipi));
    assert_int_equal(marks(1U, 0U), 1U);
    /* Unmasking an unmasked one does nothing. */
    assert_int_equal(evunmask(1U, ipi), 0);
    assert_int_equal(marks(1U, 0U), 1U);
    assert_int_equal(evunmask(1U, 5000U), -EINVAL);
    assert_int_equal(evunmask(1U, 30U), 0);     /* free: nothing, no error */
    /* Selector already set: no second upcall for another port in the word. */
    l2_clear_all(1U);
    uint32_t ipi2;
    assert_int_equal(bind_ipi(1U, 0U, &ipi2), 0);
    assert_int_equal(evsend(1U, ipi), 0);
    assert_int_equal(evsend(1U, ipi2), 0);
    assert_int_equal(marks(1U, 0U), 2U);
    assert_false(evtchn_port_is_pending(D(1U), 5000U));
    assert_false(evtchn_port_is_pending(D(1U), 0U));
}

/* The hypervisor's own EVTCHNOP_alloc_unbound (a dom0less domU's xenstore
 * channel): no privilege needed, the remote need not exist, and the remote
 * binds it as any unbound port. */
static void test_hypervisor_alloc_unbound(void **state)
{
    struct evtchn_status s;
    evtchn_port_t p = 0U;
    uint32_t lp;

    (void)state;
    assert_int_equal(evtchn_alloc_unbound(D(2U), 0U, &p), 0);
    assert_int_equal(p, 1U);
    assert_int_equal(evstatus(2U, DOMID_SELF, p, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_unbound);
    assert_int_equal(s.u.unbound.dom, 0U);
    /* Only the domain it was offered to may bind it. */
    assert_int_equal(bind_interdomain(1U, 2U, p, NULL), -EINVAL);
    assert_int_equal(bind_interdomain(0U, 2U, p, &lp), 0);
    assert_int_equal(evstatus(2U, DOMID_SELF, p, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_interdomain);
    assert_int_equal(s.u.interdomain.dom, 0U);
    assert_int_equal(s.u.interdomain.port, lp);
    /* DOMID_SELF: the domain itself; a domain not yet created is fine. */
    assert_int_equal(evtchn_alloc_unbound(D(1U), DOMID_SELF, &p), 0);
    assert_int_equal(evstatus(1U, DOMID_SELF, p, &s), 0);
    assert_int_equal(s.u.unbound.dom, 1U);
    assert_int_equal(evtchn_alloc_unbound(D(1U), 42U, &p), 0);
    assert_int_equal(evstatus(1U, DOMID_SELF, p, &s), 0);
    assert_int_equal(s.u.unbound.dom, 42U);
    /* Out of ports. */
    while (bind_ipi(2U, 0U, NULL) == 0) {
    }
    assert_int_equal(evtchn_alloc_unbound(D(2U), 0U, &p), -ENOSPC);
}

static void test_exhaustion_domu(void **state)
{
    uint32_t p = 0U;
    unsigned int n = 0U;

    (void)state;
    while (bind_ipi(2U, 0U, &p) == 0) {
        n++;
        assert_true(n <= 1023U);
    }
    assert_int_equal(n, 1023U);     /* ports 1..1023 */
    assert_int_equal(bind_ipi(2U, 0U, NULL), -ENOSPC);
    assert_int_equal(alloc_unbound(2U, DOMID_SELF, 0U, NULL), -ENOSPC);
    assert_int_equal(bind_virq(2U, VIRQ_TIMER, 0U, NULL), -ENOSPC);
    assert_int_equal(bind_interdomain(2U, 0U, 1U, NULL), -ENOSPC);
    assert_int_equal(evclose(2U, 500U), 0);
    assert_int_equal(bind_ipi(2U, 0U, &p), 0);
    assert_int_equal(p, 500U);
}

/* Static mode: a domain built before the heap closes can still bind every
 * port Xen 4.17 gives a dom0less domU (1-1023), and nothing is refused. */
static void test_static_mode_domu_gets_every_port(void **state)
{
    struct alloc_count_stats st;
    uint32_t p = 0U;
    unsigned int n = 0U;

    (void)state;
    kill_domain(2U);
    alloc_count_reset();
    alloc_count_set_static(true);
    make_domain(2U, 1U, false);
    alloc_count_end_boot();
    while (bind_ipi(2U, 0U, &p) == 0) {
        n++;
        assert_true(n <= 1023U);
    }
    assert_int_equal(n, 1023U);
    assert_int_equal(bind_ipi(2U, 0U, NULL), -ENOSPC);
    alloc_count_stats(&st);
    assert_int_equal(st.refused[ALLOC_KIND_PAGES] + st.refused[ALLOC_KIND_XMALLOC], 0U);
    /* Freeing is allowed; only new allocations are refused. */
    kill_domain(2U);
    alloc_count_reset();
}

static void test_exhaustion_dom0_2l(void **state)
{
    unsigned int n = 0U;
    uint32_t p = 0U;

    (void)state;
    uint32_t last = 0U;

    while (bind_ipi(0U, 0U, &p) == 0) {
        last = p;
        n++;
        assert_true(n <= 4095U);
    }
    assert_int_equal(n, 4095U);     /* the 2-level ABI's 4096 ports */
    assert_int_equal(last, 4095U);
    /* Delivery to the last port of the bitmap. */
    assert_int_equal(evsend(0U, 4095U), 0);
    assert_true(l2_pending(0U, 4095U));
    assert_true(l2_sel(0U, 0U, 4095U));
    /* Reset closes them all, in several continuations. */
    assert_int_equal(evreset(0U, DOMID_SELF), 0);
    assert_int_equal(D(0U)->evtchn->active, 0U);
    assert_false(l2_pending(0U, 4095U));
}

static void test_pirq_unknown_efault(void **state)
{
    struct evtchn_bind_pirq bp = { .pirq = 1024U };
    uint32_t port = 1U;
    struct hcall_args a = { { EVTCHNOP_close, 0x90000000ULL, 0U, 0U, 0U } };
    uint32_t p;

    (void)state;
    assert_int_equal(evop(1U, EVTCHNOP_bind_pirq, &bp, sizeof(bp)), -EINVAL);
    bp.pirq = 5U;
    assert_int_equal(evop(1U, EVTCHNOP_bind_pirq, &bp, sizeof(bp)), -ENOMEM);
    assert_int_equal(evop(1U, 15U, &port, sizeof(port)), -ENOSYS);
    assert_int_equal(evop(1U, 0xffffffffU, &port, sizeof(port)), -ENOSYS);
    /* The command is a C int in Xen: upper bits ignored. */
    assert_int_equal(alloc_unbound(1U, DOMID_SELF, 0U, &p), 0);
    assert_int_equal(evop(1U, 0x100000000ULL | EVTCHNOP_close, &p, sizeof(p)), 0);
    /* Argument outside guest RAM. */
    fake_guest_set_vcpu(V(1U, 0U));
    for (uint32_t cmd = 0U; cmd <= 14U; cmd++) {
        a.a[0] = cmd;
        assert_int_equal(do_event_channel_op(&a), -EFAULT);
    }
    /* Copy back fails (read-only page): the port stays allocated. */
    fake_guest_fault(ARG_GPA, 4096U, true);
    assert_int_equal(alloc_unbound(1U, DOMID_SELF, 0U, NULL), -EFAULT);
    assert_int_equal(D(1U)->evtchn->active, 1U);
    /* No current vCPU. */
    fake_guest_set_vcpu(NULL);
    a.a[0] = EVTCHNOP_send;
    assert_int_equal(do_event_channel_op(&a), -ENOSYS);
}

static void test_pollers(void **state)
{
    uint32_t ipi;

    (void)state;
    assert_int_equal(bind_ipi(1U, 0U, &ipi), 0);
    V(1U, 0U)->polling = true;
    V(1U, 1U)->polling = true;
    l2_set_mask(1U, ipi, true);
    assert_int_equal(evsend(1U, ipi), 0);   /* masked still ends a poll */
    assert_false(V(1U, 0U)->polling);
    assert_false(V(1U, 1U)->polling);
    assert_int_equal(wakes(1U, 0U), 1U);
    assert_int_equal(wakes(1U, 1U), 1U);
    V(1U, 0U)->polling = true;
    assert_int_equal(evsend(1U, ipi), 0);   /* already pending: no wake */
    assert_true(V(1U, 0U)->polling);
    assert_int_equal(wakes(1U, 0U), 1U);
    V(1U, 0U)->polling = false;
    assert_int_equal(wakes(0U, 0U) + wakes(2U, 0U), 0U);
}

static void test_reset(void **state)
{
    struct evtchn_status s;
    uint32_t rp;
    uint32_t lp;
    struct evtchn_reset r = { .dom = 1U };

    (void)state;
    assert_int_equal(alloc_unbound(2U, DOMID_SELF, 1U, &rp), 0);
    assert_int_equal(bind_interdomain(1U, 2U, rp, &lp), 0);
    assert_int_equal(bind_virq(1U, VIRQ_TIMER, 1U, NULL), 0);
    assert_int_equal(bind_ipi(1U, 1U, NULL), 0);
    assert_int_equal(evreset(2U, 1U), -EPERM);
    assert_int_equal(evreset(2U, 9U), -ESRCH);
    assert_int_equal(evreset(0U, 1U), -EINVAL);     /* running, not paused */
    assert_int_equal(evop(1U, EVTCHNOP_reset_cont, &r, sizeof(r)), -EBUSY);
    assert_int_equal(evreset(1U, DOMID_SELF), 0);
    assert_int_equal(D(1U)->evtchn->active, 0U);
    assert_int_equal(evstatus(2U, DOMID_SELF, rp, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_unbound);
    assert_int_equal(bind_virq(1U, VIRQ_TIMER, 1U, NULL), 0);
    /* A domain still being built may be reset by dom0. */
    D(1U)->state = DOMAIN_BUILDING;
    assert_int_equal(evreset(0U, 1U), 0);
    assert_int_equal(D(1U)->evtchn->active, 0U);
    D(1U)->state = DOMAIN_RUNNING;
}

static void test_destroy_unbinds_peers(void **state)
{
    struct evtchn_status s;
    uint32_t rp;
    uint32_t lp;
    uint32_t rp2;

    (void)state;
    assert_int_equal(alloc_unbound(2U, DOMID_SELF, 1U, &rp), 0);
    assert_int_equal(bind_interdomain(1U, 2U, rp, &lp), 0);
    assert_int_equal(alloc_unbound(1U, DOMID_SELF, 2U, &lp), 0);
    assert_int_equal(bind_interdomain(2U, 1U, lp, &rp2), 0);
    assert_int_equal(bind_virq(1U, VIRQ_TIMER, 0U, NULL), 0);
    kill_domain(1U);
    assert_int_equal(evstatus(2U, DOMID_SELF, rp, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_unbound);
    assert_int_equal(s.u.unbound.dom, 1U);
    assert_int_equal(evstatus(2U, DOMID_SELF, rp2, &s), 0);
    assert_int_equal(s.status, EVTCHNSTAT_unbound);
    assert_int_equal(evsend(2U, rp), 0);
    assert_int_equal(bind_interdomain(2U, 1U, 1U, NULL), -ESRCH);
    assert_int_equal(D(2U)->evtchn->active, 2U);
    /* Destroying a half-built domain is harmless. */
    evtchn_domain_destroy(D(1U));
}

static void test_lock_order_both_ways(void **state)
{
    uint32_t a;
    uint32_t b;

    (void)state;
    /* Both lock orders of an interdomain pair (send from higher and lower
     * domain id) work without deadlocking. */
    assert_int_equal(alloc_unbound(0U, DOMID_SELF, 2U, &a), 0);
    assert_int_equal(bind_interdomain(2U, 0U, a, &b), 0);
    l2_clear_all(0U);
    l2_clear_all(2U);
    assert_int_equal(evsend(2U, b), 0);
    assert_true(l2_pending(0U, a));
    assert_int_equal(evsend(0U, a), 0);
    assert_true(l2_pending(2U, b));
    assert_int_equal(evclose(0U, a), 0);
    assert_int_equal(evclose(2U, b), 0);
    assert_int_equal(D(0U)->evtchn->inflight, 0U);
    assert_int_equal(D(2U)->evtchn->inflight, 0U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_port0_reserved_first_port_is_1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_unbound_status, setup, teardown),
        cmocka_unit_test_setup_teardown(test_privilege, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hypervisor_alloc_unbound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bind_interdomain_send_close, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bind_interdomain_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_loopback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_virq, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ipi_and_bind_vcpu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_2l_masking, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exhaustion_domu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_static_mode_domu_gets_every_port, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exhaustion_dom0_2l, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pirq_unknown_efault, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pollers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_unbinds_peers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock_order_both_ways, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
