/* Shared set-up for the event-channel tests (included by
 * test_evtchn.c and test_evtchn_fifo.c, not built alone).
 *
 * Three hand-built domains: dom0 (id 0, privileged, 2 vCPUs) and the domUs
 * 1 (2 vCPUs) and 2 (1 vCPU). Each has 32 pages of fake guest RAM at
 * GUEST_BASE; its page 0 holds hypercall arguments, which evop() copies
 * in and out around do_event_channel_op as the calling vCPU. Memory is
 * the real page allocator's and xmalloc's (below).
 * The build also compiles this file on its own (it is a prerequisite so
 * that editing it rebuilds the tests): then it is empty. */
#ifdef EVTCHN_TEST_MAIN
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/domain.h>
#include <proxenos/domain_pv.h>
#include <proxenos/errno.h>
#include <proxenos/evtchn.h>
#include <proxenos/hypercall.h>
#include <proxenos/page_alloc.h>
#include <proxenos/sched.h>
#include <proxenos/xmalloc.h>
#include <proxenos/arch/evtchn.h>
#include <proxenos/bootmem.h>
#include <proxenos/alloc_count.h>
#include <public/event_channel.h>
#include <fake_arch.h>
#include "evtchn_internal.h"
#include "fake_domains.h"
#include "fake_events_pending.h"
#include "fake_sched.h"

/* Not every test file uses every helper. */
#define HELPER __attribute__((unused)) static

#define RAM_BASE     0x40000000ULL
#define DOM_PAGES    32U
#define NR_DOMS      3U
#define RAM_PAGES    (DOM_PAGES * NR_DOMS)
#define GUEST_BASE   0x80000000ULL
#define ARG_GPA      GUEST_BASE
#define GFN(page)    ((GUEST_BASE >> 12) + (page))
#define MAX_VCPUS_T  2U

/* ---- Memory ------------------------------------------------------------------
 * The real page allocator and xmalloc on fake RAM: the domains' guest RAM
 * (RAM_PAGES from RAM_BASE) is reserved before the allocator takes the
 * rest as its heap, so that it lies in the allocator's frame table (the
 * pins guest_page_get takes are read through the real mfn_to_page) but is
 * never handed out. */

#define HEAP_BYTES   (8U << 20)
#define ENV_RAM_BYTES ((size_t)RAM_PAGES * 4096U + HEAP_BYTES)

/* The frame of page pg of domain id's guest RAM. */
HELPER struct page_info *dom_page_frame(unsigned int id, unsigned int pg)
{
    struct page_info *f = mfn_to_page(paddr_to_mfn(RAM_BASE + ((paddr_t)id * DOM_PAGES + pg) * 4096U));

    assert_non_null(f);
    return f;
}

static uint8_t *env_memory_init(void)
{
    uint8_t *base;

    bootmem_reset();
    base = fake_ram_alloc(RAM_BASE, ENV_RAM_BYTES);
    assert_int_equal(bootmem_add_ram(RAM_BASE, RAM_BASE + ENV_RAM_BYTES), 0);
    assert_int_equal(bootmem_reserve(RAM_BASE, RAM_BASE + (paddr_t)RAM_PAGES * 4096U), 0);
    assert_int_equal(page_alloc_init(), 0);
    xmalloc_reset();
    return base;
}

static struct domain doms[NR_DOMS];
static struct vcpu vcpus[NR_DOMS][MAX_VCPUS_T];
static struct vcpu *vcpu_ptrs[NR_DOMS][MAX_VCPUS_T];
static bool dom_alive[NR_DOMS];
static uint8_t *ram;

/* The domain table is fake_domains.c's: a made domain is listed, a
 * killed one unlisted; teardown checks every reference was given back. */

/* Upcalls marked pending are the shared fake_events_pending.c's, counted
 * per vCPU (also of a vCPU already marked). */
HELPER unsigned int marks(unsigned int id, unsigned int vcpu)
{
    return fake_events_marked(&vcpus[id][vcpu]);
}

/* The scheduler is the shared fake_sched.c: wakes are counted per vCPU. */
HELPER unsigned int wakes(unsigned int id, unsigned int vcpu)
{
    return fake_sched_calls(FAKE_SCHED_WAKE, &vcpus[id][vcpu]);
}

/* ---- Domains ----------------------------------------------------------------- */

HELPER struct domain *D(unsigned int id)
{
    return &doms[id];
}

HELPER struct vcpu *V(unsigned int id, unsigned int vcpu)
{
    return &vcpus[id][vcpu];
}

/* Host pointer to byte off of page pg of domain id's guest RAM. */
HELPER void *gmem(unsigned int id, unsigned int pg, size_t off)
{
    return ram + ((size_t)id * DOM_PAGES + pg) * 4096U + off;
}

HELPER void make_domain(unsigned int id, unsigned int nr_vcpus, bool privileged)
{
    struct domain *d = &doms[id];

    memset(d, 0, sizeof(*d));
    d->domain_id = (domid_t)id;
    d->state = DOMAIN_RUNNING;
    d->is_privileged = privileged;
    d->max_vcpus = nr_vcpus;
    d->vcpu = vcpu_ptrs[id];
    d->shared_info = alloc_xenheap_page();
    assert_non_null(d->shared_info);
    memset(d->shared_info, 0, 4096U);
    for (unsigned int i = 0U; i < nr_vcpus; i++) {
        struct vcpu *v = &vcpus[id][i];

        memset(v, 0, sizeof(*v));
        v->vcpu_id = i;
        v->domain = d;
        v->vcpu_info = (i == 0U) ? &d->shared_info->vcpu_info[0] : &v->vcpu_info_dummy;
        vcpu_ptrs[id][i] = v;
    }
    fake_guest_map(d, GUEST_BASE, RAM_BASE + (paddr_t)id * DOM_PAGES * 4096U,
                   (uint64_t)DOM_PAGES * 4096U);
    assert_int_equal(evtchn_domain_init(d), 0);
    dom_alive[id] = true;
    fake_domain_list(d);
}

HELPER void kill_domain(unsigned int id)
{
    if (dom_alive[id]) {
        dom_alive[id] = false;
        fake_domain_unlist(&doms[id]);
        evtchn_domain_destroy(&doms[id]);
        assert_null(doms[id].evtchn);
        free_xenheap_page(doms[id].shared_info);
        doms[id].shared_info = NULL;
    }
}

HELPER int setup(void **state)
{
    (void)state;
    fake_reset();
    fake_domains_reset();
    fake_console_quiet(true);
    alloc_count_reset();    /* a failed static-mode test leaves it on */
    ram = env_memory_init();
    fake_events_pending_reset();
    fake_sched_reset();
    make_domain(0U, 2U, true);
    make_domain(1U, 2U, false);
    make_domain(2U, 1U, false);
    return 0;
}

HELPER int teardown(void **state)
{
    (void)state;
    for (unsigned int i = 0U; i < NR_DOMS; i++) {
        kill_domain(i);
    }
    for (unsigned int id = 0U; id < NR_DOMS; id++) {
        for (unsigned int pg = 0U; pg < DOM_PAGES; pg++) {
            assert_int_equal(dom_page_frame(id, pg)->u.guest.pins, 0U);
        }
    }
    assert_int_equal(fake_domain_refs_total(), 0U);
    /* Every object the event channels allocated was given back. */
    {
        struct xmalloc_stats st;

        xmalloc_stats(&st);
        assert_int_equal(st.nr_allocs, st.nr_frees);
    }
    return 0;
}

/* ---- Hypercalls ------------------------------------------------------------ */

/* EVTCHNOP cmd from vCPU vcpu of domain id with *arg (len bytes) as the
 * argument in guest memory; *arg is updated from guest memory after. */
HELPER long evop_vcpu(unsigned int id, unsigned int vcpu, uint64_t cmd, void *arg, size_t len)
{
    struct hcall_args a = { { cmd, ARG_GPA, 0U, 0U, 0U } };
    long rc;

    memcpy(gmem(id, 0U, 0U), arg, len);
    fake_guest_set_vcpu(V(id, vcpu));
    rc = do_event_channel_op(&a);
    memcpy(arg, gmem(id, 0U, 0U), len);
    return rc;
}

HELPER long evop(unsigned int id, uint64_t cmd, void *arg, size_t len)
{
    return evop_vcpu(id, 0U, cmd, arg, len);
}

HELPER long alloc_unbound(unsigned int id, uint16_t dom, uint16_t remote, uint32_t *port)
{
    struct evtchn_alloc_unbound a = { .dom = dom, .remote_dom = remote, .port = 0xdeadU };
    long rc = evop(id, EVTCHNOP_alloc_unbound, &a, sizeof(a));

    if (port != NULL) {
        *port = a.port;
    }
    return rc;
}

HELPER long bind_interdomain(unsigned int id, uint16_t rdom, uint32_t rport, uint32_t *lport)
{
    struct evtchn_bind_interdomain b = { .remote_dom = rdom, .remote_port = rport };
    long rc = evop(id, EVTCHNOP_bind_interdomain, &b, sizeof(b));

    if (lport != NULL) {
        *lport = b.local_port;
    }
    return rc;
}

HELPER long bind_virq(unsigned int id, uint32_t virq, uint32_t vcpu, uint32_t *port)
{
    struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };
    long rc = evop(id, EVTCHNOP_bind_virq, &b, sizeof(b));

    if (port != NULL) {
        *port = b.port;
    }
    return rc;
}

HELPER long bind_ipi(unsigned int id, uint32_t vcpu, uint32_t *port)
{
    struct evtchn_bind_ipi b = { .vcpu = vcpu };
    long rc = evop(id, EVTCHNOP_bind_ipi, &b, sizeof(b));

    if (port != NULL) {
        *port = b.port;
    }
    return rc;
}

HELPER long port_op(unsigned int id, uint32_t cmd, uint32_t port)
{
    return evop(id, cmd, &port, sizeof(port));
}

HELPER long evclose(unsigned int id, uint32_t port)
{
    return port_op(id, EVTCHNOP_close, port);
}

HELPER long evsend(unsigned int id, uint32_t port)
{
    return port_op(id, EVTCHNOP_send, port);
}

HELPER long evunmask(unsigned int id, uint32_t port)
{
    return port_op(id, EVTCHNOP_unmask, port);
}

HELPER long evstatus(unsigned int id, uint16_t dom, uint32_t port, struct evtchn_status *s)
{
    memset(s, 0, sizeof(*s));
    s->dom = dom;
    s->port = port;
    return evop(id, EVTCHNOP_status, s, sizeof(*s));
}

HELPER long bind_vcpu(unsigned int id, uint32_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu b = { .port = port, .vcpu = vcpu };

    return evop(id, EVTCHNOP_bind_vcpu, &b, sizeof(b));
}

HELPER long set_priority(unsigned int id, uint32_t port, uint32_t prio)
{
    struct evtchn_set_priority sp = { .port = port, .priority = prio };

    return evop(id, EVTCHNOP_set_priority, &sp, sizeof(sp));
}

HELPER long evreset(unsigned int id, uint16_t dom)
{
    struct evtchn_reset r = { .dom = dom };
    struct hcall_args a = { { EVTCHNOP_reset, ARG_GPA, 0U, 0U, 0U } };
    long rc;

    memcpy(gmem(id, 0U, 0U), &r, sizeof(r));
    fake_guest_set_vcpu(V(id, 0U));
    /* As the dispatcher does with -ERESTART: run it again as rewritten. */
    do {
        rc = do_event_channel_op(&a);
    } while (rc == -ERESTART);
    return rc;
}

/* ---- 2-level bits ------------------------------------------------------------ */

HELPER bool l2_pending(unsigned int id, uint32_t port)
{
    return (D(id)->shared_info->evtchn_pending[port / 64U] >> (port % 64U)) & 1U;
}

HELPER void l2_set_mask(unsigned int id, uint32_t port, bool on)
{
    xen_ulong_t *w = &D(id)->shared_info->evtchn_mask[port / 64U];

    *w = on ? (*w | (1UL << (port % 64U))) : (*w & ~(1UL << (port % 64U)));
}

HELPER bool l2_sel(unsigned int id, unsigned int vcpu, uint32_t port)
{
    return (V(id, vcpu)->vcpu_info->evtchn_pending_sel >> (port / 64U)) & 1U;
}

HELPER void l2_clear_all(unsigned int id)
{
    memset(D(id)->shared_info->evtchn_pending, 0, sizeof(D(id)->shared_info->evtchn_pending));
    for (unsigned int i = 0U; i < D(id)->max_vcpus; i++) {
        V(id, i)->vcpu_info->evtchn_pending_sel = 0U;
        V(id, i)->vcpu_info->evtchn_upcall_pending = 0U;
    }
}

#endif
