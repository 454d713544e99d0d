/*
 * vcpu_op and sched_op on our own domain. Areas the hypervisor keeps
 * writing (runstate, vcpu_info) go only to victim pages, at offsets that
 * leave just too little room. Calls that would stop our own vCPUs (down,
 * shutdown of ourselves, a watchdog that fires) get out-of-range ids only:
 * the run must end by itself, as the test's bounded time requires.
 */
#include "hostile.h"
#include "timer.h"

static uint32_t other_vcpu(struct hctx *c)
{
    /* only ids we do not have: VCPUOP_down or _initialise on a real one stops the run */
    return henv.nr_vcpus + (uint32_t)rnd_near(c, 4U);
}

long fuzz_vcpu(struct hctx *c)
{
    uint32_t cmd = rnd_below(c, 16U);
    uint32_t vcpu = rnd_chance(c, 2U) ? c->vcpu : (uint32_t)rnd_near(c, henv.nr_vcpus);
    uint64_t a;
    void *b;

    a = arg_addr(c, &b, 32U);
    switch (cmd) {
    case VCPUOP_register_runstate_memory_area:
        ((struct vcpu_register_runstate_memory_area *)b)->addr =
            wild_addr(c, (uint32_t)sizeof(struct vcpu_runstate_info));
        break;
    case VCPUOP_register_vcpu_info: {
        struct vcpu_register_vcpu_info *r = b;

        r->mfn = wild_gfn(c);
        r->offset = (uint32_t)rnd_near(c, XEN_PAGE_SIZE - (uint32_t)sizeof(struct vcpu_info));
        r->rsvd = rnd_chance(c, 4U) ? 1U : 0U;
        break;
    }
    case VCPUOP_initialise:
    case VCPUOP_up:
    case VCPUOP_down:
        vcpu = other_vcpu(c);
        break;
    case VCPUOP_set_periodic_timer:
    case VCPUOP_set_singleshot_timer:
        /* periods and deadlines around nothing at all */
        ((uint64_t *)b)[0] = rnd_near(c, 1000U);
        ((uint32_t *)b)[2] = rnd_below(c, 2U);
        break;
    default:
        break;
    }
    return hyp_vcpu_op(cmd, vcpu, (void *)(uintptr_t)a);
}

long fuzz_sched(struct hctx *c)
{
    uint32_t cmd = rnd_below(c, 9U);
    uint64_t a;
    void *b;

    switch (cmd) {
    case SCHEDOP_poll: {
        struct sched_poll *sp;
        uint32_t *ports;
        uint32_t n = 1U + rnd_below(c, 128U);
        uint32_t i;

        /* from a real buffer: a wild one may read as zeros, a poll with no
         * timeout, which nothing may ever end (the run hung so, once) */
        (void)arg_addr(c, &b, sizeof(*sp));
        a = hc_ptr(b);
        sp = b;
        sp->ports = arg_addr(c, &b, n * 4U);
        ports = b;
        for (i = 0U; i < n; i++) {
            ports[i] = rnd_below(c, 80U);
        }
        sp->nr_ports = rnd_chance(c, 4U) ? (uint32_t)rnd_near(c, 128U) : n;
        /* never 0 (no timeout: a poll nobody wakes would not return) */
        sp->timeout = timer_ticks_to_ns(timer_phys_now()) + rnd_below(c, 200000U) + 1U;
        break;
    }
    case SCHEDOP_remote_shutdown: {
        struct sched_remote_shutdown *rs;

        (void)arg_addr(c, &b, sizeof(*rs));
        a = hc_ptr(b);      /* a wild one could read as any domain id */
        rs = b;
        /* never ourselves, never the sibling (that is fuzz_cross's) */
        rs->domain_id = (uint16_t)(0x7ff1U + rnd_below(c, 15U));
        rs->reason = (uint32_t)rnd_near(c, 4U);
        break;
    }
    case SCHEDOP_watchdog: {
        struct sched_watchdog *wd;

        /* a nonzero id with timeout 0 only, from a real buffer: id 0 makes a
         * watchdog, which would kill us (a wild address may read as zeros;
         * Xen 4.17 killed us so with seed 0x1234) */
        (void)arg_addr(c, &b, sizeof(*wd));
        a = hc_ptr(b);
        wd = b;
        wd->id = (uint32_t)rnd_near(c, 2U) | 1U;
        wd->timeout = 0U;
        break;
    }
    case SCHEDOP_pin_override:
        a = arg_addr(c, &b, 4U);
        *(int32_t *)b = (int32_t)rnd_near(c, 4U);
        break;
    case SCHEDOP_yield:
        a = arg_addr(c, &b, 4U);
        break;
    default:    /* block, shutdown, shutdown_code: they stop us; an unknown number instead */
        cmd = 8U + rnd_below(c, 1000U);
        a = arg_addr(c, &b, 16U);
        break;
    }
    return hyp_sched_op(cmd, (void *)(uintptr_t)a);
}
