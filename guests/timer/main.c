/*
 * timer: the EL1 virtual timer through the GIC, and SGIs between vCPUs.
 *
 *  - `rounds` deadlines (bootargs rounds=, default 20) 1-3 ms ahead: each
 *    must raise the timer PPI no earlier than its deadline; prints the
 *    latency (counter at handler entry minus CVAL) min/avg/max;
 *  - the counter never goes backwards, deadlines arrive in order;
 *  - a deadline in the past fires at once, a masked timer (IMASK) not at all;
 *  - WFI with the interrupt masked at the PE wakes on the timer;
 *  - an SGI to itself; with 2+ vCPUs, `rounds` SGI ping-pongs with vCPU 1.
 */
#include "guest.h"

#define SGI_SELF    3U
#define SGI_PING    1U
#define SGI_PONG    2U
#define WAIT_MS     1000U

static const struct platform *plat;

/* Written by the timer handler, read by the main loop. */
static volatile uint32_t fired;
static volatile uint64_t fired_at;
static volatile uint32_t istatus_seen;

static volatile uint32_t sgi_self_count;
static volatile uint32_t pings;
static volatile uint32_t pongs;
static volatile uint32_t partner_ready;
static volatile uint32_t partner_stop;

static void vtimer_handler(uint32_t intid, void *arg)
{
    uint64_t now = timer_now();
    uint64_t ctl = timer_ctl();

    (void)intid;
    (void)arg;
    /* level-sensitive: stop the timer so the line drops before EOI */
    timer_stop();
    if ((ctl & CNTV_CTL_ISTATUS) != 0U) {
        (void)__atomic_fetch_add(&istatus_seen, 1U, __ATOMIC_RELAXED);
    }
    fired_at = now;
    (void)__atomic_fetch_add(&fired, 1U, __ATOMIC_RELEASE);
}

static void sgi_self_handler(uint32_t intid, void *arg)
{
    (void)intid;
    (void)arg;
    (void)__atomic_fetch_add(&sgi_self_count, 1U, __ATOMIC_RELEASE);
}

struct latency {
    uint64_t min;
    uint64_t max;
    uint64_t sum;
    uint32_t n;
};

static void latency_add(struct latency *l, uint64_t v)
{
    if ((l->n == 0U) || (v < l->min)) {
        l->min = v;
    }
    if (v > l->max) {
        l->max = v;
    }
    l->sum += v;
    l->n++;
}

/* Two short lines: "timer: <what> n=.. min=.. avg=.. max=.. ticks", then the same in ns. */
static void latency_print(const char *what, const struct latency *l)
{
    uint64_t avg = (l->n != 0U) ? (l->sum / l->n) : 0U;

    printf("timer: %s n=%u min=%lu avg=%lu max=%lu ticks\n", what, l->n, l->min, avg, l->max);
    printf("timer: %s n=%u min=%lu avg=%lu max=%lu ns\n", what, l->n,
           timer_ticks_to_ns(l->min), timer_ticks_to_ns(avg), timer_ticks_to_ns(l->max));
}

static void check_counter(void)
{
    uint64_t prev = timer_now();
    uint64_t first = prev;
    uint32_t backwards = 0U;
    uint32_t i;

    for (i = 0U; i < 10000U; i++) {
        uint64_t now = timer_now();

        if (now < prev) {
            backwards++;
        }
        prev = now;
    }
    delay_us(100U);
    test_check("timer_counter_monotonic", (backwards == 0U) && (timer_now() > first),
               "%u backward steps", backwards);
}

static void run_deadlines(uint64_t rounds)
{
    struct latency lat = { 0U, 0U, 0U, 0U };
    uint32_t early = 0U;
    uint32_t missed = 0U;
    uint32_t out_of_order = 0U;
    uint64_t last = 0U;
    uint64_t r;

    for (r = 0U; r < rounds; r++) {
        uint32_t before = fired;
        uint64_t cval = timer_now() + timer_us_to_ticks(1000U + ((r % 5U) * 500U));

        timer_arm_at(cval);
        if (!wait_for_u32(&fired, before + 1U, WAIT_MS)) {
            timer_stop();
            missed++;
            continue;
        }
        if (fired_at < cval) {
            early++;
        } else {
            latency_add(&lat, fired_at - cval);
        }
        if (fired_at <= last) {
            out_of_order++;
        }
        last = fired_at;
    }
    latency_print("vtimer_latency", &lat);
    test_check("timer_irq", missed == 0U, "%u of %lu deadlines never raised the PPI", missed, rounds);
    test_check("timer_not_early", early == 0U, "%u interrupts before CVAL", early);
    test_check("timer_in_order", out_of_order == 0U, "%u out of order", out_of_order);
    test_check("timer_istatus", istatus_seen == (uint32_t)(rounds - missed),
               "ISTATUS clear in %u handlers", (uint32_t)(rounds - missed) - istatus_seen);
}

static void check_past_and_masked(void)
{
    uint32_t before = fired;
    uint64_t now = timer_now();

    timer_arm_at((now > 1000U) ? (now - 1000U) : 0U);
    test_check("timer_past_deadline", wait_for_u32(&fired, before + 1U, WAIT_MS),
               "a deadline in the past did not fire");

    before = fired;
    SYSREG_WRITE(cntv_cval_el0, timer_now() + timer_us_to_ticks(500U));
    timer_set_ctl(CNTV_CTL_ENABLE | CNTV_CTL_IMASK);
    delay_ms(5U);
    test_check("timer_imask", fired == before, "the masked timer interrupted");
    /* unmasking the expired timer must deliver it now */
    timer_set_ctl(CNTV_CTL_ENABLE);
    test_check("timer_unmask", wait_for_u32(&fired, before + 1U, WAIT_MS),
               "unmasking an expired timer did not interrupt");
}

/* WFI with PSTATE.I set still wakes on a pending interrupt; the handler runs after daifclr. */
static void check_wfi(void)
{
    uint32_t before = fired;
    uint64_t end;

    irq_disable();
    timer_arm_at(timer_now() + timer_us_to_ticks(2000U));
    end = timer_now() + timer_us_to_ticks(WAIT_MS * 1000U);
    while ((timer_ctl() & CNTV_CTL_ISTATUS) == 0U) {
        if (timer_now() >= end) {
            break;
        }
        wfi();
    }
    irq_enable();
    isb();
    test_check("timer_wfi_wakeup", wait_for_u32(&fired, before + 1U, 10U),
               "no timer interrupt after WFI");
}

static void ping_handler(uint32_t intid, void *arg)
{
    (void)intid;
    (void)arg;
    (void)__atomic_fetch_add(&pings, 1U, __ATOMIC_RELAXED);
    gic_send_sgi(SGI_PONG, plat->cpu_mpidr[0]);
}

static void pong_handler(uint32_t intid, void *arg)
{
    (void)intid;
    (void)arg;
    (void)__atomic_fetch_add(&pongs, 1U, __ATOMIC_RELEASE);
}

/* vCPU 1: answers every ping with a pong until told to stop. */
static void partner(void *arg)
{
    (void)arg;
    gic_irq_enable(SGI_PING, GIC_PRIO_DEFAULT);
    irq_enable();
    __atomic_store_n(&partner_ready, 1U, __ATOMIC_RELEASE);
    while (__atomic_load_n(&partner_stop, __ATOMIC_ACQUIRE) == 0U) {
        cpu_relax();
    }
    irq_disable();
}

static bool vcpu1_off(const void *ctx)
{
    (void)ctx;
    return psci_affinity_info(plat->cpu_mpidr[1], 0U) == PSCI_AFF_OFF;
}

static void run_ping_pong(uint64_t rounds)
{
    struct latency rtt = { 0U, 0U, 0U, 0U };
    uint32_t lost = 0U;
    int32_t rc;
    uint64_t r;

    rc = smp_cpu_on(plat, 1U, partner, NULL);
    if ((rc != PSCI_SUCCESS) || !wait_for_u32(&partner_ready, 1U, WAIT_MS)) {
        test_fail("sgi_pingpong", "vcpu 1 did not start (%s)", psci_error_name(rc));
        return;
    }
    for (r = 0U; r < rounds; r++) {
        uint32_t before = pongs;
        uint64_t t0 = timer_now();

        gic_send_sgi(SGI_PING, plat->cpu_mpidr[1]);
        if (!wait_for_u32(&pongs, before + 1U, WAIT_MS)) {
            lost++;
            break;
        }
        latency_add(&rtt, timer_now() - t0);
    }
    latency_print("sgi_round_trip", &rtt);
    test_check("sgi_pingpong", (lost == 0U) && (pings == (uint32_t)rounds),
               "%u pings, %u pongs of %lu", pings, pongs, rounds);
    __atomic_store_n(&partner_stop, 1U, __ATOMIC_RELEASE);
    test_check("sgi_partner_off", wait_until(vcpu1_off, NULL, WAIT_MS), "vcpu 1 still on");
}

void guest_main(const struct platform *p)
{
    uint64_t rounds = bootarg_u64(p->bootargs, "rounds", 20U);
    int rc;

    plat = p;
    printf("timer: CNTFRQ %lu Hz, virtual timer INTID %u, %u vCPU(s)\n",
           timer_freq(), p->vtimer_intid, p->cpu_count);
    rc = gic_init(p);
    if (!test_check("timer_gic_init", rc == 0, "GICv%u: error %d", p->gic_version, rc)) {
        return;
    }
    (void)irq_register(p->vtimer_intid, vtimer_handler, NULL);
    (void)irq_register(SGI_SELF, sgi_self_handler, NULL);
    (void)irq_register(SGI_PING, ping_handler, NULL);
    (void)irq_register(SGI_PONG, pong_handler, NULL);
    gic_irq_enable(p->vtimer_intid, GIC_PRIO_DEFAULT);
    gic_irq_enable(SGI_SELF, GIC_PRIO_DEFAULT);
    gic_irq_enable(SGI_PONG, GIC_PRIO_DEFAULT);
    irq_enable();

    check_counter();
    run_deadlines(rounds);
    check_past_and_masked();
    check_wfi();

    gic_send_sgi(SGI_SELF, mpidr_affinity());
    test_check("sgi_self", wait_for_u32(&sgi_self_count, 1U, WAIT_MS), "SGI to self not taken");

    if (p->cpu_count >= 2U) {
        run_ping_pong(rounds);
    } else {
        printf("timer: 1 vCPU, no SGI ping-pong\n");
    }
    test_check("timer_no_stray_irq", irq_unexpected_count() == 0U,
               "%u interrupts without a handler", irq_unexpected_count());
    irq_disable();
    timer_stop();
}
