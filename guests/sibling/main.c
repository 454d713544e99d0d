/*
 * sibling: real work beside guests/hostile, with checks. It fills 1 MiB
 * of its RAM with a pattern, grants pattern pages to itself, sets mask
 * bits in its shared info page and holds unbound and IPI ports; then,
 * round after round, it sends itself an event and waits for it, copies a
 * pattern page through its own grant and compares it, and checks a slice
 * of the pattern. "SIBLING OK n" every 100 rounds.
 *
 * Once the hostile domain is gone (EVTCHNOP_status on it answers -ESRCH
 * instead of -EPERM) it checks everything it owns, prints "SIBLING DONE"
 * and keeps working for linger=<s> seconds more, so that the test can
 * look at the hypervisor's memory while it still runs.
 *
 * bootargs: hostile=<domid> (1), max=<s> to wait for it (240), linger=<s> (20).
 */
#include "guest.h"
#include "evtchn.h"
#include "gnttab.h"
#include "sibling.h"

#define SLICE_PAGES 16U

struct work {
    uint16_t self;
    uint32_t ipi;
    uint32_t rounds;
    uint32_t failures;
};

static bool setup(const struct platform *p, struct work *w)
{
    if (!test_check("sibling_hypervisor_node", p->has_hypervisor && (p->evtchn_intid != 0U),
                    "no /hypervisor node") ||
        !test_check("sibling_gic", gic_init(p) == 0, "GIC init failed")) {
        return false;
    }
    irq_enable();
    return xen_expect("sibling_shared_info", evtchn_setup(p), 0) &&
           xen_expect("sibling_grant_frame", gnttab_setup(p), 0) &&
           xen_expect("sibling_domid", evtchn_own_domid(&w->self), 0) &&
           sib_state_setup(w->self, &w->ipi);
}

static void one_round(struct work *w)
{
    uint32_t slice = (w->rounds * SLICE_PAGES) % SIB_PATTERN_PAGES;

    if (!sib_event_round(w->ipi)) {
        printf("sibling: round %u: the event to ourselves did not arrive\n", w->rounds);
        w->failures++;
    }
    if (!sib_copy_round(w->self, w->rounds)) {
        printf("sibling: round %u: the copy through our grant failed\n", w->rounds);
        w->failures++;
    }
    if (sib_pattern_errors(slice, SLICE_PAGES) != 0U) {
        printf("sibling: round %u: pattern pages %u+ changed\n", w->rounds, slice);
        w->failures++;
    }
    w->rounds++;
    if ((w->rounds % 100U) == 0U) {
        printf("SIBLING OK %u\n", w->rounds);
    }
}

static bool hostile_gone(uint16_t hostile)
{
    struct evtchn_status st;

    return evtchn_get_status(hostile, 1U, &st) == -XEN_ESRCH;
}

static void final_checks(struct work *w)
{
    uint32_t pattern = sib_pattern_errors(0U, SIB_PATTERN_PAGES);
    uint32_t grants = sib_grant_errors(w->self);
    uint32_t masks = sib_mask_errors();
    uint32_t ports = sib_port_errors(w->self, w->ipi);

    test_check("sibling_rounds", w->failures == 0U, "%u of %u rounds failed", w->failures, w->rounds);
    test_check("sibling_pattern", pattern == 0U, "%u words of the pattern changed", pattern);
    test_check("sibling_grants", grants == 0U, "%u grant entries changed", grants);
    test_check("sibling_shared_info_masks", masks == 0U, "%u mask bits changed", masks);
    test_check("sibling_ports", ports == 0U, "%u ports changed", ports);
    test_check("sibling_events_still_work", sib_event_round(w->ipi), "no event after the run");
    printf("SIBLING DONE rounds=%u failures=%u pattern=%u grants=%u masks=%u ports=%u\n", w->rounds,
           w->failures, pattern, grants, masks, ports);
}

void guest_main(const struct platform *p)
{
    struct work w = { 0U, 0U, 0U, 0U };
    uint16_t hostile = (uint16_t)bootarg_u64(p->bootargs, "hostile", 1U);
    uint64_t max_s = bootarg_u64(p->bootargs, "max", 240U);
    uint64_t linger_s = bootarg_u64(p->bootargs, "linger", 20U);
    uint64_t t0;

    if (!setup(p, &w)) {
        return;
    }
    printf("SIBLING READY d%u beside hostile d%u\n", w.self, hostile);
    t0 = timer_now();
    while (!hostile_gone(hostile) && (timer_now() - t0 < timer_us_to_ticks(max_s * 1000000U))) {
        one_round(&w);
    }
    test_check("sibling_hostile_gone", hostile_gone(hostile), "d%u still there after %lu s", hostile, max_s);
    final_checks(&w);
    t0 = timer_now();
    while (timer_now() - t0 < timer_us_to_ticks(linger_s * 1000000U)) {
        one_round(&w);
        delay_ms(50U);
    }
    test_check("sibling_linger", w.failures == 0U, "%u rounds failed", w.failures);
}
