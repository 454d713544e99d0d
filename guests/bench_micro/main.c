/*
 * bench_micro: the per-operation micro figures of `make bench`, timed by
 * the guest itself with the virtual counter (under QEMU -icount shift=0
 * one tick is a fixed number of instructions, so the figures repeat).
 *
 * Bootargs:
 *   iters=N     loop count of each timed operation (default 4096)
 *   rounds=N    virtual timer deadlines (default 64)
 *   mode=micro  every micro figure (default)
 *   only=FIG    with mode=micro, only figure FIG (null_hypercall,
 *               smccc_psci_version, mmio_uartfr, vtimer_latency_spin or
 *               vtimer_latency_wfi): bench/breakdown.py traces one figure
 *               at two loop counts, and the other figures would only add
 *               to the trace
 *   mode=boot   only the counter at guest_main (reset / build figures)
 *   mode=yield  SCHEDOP_yield loop (vCPU switch, several guests per pCPU)
 *   mode=limit  on bare QEMU (no hypervisor): the same operations' floor,
 *               an SVC to the guest's own EL1 and back (limit.c), the
 *               UART read and the timer interrupt taken at EL1
 *   hold=1      stay alive and idle (WFI) after the figures, e.g. while the
 *               hypervisor's memory is read with its debug key
 *
 * Output, one line per figure, parsed by bench/ (docs/benchmarks.md):
 *   BENCH freq hz=F
 *   BENCH <figure> iters=N ticks=T ret=R     T ticks for N operations
 *   BENCH <figure> n/a <why>
 */
#include "guest.h"
#include "hypercall.h"
#include "limit.h"

#define BENCH_PSCI_VERSION      0x84000000U
#define BENCH_UARTFR            0x18U
#define BENCH_WAIT_MS           1000U

static volatile uint32_t fired;
static volatile uint64_t fired_at;

/* The same HVC #0xEA1 as the library's, inlined so the loop is only the call. */
static inline long bench_hvc_xen(uint64_t nr, uint64_t a0, uint64_t a1)
{
    register uint64_t x0 __asm__("x0") = a0;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x16 __asm__("x16") = nr;

    __asm__ volatile(XEN_HVC_INSN
                     : "+r"(x0), "+r"(x1), "+r"(x16)
                     :
                     : "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
                       "x12", "x13", "x14", "x15", "x17", "memory");
    return (long)x0;
}

static inline uint64_t bench_hvc_smccc(uint32_t fid)
{
    register uint64_t x0 __asm__("x0") = fid;

    __asm__ volatile("hvc #0"
                     : "+r"(x0)
                     :
                     : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10",
                       "x11", "x12", "x13", "x14", "x15", "x16", "x17", "memory");
    return x0;
}

static uint64_t counter(void)
{
    isb();
    return timer_now();
}

/* Never inlined: bench/breakdown.py stops counting at its first
 * instruction, the end of every figure's timed work. */
__attribute__((noinline)) static void report(const char *fig, uint64_t iters, uint64_t ticks,
                                             long ret)
{
    printf("BENCH %s iters=%lu ticks=%lu ret=%ld\n", fig, iters, ticks, ret);
}

/*
 * The calls and reads are timed in batches of BATCH and the fastest batch
 * counts, scaled to the whole loop: with several guests on one pCPU a
 * batch the scheduler cut in two would otherwise add the other guests'
 * running time to this guest's figure. Under -icount the fastest batch is
 * exact and the same for every batch not cut.
 */
#define BATCH 64U

enum timed_op { OP_NULL_HYPERCALL, OP_SMCCC, OP_MMIO };

static long timed_op(enum timed_op op, const volatile uint32_t *fr)
{
    switch (op) {
    case OP_NULL_HYPERCALL:
        return bench_hvc_xen(__HYPERVISOR_xen_version, XENVER_version, 0U);
    case OP_SMCCC:
        return (long)bench_hvc_smccc(BENCH_PSCI_VERSION);
    default: {
        /* Loaded into x0, as the loop before batching happened to be
         * (a load into x19-x28 took Proxenos's whole trap path before
         * 647d89f: docs/benchmarks.md). */
        register uint64_t v __asm__("x0");

        __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(fr) : "memory");
        return (long)v;
    }
    }
}

/* Ticks for iters operations at the fastest batch's pace; *ret the last result. */
static uint64_t time_batches(enum timed_op op, const volatile uint32_t *fr, uint64_t iters,
                             long *ret)
{
    uint64_t batches = (iters + BATCH - 1U) / BATCH;
    uint64_t best = UINT64_MAX;

    *ret = timed_op(op, fr);
    for (uint64_t b = 0U; b < batches; b++) {
        uint64_t t0 = counter();
        uint64_t took;

        for (uint32_t i = 0U; i < BATCH; i++) {
            *ret = timed_op(op, fr);
        }
        took = counter() - t0;
        if (took < best) {
            best = took;
        }
    }
    return (best * iters) / BATCH;
}

static void bench_null_hypercall(uint64_t iters)
{
    long ret;
    uint64_t ticks = time_batches(OP_NULL_HYPERCALL, NULL, iters, &ret);

    report("null_hypercall", iters, ticks, ret);
}

static void bench_smccc(uint64_t iters)
{
    long ret;
    uint64_t ticks = time_batches(OP_SMCCC, NULL, iters, &ret);

    report("smccc_psci_version", iters, ticks, ret);
}

static void bench_mmio(const struct platform *p, uint64_t iters)
{
    long ret;
    uint64_t ticks;

    if (!p->has_uart) {
        printf("BENCH mmio_uartfr n/a no UART in the guest device tree\n");
        return;
    }
    ticks = time_batches(OP_MMIO, (const volatile uint32_t *)(uintptr_t)(p->uart_base + BENCH_UARTFR),
                         iters, &ret);
    report("mmio_uartfr", iters, ticks, ret);
}

static void vtimer_handler(uint32_t intid, void *arg)
{
    uint64_t now = timer_now();

    (void)intid;
    (void)arg;
    timer_stop();   /* level-sensitive: drop the line before EOI */
    fired_at = now;
    (void)__atomic_fetch_add(&fired, 1U, __ATOMIC_RELEASE);
}

/*
 * Latency = CNTVCT at handler entry - CNTV_CVAL, summed over `rounds`
 * deadlines 100 us ahead; wfi=1 idles the vCPU (the hypervisor's wake-up
 * path), wfi=0 spins (the running-guest injection path).
 */
static void bench_vtimer(const struct platform *p, uint64_t rounds, bool use_wfi)
{
    const char *fig = use_wfi ? "vtimer_latency_wfi" : "vtimer_latency_spin";
    uint64_t sum = 0U;
    uint64_t r;

    if (gic_init(p) != 0) {
        printf("BENCH %s n/a GIC init failed\n", fig);
        return;
    }
    (void)irq_register(p->vtimer_intid, vtimer_handler, NULL);
    gic_irq_enable(p->vtimer_intid, GIC_PRIO_DEFAULT);
    irq_enable();
    for (r = 0U; r < rounds; r++) {
        uint32_t before = fired;
        uint64_t cval = timer_now() + timer_us_to_ticks(100U);
        uint64_t end = cval + timer_us_to_ticks(BENCH_WAIT_MS * 1000U);

        timer_arm_at(cval);
        while ((__atomic_load_n(&fired, __ATOMIC_ACQUIRE) == before) && (timer_now() < end)) {
            if (use_wfi) {
                wfi();
            }
        }
        if (fired == before) {
            timer_stop();
            printf("BENCH %s n/a deadline %lu never fired\n", fig, r);
            irq_disable();
            return;
        }
        sum += fired_at - cval;
    }
    irq_disable();
    report(fig, rounds, sum, 0);
}

/* Each yield hands the pCPU to the other guest and gets it back. */
static void bench_yield(uint64_t iters)
{
    long ret = bench_hvc_xen(__HYPERVISOR_sched_op, SCHEDOP_yield, 0U);
    uint64_t t0;
    uint64_t i;

    if (ret == -XEN_ENOSYS) {
        printf("BENCH sched_yield n/a SCHEDOP_yield returns -ENOSYS\n");
        return;
    }
    /* let every other guest reach its own loop first */
    for (i = 0U; i < 64U; i++) {
        (void)bench_hvc_xen(__HYPERVISOR_sched_op, SCHEDOP_yield, 0U);
    }
    t0 = counter();
    for (i = 0U; i < iters; i++) {
        ret = bench_hvc_xen(__HYPERVISOR_sched_op, SCHEDOP_yield, 0U);
    }
    report("sched_yield", iters, counter() - t0, ret);
}

/* No only= bootarg (an empty string) asks for every figure. */
static bool wanted(const char *only, const char *fig)
{
    return (only[0] == '\0') || (strcmp(only, fig) == 0);
}

void guest_main(const struct platform *p)
{
    /* first thing: how far the machine got since reset (physical counter) */
    uint64_t pct = timer_phys_now();
    uint64_t vct = timer_now();
    char mode[16] = "micro";
    char only[32] = "";
    uint64_t iters = bootarg_u64(p->bootargs, "iters", 4096U);
    uint64_t rounds = bootarg_u64(p->bootargs, "rounds", 64U);

    (void)bootarg_get(p->bootargs, "mode", mode, sizeof(mode));
    (void)bootarg_get(p->bootargs, "only", only, sizeof(only));
    printf("BENCH freq hz=%lu\n", timer_freq());
    printf("BENCH guest_main cntpct=%lu cntvct=%lu mem=%lu\n", pct, vct, p->mem_total);
    if (strcmp(mode, "yield") == 0) {
        bench_yield(iters);
    } else if (strcmp(mode, "limit") == 0) {
        report("svc_el1", iters, bench_svc_round_trips(iters), 0);
        bench_mmio(p, iters);
        bench_vtimer(p, rounds, false);
        bench_vtimer(p, rounds, true);
    } else if (strcmp(mode, "micro") == 0) {
        if (wanted(only, "null_hypercall")) {
            bench_null_hypercall(iters);
        }
        if (wanted(only, "smccc_psci_version")) {
            bench_smccc(iters);
        }
        if (wanted(only, "mmio_uartfr")) {
            bench_mmio(p, iters);
        }
        if (wanted(only, "vtimer_latency_spin")) {
            bench_vtimer(p, rounds, false);
        }
        if (wanted(only, "vtimer_latency_wfi")) {
            bench_vtimer(p, rounds, true);
        }
    } else {
        /* boot: the guest_main line is the figure */
    }
    printf("BENCH end\n");
    if (bootarg_u64(p->bootargs, "hold", 0U) != 0U) {
        irq_disable();
        for (;;) {
            wfi();
        }
    }
}
