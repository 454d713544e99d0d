/* event_channel_op with the FIFO ABI: control block, event array, priorities, delivery. */
#include "xenabi.h"

#define WAIT_MS 1000U

static uint8_t cb_page[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));
static uint8_t array_page[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));

static long init_control(uint64_t gfn, uint32_t offset, uint32_t vcpu)
{
    struct evtchn_init_control ic = { gfn, offset, vcpu, 0U, { 0U } };

    return hyp_evtchn_op(EVTCHNOP_init_control, &ic);
}

static void fifo_setup_errors(void)
{
    uint64_t gfn = (uint64_t)(uintptr_t)cb_page >> XEN_PAGE_SHIFT;
    struct evtchn_expand_array ea = { (uint64_t)(uintptr_t)array_page >> XEN_PAGE_SHIFT };

    xen_expect("fifo_expand_before_init", hyp_evtchn_op(EVTCHNOP_expand_array, &ea), -XEN_EOPNOTSUPP);
    xen_expect("fifo_init_bad_offset", init_control(gfn, XEN_PAGE_SIZE - 8U, 0U), -XEN_EINVAL);
    xen_expect("fifo_init_misaligned", init_control(gfn, 4U, 0U), -XEN_EINVAL);
    xen_expect("fifo_init_bad_vcpu", init_control(gfn, 0U, 99U), -XEN_ENOENT);
    xen_expect("fifo_init_not_ram", init_control(0x1000U, 0U, 0U), -XEN_EINVAL);
}

static void fifo_delivery(void)
{
    uint32_t hi = 0U;
    uint32_t lo = 0U;
    uint32_t bl;
    uint32_t bh;
    volatile uint32_t *w;

    if (!xen_expect("fifo_bind_ipi", evtchn_bind_ipi(0U, &lo), 0) ||
        !xen_expect("fifo_bind_ipi_second", evtchn_bind_ipi(0U, &hi), 0)) {
        return;
    }
    xen_expect("fifo_set_priority", hyp_evtchn_op(EVTCHNOP_set_priority,
               &(struct evtchn_set_priority){ hi, EVTCHN_FIFO_PRIORITY_MAX }), 0);
    xen_expect("fifo_set_priority_bad", hyp_evtchn_op(EVTCHNOP_set_priority,
               &(struct evtchn_set_priority){ hi, EVTCHN_FIFO_PRIORITY_MIN + 1U }), -XEN_EINVAL);
    xen_expect("fifo_set_priority_bad_port", hyp_evtchn_op(EVTCHNOP_set_priority,
               &(struct evtchn_set_priority){ 100000U, 1U }), -XEN_EINVAL);

    bl = evtchn_count(lo);
    bh = evtchn_count(hi);
    xen_expect("fifo_send", evtchn_send(lo), 0);
    test_check("fifo_delivered", evtchn_wait(lo, bl + 1U, WAIT_MS), "no FIFO event on port %u", lo);

    /* both queued while IRQs are masked, then drained in one upcall */
    irq_disable();
    (void)evtchn_send(lo);
    (void)evtchn_send(hi);
    irq_enable();
    test_check("fifo_two_queues", evtchn_wait(lo, bl + 2U, WAIT_MS) && evtchn_wait(hi, bh + 1U, WAIT_MS),
               "lo %u hi %u", evtchn_count(lo), evtchn_count(hi));

    w = evtchn_fifo_word(lo);
    if (w != NULL) {
        (void)__atomic_fetch_or(w, 1U << EVTCHN_FIFO_MASKED, __ATOMIC_ACQ_REL);
        (void)evtchn_send(lo);
        delay_ms(20U);
        test_check("fifo_masked", (evtchn_count(lo) == (bl + 2U)) && ((*w & (1U << EVTCHN_FIFO_PENDING)) != 0U),
                   "count %u word 0x%x", evtchn_count(lo), *w);
        (void)__atomic_fetch_and(w, ~(1U << EVTCHN_FIFO_MASKED), __ATOMIC_ACQ_REL);
        xen_expect("fifo_unmask", evtchn_unmask(lo), 0);
        test_check("fifo_unmask_delivers", evtchn_wait(lo, bl + 3U, WAIT_MS), "count %u", evtchn_count(lo));
    }
    xen_expect("fifo_close", evtchn_close(lo), 0);
    xen_expect("fifo_close_second", evtchn_close(hi), 0);
}

void test_evtchn_fifo(const struct platform *p)
{
    (void)p;
    fifo_setup_errors();
    xen_expect("fifo_set_priority_2l", hyp_evtchn_op(EVTCHNOP_set_priority,
               &(struct evtchn_set_priority){ 1U, 1U }), -XEN_ENOSYS);
    if (!xen_expect("fifo_init_control", evtchn_fifo_start(0U, cb_page, 0U), 0)) {
        return;
    }
    xen_expect("fifo_init_again", init_control((uint64_t)(uintptr_t)cb_page >> XEN_PAGE_SHIFT, 0U, 0U),
               -XEN_EINVAL);
    if (!xen_expect("fifo_expand_array", evtchn_fifo_add_array(array_page), 0)) {
        return;
    }
    fifo_delivery();
}
