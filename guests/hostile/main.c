/*
 * hostile: structure-aware hypercalls with hostile fields on every vCPU at
 * once, beside a sibling domain that does real work (guests/sibling).
 *
 * bootargs: seed=<n> (printed, so a failing run can be replayed),
 * iters=<calls per vCPU>, sibling=<its domid>. Each vCPU prints a summary
 * line; vCPU 0 then prints the successes of the calls aimed at the sibling
 * (the test requires 0), "HOSTILE DONE", and powers the domain off, so
 * that the test can see that everything it held came back.
 */
#include "guest.h"
#include "evtchn.h"
#include "gnttab.h"
#include "hostile.h"

#define DEFAULT_ITERS   3000U
#define FINISH_MS       120000U
#define OWN_REFS        16U

static const struct platform *plat;
static uint64_t seed;
static uint32_t iters;
static volatile uint32_t finished;
static volatile uint32_t family_now[HOSTILE_MAX_VCPUS];
static volatile uint32_t calls_now[HOSTILE_MAX_VCPUS];

typedef long (*family_fn)(struct hctx *c);

static const family_fn families[] = {
    fuzz_evtchn, fuzz_gnttab, fuzz_memory, fuzz_vcpu, fuzz_sched,
    fuzz_misc, fuzz_multicall, fuzz_cross, fuzz_cross,
};
#define NR_FAMILIES (sizeof(families) / sizeof(families[0]))

static void worker(void *arg)
{
    struct hctx c;
    uint32_t i;
    uint32_t f;
    uint64_t t0 = timer_now();

    (void)arg;
    memset(&c, 0, sizeof(c));
    c.vcpu = cpu_index();
    c.rng = seed ^ ((uint64_t)(c.vcpu + 1U) * UINT64_C(0x2545f4914f6cdd1d));
    arena_init(&c);
    for (i = 0U; i < iters; i++) {
        f = rnd_below(&c, (uint32_t)NR_FAMILIES);
        family_now[c.vcpu] = f;
        arena_clear(&c);
        if (families[f](&c) >= 0) {
            c.accepted++;
        }
        c.calls++;
        calls_now[c.vcpu] = c.calls;
    }
    printf("HOSTILE vcpu %u: %u calls, %u accepted, %u aimed at the sibling, %lu ms\n", c.vcpu,
           c.calls, c.accepted, c.cross_tries, timer_ticks_to_ns(timer_now() - t0) / 1000000U);
    (void)__atomic_fetch_add(&finished, 1U, __ATOMIC_RELEASE);
}

/* Our own grants, for the map and copy calls to find: victim pages, to ourselves. */
static void grant_own_pages(void)
{
    uint64_t victim = (uint64_t)(uintptr_t)henv.victim >> XEN_PAGE_SHIFT;
    uint32_t r;

    for (r = 1U; r < OWN_REFS; r++) {
        gnttab_grant(r, henv.self, victim + (r % HOSTILE_VICTIM_PAGES), (r & 1U) != 0U);
    }
}

static bool setup(const struct platform *p)
{
    uint64_t size = 0U;
    struct hctx c0;

    plat = p;
    seed = bootarg_u64(p->bootargs, "seed", 1U);
    iters = (uint32_t)bootarg_u64(p->bootargs, "iters", DEFAULT_ITERS);
    henv.sibling = (uint16_t)bootarg_u64(p->bootargs, "sibling", 2U);
    henv.nr_vcpus = (p->cpu_count < HOSTILE_MAX_VCPUS) ? p->cpu_count : HOSTILE_MAX_VCPUS;
    henv.ram_base = p->mem[0].base;
    henv.ram_end = p->mem[0].base + p->mem[0].size;
    henv.gnttab_base = p->gnttab_base;
    henv.gnttab_size = p->gnttab_size;
    henv.gicd_base = p->gicd_base;
    henv.ext_base = gnttab_free_region(p, 1U, &size);
    henv.ext_size = size;
    memset(&c0, 0, sizeof(c0));
    arena_init(&c0);
    if ((evtchn_own_domid(&henv.self) != 0) || (gnttab_setup(p) != 0) || (henv.ext_base == 0U) ||
        (arena_give_back_guards(&c0) != 0)) {
        printf("HOSTILE FAILED setup: no event channels, grant table, free GPAs or guard pages\n");
        return false;
    }
    grant_own_pages();
    printf("HOSTILE seed=0x%lx iters=%u vcpus=%u self=d%u sibling=d%u\n", seed, iters, henv.nr_vcpus,
           henv.self, henv.sibling);
    return true;
}

static void summary(void)
{
    uint32_t total = 0U;
    uint32_t i;

    for (i = 0U; i < CROSS_NR; i++) {
        if (cross_success[i] != 0U) {
            printf("HOSTILE cross-domain %s succeeded %u times\n", cross_name((enum cross_op)i),
                   cross_success[i]);
        }
        total += cross_success[i];
    }
    printf("HOSTILE cross-domain successes: %u\n", total);
}

void guest_main(const struct platform *p)
{
    uint32_t i;

    if (!setup(p)) {
        return;
    }
    for (i = 1U; i < henv.nr_vcpus; i++) {
        int32_t rc = smp_cpu_on(p, i, worker, NULL);

        if (rc != PSCI_SUCCESS) {
            printf("HOSTILE FAILED: CPU_ON vcpu %u: %s\n", i, psci_error_name(rc));
            return;
        }
    }
    worker(NULL);
    if (!wait_for_u32(&finished, henv.nr_vcpus, FINISH_MS)) {
        for (i = 0U; i < henv.nr_vcpus; i++) {
            printf("HOSTILE vcpu %u stuck? %u calls, last family %u\n", i, calls_now[i], family_now[i]);
        }
        return;
    }
    summary();
    printf("HOSTILE DONE\n");
    (void)xen_shutdown(SHUTDOWN_poweroff);
}
