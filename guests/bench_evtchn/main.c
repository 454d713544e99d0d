/*
 * bench_evtchn: event-channel figures of `make bench` between two dom0less
 * domUs (xen,enhanced = "no-xenstore", so each has a /hypervisor node).
 *
 *   role=a peer=<b's domid>   allocates the first unbound port (1) for b
 *                             and sends an event back for every one it gets
 *   role=b peer=<a's domid> rounds=N ports=P
 *                             binds to a's port 1, times N ping-pongs, then
 *                             for each of 10, 1000, 30000 bound ports up to P
 *                             binds more ports (unbound, to itself) and
 *                             times 1000 EVTCHNOP_send on the first one
 *
 * Output (docs/benchmarks.md):
 *   BENCH evtchn_pingpong iters=N ticks=T ret=0
 *   BENCH evtchn_pingpong_median iters=1 ticks=T ret=0   (the median round)
 *   BENCH evtchn_pingpong_min iters=1 ticks=T ret=0      (the fastest round)
 *   BENCH evtchn_send_<P> iters=N ticks=T ret=R
 *   BENCH <figure> n/a <why>
 */
#include "guest.h"
#include "evtchn.h"

#define A_PORT      1U          /* both hypervisors hand out port 1 first */
#define WAIT_MS     5000U

/*
 * Spins (no WFI) until the upcall handler has counted `want` events on
 * `port`: the receiver stays running, so the figure is the notification
 * path (hypercall, IPI, injection, upcall) rather than a wake-up from idle.
 */
static bool spin_wait(uint32_t port, uint32_t want, uint64_t timeout_ms)
{
    uint64_t end = timer_now() + timer_us_to_ticks(timeout_ms * 1000U);
    uint32_t n = 0U;

    while (evtchn_count(port) < want) {
        /* The counter only now and then: under TCG each read of it takes
         * QEMU's big lock, which the hypervisor's GIC accesses on the
         * other CPU then wait for, and the figure would measure that. */
        n++;
        if (((n % 1024U) == 0U) && (timer_now() >= end)) {
            return false;
        }
    }
    return true;
}

static bool setup(const struct platform *p, const char **why)
{
    long rc;

    if (!p->has_hypervisor || (p->evtchn_intid == 0U)) {
        *why = "no /hypervisor node";
        return false;
    }
    if (gic_init(p) != 0) {
        *why = "GIC init failed";
        return false;
    }
    irq_enable();
    rc = evtchn_setup(p);
    if (rc != 0) {
        *why = "shared info mapping failed";
        return false;
    }
    return true;
}

static void role_a(uint16_t peer)
{
    uint32_t port = 0U;
    uint32_t seen = 0U;
    long rc = evtchn_alloc_unbound(peer, &port);

    if (rc != 0) {
        printf("BENCH evtchn_pingpong n/a alloc_unbound: %ld\n", rc);
        return;
    }
    printf("bench_evtchn: a listens on port %u\n", port);
    /* answer until b has been quiet for WAIT_MS */
    while (spin_wait(port, seen + 1U, WAIT_MS)) {
        seen++;
        (void)evtchn_send(port);
    }
}

static uint32_t bind_to_a(uint16_t peer)
{
    uint32_t port = 0U;
    uint32_t tries;

    for (tries = 0U; tries < 2000U; tries++) {
        if (evtchn_bind_interdomain(peer, A_PORT, &port) == 0) {
            return port;
        }
        delay_ms(1U);
    }
    return 0U;
}

#define SEND_ROUNDS 1000U
/* Rounds whose times are kept for the median (more are timed, not kept). */
#define KEPT_ROUNDS 4096U

static uint32_t round_ticks[KEPT_ROUNDS];

/* The median of the first n kept round times (sorts them). Under TCG
 * without -icount a round now and then waits for the host to run a QEMU
 * thread, for ten times the usual; the median leaves those out. */
static uint64_t median_ticks(uint64_t n)
{
    for (uint64_t i = 1U; i < n; i++) {
        uint32_t t = round_ticks[i];
        uint64_t j = i;

        while ((j > 0U) && (round_ticks[j - 1U] > t)) {
            round_ticks[j] = round_ticks[j - 1U];
            j--;
        }
        round_ticks[j] = t;
    }
    return (n == 0U) ? 0U : round_ticks[n / 2U];
}

/* bound: ports bound so far, grown to `ports`; false once binding fails. */
static bool send_cost(uint32_t port, uint64_t ports, uint64_t *bound)
{
    uint64_t t0;
    uint64_t r;
    long rc = 0;

    while (*bound < ports) {
        uint32_t extra = 0U;

        rc = evtchn_alloc_unbound(XEN_DOMID_SELF, &extra);
        if (rc != 0) {
            /* dom0less domUs of Xen 4.17 get max_evtchn_port 1023 */
            printf("BENCH evtchn_send_%lu n/a binding port %lu: alloc_unbound %ld "
                   "(the domain's max_evtchn_port)\n", ports, *bound, rc);
            return false;
        }
        (*bound)++;
    }
    evtchn_2l_mask(port, true);     /* no upcalls while timing the sender's side */
    t0 = timer_now();
    for (r = 0U; r < SEND_ROUNDS; r++) {
        rc = evtchn_send(port);
    }
    printf("BENCH evtchn_send_%lu iters=%u ticks=%lu ret=%ld\n", ports, SEND_ROUNDS,
           timer_now() - t0, rc);
    return true;
}

static void role_b(uint16_t peer, uint64_t rounds, uint64_t ports)
{
    uint32_t port = bind_to_a(peer);
    uint64_t t0;
    uint64_t r;
    uint64_t fastest = UINT64_MAX;

    if (port == 0U) {
        printf("BENCH evtchn_pingpong n/a bind_interdomain to d%u port %u failed\n",
               peer, A_PORT);
        return;
    }
    t0 = timer_now();
    for (r = 0U; r < rounds; r++) {
        uint32_t before = evtchn_count(port);
        uint64_t start = timer_now();
        uint64_t took;

        (void)evtchn_send(port);
        if (!spin_wait(port, before + 1U, WAIT_MS)) {
            printf("BENCH evtchn_pingpong n/a round %lu: no answer\n", r);
            return;
        }
        took = timer_now() - start;
        if (took < fastest) {
            fastest = took;
        }
        if (r < KEPT_ROUNDS) {
            round_ticks[r] = (took > UINT32_MAX) ? UINT32_MAX : (uint32_t)took;
        }
    }
    printf("BENCH evtchn_pingpong iters=%lu ticks=%lu ret=0\n", rounds, timer_now() - t0);
    printf("BENCH evtchn_pingpong_median iters=1 ticks=%lu ret=0\n",
           median_ticks((rounds < KEPT_ROUNDS) ? rounds : KEPT_ROUNDS));
    printf("BENCH evtchn_pingpong_min iters=1 ticks=%lu ret=0\n",
           (rounds == 0U) ? 0U : fastest);
    {
        static const uint64_t stages[] = { 10U, 1000U, 30000U };
        uint64_t bound = 1U;
        uint32_t i;

        for (i = 0U; (i < 3U) && (stages[i] <= ports); i++) {
            if (!send_cost(port, stages[i], &bound)) {
                break;
            }
        }
    }
}

void guest_main(const struct platform *p)
{
    char role[4] = "";
    const char *why = "";
    uint16_t peer = (uint16_t)bootarg_u64(p->bootargs, "peer", 0U);

    (void)bootarg_get(p->bootargs, "role", role, sizeof(role));
    printf("BENCH freq hz=%lu\n", timer_freq());
    if (!setup(p, &why)) {
        printf("BENCH evtchn_pingpong n/a %s\n", why);
    } else if (strcmp(role, "a") == 0) {
        role_a(peer);
    } else {
        role_b(peer, bootarg_u64(p->bootargs, "rounds", 1000U),
               bootarg_u64(p->bootargs, "ports", 0U));
    }
    printf("BENCH end\n");
}
