#include "evtchn.h"

#include <stddef.h>

#include "gicv3.h"
#include "irq.h"
#include "smp.h"
#include "sysreg.h"
#include "timer.h"

#define FIFO_MAX_ARRAY_PAGES 4U

/* Xen replaces this RAM page by the shared info page (as Linux does with one of its pages). */
static uint8_t shared_page[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));
struct shared_info *evtchn_shared;

static struct vcpu_info *vinfo[GUEST_LIB_MAX_VCPUS];
static volatile uint32_t counts[EVTCHN_TRACKED_PORTS];
static volatile uint32_t upcalls;

static volatile struct evtchn_fifo_control_block *fifo_cb[GUEST_LIB_MAX_VCPUS];
static uint32_t fifo_head[GUEST_LIB_MAX_VCPUS][EVTCHN_FIFO_MAX_QUEUES];
static volatile uint32_t *fifo_array[FIFO_MAX_ARRAY_PAGES];
static uint32_t fifo_pages;
static bool fifo_on;

static void count_port(uint32_t port)
{
    if (port < EVTCHN_TRACKED_PORTS) {
        (void)__atomic_fetch_add(&counts[port], 1U, __ATOMIC_RELEASE);
    }
}

volatile uint32_t *evtchn_fifo_word(uint32_t port)
{
    uint32_t page = port / EVTCHN_FIFO_WORDS_PER_PAGE;

    if (page >= fifo_pages) {
        return NULL;
    }
    return &fifo_array[page][port % EVTCHN_FIFO_WORDS_PER_PAGE];
}

/* Takes the head event of queue q off the list; returns its port (0: queue empty). */
static uint32_t fifo_pop(uint32_t vcpu, uint32_t q)
{
    uint32_t port = fifo_head[vcpu][q];
    volatile uint32_t *w;
    uint32_t old;

    if (port == 0U) {
        port = __atomic_load_n(&fifo_cb[vcpu]->head[q], __ATOMIC_ACQUIRE);
    }
    w = (port != 0U) ? evtchn_fifo_word(port) : NULL;
    if (w == NULL) {
        fifo_head[vcpu][q] = 0U;
        return 0U;
    }
    /* Unlinking must be atomic: Xen may be appending to this very word. */
    old = __atomic_load_n(w, __ATOMIC_ACQUIRE);
    while (!__atomic_compare_exchange_n(w, &old, old & ~((1U << EVTCHN_FIFO_LINKED) | EVTCHN_FIFO_LINK_MASK),
                                        false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
    }
    fifo_head[vcpu][q] = old & EVTCHN_FIFO_LINK_MASK;
    if (((old & (1U << EVTCHN_FIFO_PENDING)) != 0U) && ((old & (1U << EVTCHN_FIFO_MASKED)) == 0U)) {
        (void)__atomic_fetch_and(w, ~(1U << EVTCHN_FIFO_PENDING), __ATOMIC_ACQ_REL);
        count_port(port);
    }
    return port;
}

static void fifo_consume(uint32_t vcpu)
{
    uint32_t ready = __atomic_exchange_n(&fifo_cb[vcpu]->ready, 0U, __ATOMIC_ACQ_REL);

    while (ready != 0U) {
        uint32_t q = (uint32_t)__builtin_ctz(ready);

        if ((fifo_pop(vcpu, q) == 0U) || (fifo_head[vcpu][q] == 0U)) {
            ready &= ~(1U << q);
        }
    }
}

static void twolevel_consume(struct vcpu_info *vi)
{
    uint64_t sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0U, __ATOMIC_ACQ_REL);

    while (sel != 0U) {
        uint32_t w = (uint32_t)__builtin_ctzll(sel);
        uint64_t bits = __atomic_load_n(&evtchn_shared->evtchn_pending[w], __ATOMIC_ACQUIRE) &
                        ~__atomic_load_n(&evtchn_shared->evtchn_mask[w], __ATOMIC_ACQUIRE);

        sel &= ~(UINT64_C(1) << w);
        while (bits != 0U) {
            uint32_t b = (uint32_t)__builtin_ctzll(bits);

            bits &= ~(UINT64_C(1) << b);
            (void)__atomic_fetch_and(&evtchn_shared->evtchn_pending[w], ~(UINT64_C(1) << b),
                                     __ATOMIC_ACQ_REL);
            count_port((w * 64U) + b);
        }
    }
}

static void upcall(uint32_t intid, void *arg)
{
    uint32_t vcpu = cpu_index();
    struct vcpu_info *vi = evtchn_vcpu_info(vcpu);

    (void)intid;
    (void)arg;
    (void)__atomic_fetch_add(&upcalls, 1U, __ATOMIC_RELAXED);
    if (vi == NULL) {
        return;
    }
    /* cleared before scanning: an event set after this raises a new upcall */
    __atomic_store_n(&vi->evtchn_upcall_pending, 0U, __ATOMIC_SEQ_CST);
    if (fifo_on && (fifo_cb[vcpu] != NULL)) {
        fifo_consume(vcpu);
    } else {
        twolevel_consume(vi);
    }
}

long evtchn_setup(const struct platform *p)
{
    long rc = xen_map_shared_info((uint64_t)(uintptr_t)shared_page >> XEN_PAGE_SHIFT);

    if (rc != 0) {
        return rc;
    }
    evtchn_shared = (struct shared_info *)shared_page;
    if (vinfo[0] == NULL) {
        vinfo[0] = &evtchn_shared->vcpu_info[0];
    }
    if (p->evtchn_intid != 0U) {
        (void)irq_register(p->evtchn_intid, upcall, NULL);
        if (gic_ready()) {
            gic_irq_enable(p->evtchn_intid, GIC_PRIO_DEFAULT);
        }
    }
    return 0;
}

void evtchn_set_vcpu_info(uint32_t vcpu, struct vcpu_info *vi)
{
    if (vcpu < GUEST_LIB_MAX_VCPUS) {
        vinfo[vcpu] = vi;
    }
}

struct vcpu_info *evtchn_vcpu_info(uint32_t vcpu)
{
    return (vcpu < GUEST_LIB_MAX_VCPUS) ? vinfo[vcpu] : NULL;
}

uint32_t evtchn_count(uint32_t port)
{
    return (port < EVTCHN_TRACKED_PORTS) ? __atomic_load_n(&counts[port], __ATOMIC_ACQUIRE) : 0U;
}

uint32_t evtchn_upcalls(void)
{
    return __atomic_load_n(&upcalls, __ATOMIC_RELAXED);
}

struct count_goal {
    uint32_t port;
    uint32_t want;
};

static bool count_reached(const void *ctx)
{
    const struct count_goal *g = ctx;

    return evtchn_count(g->port) >= g->want;
}

bool evtchn_wait(uint32_t port, uint32_t want, uint64_t timeout_ms)
{
    struct count_goal g = { port, want };

    if (port >= EVTCHN_TRACKED_PORTS) {
        return false;
    }
    return wait_until(count_reached, &g, timeout_ms);
}

void evtchn_2l_mask(uint32_t port, bool masked)
{
    uint64_t bit = UINT64_C(1) << (port % 64U);

    if (masked) {
        (void)__atomic_fetch_or(&evtchn_shared->evtchn_mask[port / 64U], bit, __ATOMIC_ACQ_REL);
    } else {
        (void)__atomic_fetch_and(&evtchn_shared->evtchn_mask[port / 64U], ~bit, __ATOMIC_ACQ_REL);
    }
}

bool evtchn_2l_pending(uint32_t port)
{
    return (__atomic_load_n(&evtchn_shared->evtchn_pending[port / 64U], __ATOMIC_ACQUIRE) &
            (UINT64_C(1) << (port % 64U))) != 0U;
}

bool evtchn_2l_masked(uint32_t port)
{
    return (__atomic_load_n(&evtchn_shared->evtchn_mask[port / 64U], __ATOMIC_ACQUIRE) &
            (UINT64_C(1) << (port % 64U))) != 0U;
}

long evtchn_fifo_start(uint32_t vcpu, void *cb_page, uint32_t offset)
{
    struct evtchn_init_control ic = { 0 };
    long rc;

    if (vcpu >= GUEST_LIB_MAX_VCPUS) {
        return -XEN_EINVAL;
    }
    ic.control_gfn = (uint64_t)(uintptr_t)cb_page >> XEN_PAGE_SHIFT;
    ic.offset = offset;
    ic.vcpu = vcpu;
    fifo_cb[vcpu] = (volatile struct evtchn_fifo_control_block *)((uint8_t *)cb_page + offset);
    rc = hyp_evtchn_op(EVTCHNOP_init_control, &ic);
    if (rc == 0) {
        fifo_on = true;
    } else {
        fifo_cb[vcpu] = NULL;
    }
    return rc;
}

long evtchn_fifo_add_array(void *page)
{
    struct evtchn_expand_array ea = { (uint64_t)(uintptr_t)page >> XEN_PAGE_SHIFT };
    long rc;

    if (fifo_pages >= FIFO_MAX_ARRAY_PAGES) {
        return -XEN_ENOSPC;
    }
    rc = hyp_evtchn_op(EVTCHNOP_expand_array, &ea);
    if (rc == 0) {
        fifo_array[fifo_pages] = page;
        fifo_pages++;
    }
    return rc;
}

bool evtchn_fifo_active(void)
{
    return fifo_on;
}

long evtchn_alloc_unbound(uint16_t remote, uint32_t *port)
{
    struct evtchn_alloc_unbound a = { XEN_DOMID_SELF, remote, 0U };
    long rc = hyp_evtchn_op(EVTCHNOP_alloc_unbound, &a);

    if (rc == 0) {
        *port = a.port;
    }
    return rc;
}

long evtchn_bind_ipi(uint32_t vcpu, uint32_t *port)
{
    struct evtchn_bind_ipi b = { vcpu, 0U };
    long rc = hyp_evtchn_op(EVTCHNOP_bind_ipi, &b);

    if (rc == 0) {
        *port = b.port;
    }
    return rc;
}

long evtchn_bind_virq(uint32_t virq, uint32_t vcpu, uint32_t *port)
{
    struct evtchn_bind_virq b = { virq, vcpu, 0U };
    long rc = hyp_evtchn_op(EVTCHNOP_bind_virq, &b);

    if (rc == 0) {
        *port = b.port;
    }
    return rc;
}

long evtchn_bind_interdomain(uint16_t remote, uint32_t remote_port, uint32_t *port)
{
    struct evtchn_bind_interdomain b = { remote, remote_port, 0U };
    long rc = hyp_evtchn_op(EVTCHNOP_bind_interdomain, &b);

    if (rc == 0) {
        *port = b.local_port;
    }
    return rc;
}

long evtchn_send(uint32_t port)
{
    struct evtchn_send a = { port };

    return hyp_evtchn_op(EVTCHNOP_send, &a);
}

long evtchn_close(uint32_t port)
{
    struct evtchn_close a = { port };

    return hyp_evtchn_op(EVTCHNOP_close, &a);
}

long evtchn_unmask(uint32_t port)
{
    struct evtchn_unmask a = { port };

    return hyp_evtchn_op(EVTCHNOP_unmask, &a);
}

long evtchn_get_status(uint16_t dom, uint32_t port, struct evtchn_status *st)
{
    st->dom = dom;
    st->port = port;
    st->status = 0xffffffffU;
    st->vcpu = 0xffffffffU;
    st->u.interdomain.dom = 0xffffU;
    st->u.interdomain.port = 0xffffffffU;
    return hyp_evtchn_op(EVTCHNOP_status, st);
}

long evtchn_own_domid(uint16_t *domid)
{
    struct evtchn_status st;
    uint32_t port;
    long rc = evtchn_alloc_unbound(XEN_DOMID_SELF, &port);

    if (rc != 0) {
        return rc;
    }
    rc = evtchn_get_status(XEN_DOMID_SELF, port, &st);
    if (rc == 0) {
        *domid = st.u.unbound.dom;
    }
    (void)evtchn_close(port);
    return rc;
}
