/*
 * ioreq_front: the domU side of guests/ioreq_backend. It drives the
 * device of ioreq_device.h, which no hypervisor emulates: every access
 * goes to dom0's IOREQ server and back. It checks:
 *   - until the backend claims the window, an access there is an
 *     unhandled MMIO access, which Xen 4.17 answers with a data abort
 *     injected into the guest (do_trap_stage2_abort_guest, inject_abt:
 *     ESR_EL1 = EC 0x25, IL, ISS 0; FAR_EL1 = the address): we take it,
 *     skip the load and retry, until the ID register reads the magic;
 *   - round trips of 1, 2, 4 and 8 bytes, from both vCPUs at once on
 *     their own blocks, and the narrow and sign-extending loads;
 *   - the doorbell raises INTID 33 (XEN_DMOP_set_irq_level), twice, and
 *     the handler's acknowledgement lowers it;
 *   - an access where no server and no device is, or one byte past the
 *     window, aborts, with that syndrome;
 *   - after "done", the backend destroys its server and signals it by
 *     the line: then the window aborts again.
 *
 * bootargs: rounds=<round trips per vCPU> (default 20)
 *           dom0less=1: the device is a dom0less virtio device
 *           (docs/virtio.md): our device tree must describe it as libxl
 *           would, and the hypervisor holds us paused until the back end
 *           has claimed it, so the very first access is answered
 */
#include "guest.h"
#include "access.h"
#include "front.h"

#define WAIT_SERVER_MS  60000U
#define RETRY_MS        20U
#define IRQ_MS          5000U
#define GOODBYE_MS      30000U
#define QUIET_MS        50U

/* Xen 4.17's injected data abort: EC 0x25 (current EL), IL, ISS 0. */
#define ESR_INJECTED_DABT   ((UINT64_C(0x25) << ESR_EC_SHIFT) | (UINT64_C(1) << 25))

struct abort_rec {
    volatile bool expect;       /* a probe is under way on this vCPU */
    volatile uint32_t taken;
    volatile uint64_t esr;
    volatile uint64_t far;
};

static struct abort_rec aborts[GUEST_LIB_MAX_VCPUS];
static volatile uint32_t line_irqs;
static volatile bool ack_line = true;
static struct worker workers[2];

static bool on_abort(struct exc_frame *f, uint64_t kind, uint64_t esr, uint64_t far)
{
    struct abort_rec *a = &aborts[cpu_index()];

    if ((kind != EXC_SYNC_SPX) || (((esr >> ESR_EC_SHIFT) & 0x3fU) != ESR_EC_DABT_CUR) ||
        !a->expect) {
        return false;
    }
    a->taken++;
    a->esr = esr;
    a->far = far;
    f->elr += 4U;               /* past the load or store: its register keeps what it held */
    return true;
}

/*
 * The device's line. Acknowledging it here, before the EOI, lowers a
 * level-triggered line before it could fire again. The last assertion
 * (the backend is gone) has nobody to acknowledge it: it is switched off.
 */
static void on_line(uint32_t intid, void *arg)
{
    (void)intid;
    (void)arg;
    line_irqs++;
    if (ack_line) {
        wr64(reg(IOREQ_REG_ACK), 1U);
    } else {
        gic_irq_disable(IOREQ_DEV_INTID);
    }
}

/* A 32-bit load that may abort: true, and its value, when it did not. */
static bool probe_read(uintptr_t addr, uint64_t *v)
{
    struct abort_rec *a = &aborts[cpu_index()];
    uint32_t before = a->taken;

    a->expect = true;
    *v = rd32(addr);
    a->expect = false;
    return a->taken == before;
}

static bool probe_write(uintptr_t addr, uint64_t v)
{
    struct abort_rec *a = &aborts[cpu_index()];
    uint32_t before = a->taken;

    a->expect = true;
    wr32(addr, v);
    a->expect = false;
    return a->taken == before;
}

/* The node the hypervisor writes for a dom0less virtio device: libxl's. */
static void check_dt_node(const struct platform *p)
{
    const struct fdt *f = &p->fdt;
    int n = fdt_path(f, "/virtio@2000000");
    uint64_t base = 0U;
    uint64_t size = 0U;
    uint32_t len = 0U;
    const uint8_t *irq = (n != FDT_NONE) ? fdt_prop(f, n, "interrupts", &len) : NULL;

    if (!test_check("front_dt_virtio_node", n != FDT_NONE, "no /virtio@2000000")) {
        return;
    }
    test_check("front_dt_virtio_compatible", fdt_is_compatible(f, n, "virtio,mmio"),
               "not virtio,mmio");
    test_check("front_dt_virtio_reg", fdt_reg(f, n, 0U, &base, &size) &&
               (base == IOREQ_DEV_BASE) && (size == IOREQ_DEV_SIZE), "0x%lx+0x%lx", base, size);
    /* SPI 1 (INTID 33), rising edge, CPUs 0-3. */
    test_check("front_dt_virtio_irq", (irq != NULL) && (len == 12U) && (fdt_be32(irq) == 0U) &&
               (fdt_be32(irq + 4) == IOREQ_DEV_INTID - 32U) && (fdt_be32(irq + 8) == 0xf01U),
               "interrupts of %u bytes", len);
    test_check("front_dt_virtio_dma_coherent", fdt_prop(f, n, "dma-coherent", &len) != NULL,
               "no dma-coherent");
    printf("ioreq_front: device tree has virtio@2000000: 0x%lx+0x%lx\n", base, size);
}

static bool wait_for_device(void)
{
    uint64_t end = timer_now() + timer_us_to_ticks((uint64_t)WAIT_SERVER_MS * 1000U);
    uint32_t tries = 0U;
    uint64_t v = 0U;
    bool answered;

    do {
        tries++;
        answered = probe_read(reg(IOREQ_REG_MAGIC), &v);
        if (!answered) {
            delay_ms(RETRY_MS);
        }
    } while (!answered && (timer_now() < end));
    printf("ioreq_front: %s after %u tries (%u aborts, last ESR 0x%lx FAR 0x%lx)\n",
           answered ? "the window answered" : "no answer", tries, aborts[0].taken, aborts[0].esr,
           aborts[0].far);
    test_check("front_aborts_before_server", (aborts[0].taken == 0U) ||
               ((aborts[0].esr == ESR_INJECTED_DABT) && (aborts[0].far == reg(IOREQ_REG_MAGIC))),
               "ESR 0x%lx FAR 0x%lx", aborts[0].esr, aborts[0].far);
    return test_check("front_magic", answered && (v == IOREQ_DEV_MAGIC), "%s, read 0x%lx",
                      answered ? "answered" : "no answer", v);
}

static void secondary(void *arg)
{
    worker_run(arg);
}

static void report_worker(const char *name, const struct worker *w)
{
    test_check(name, w->finished && (w->errors == 0U),
               "%s, %u of %u accesses wrong, first at +0x%lx: 0x%lx, not 0x%lx",
               w->finished ? "finished" : "unfinished", w->errors, w->accesses, w->first_off,
               w->first_got, w->first_want);
}

static bool worker_finished(const void *ctx)
{
    const struct worker *w = ctx;

    return __atomic_load_n(&w->finished, __ATOMIC_ACQUIRE);
}

/* vCPU 0 on block 0x40, vCPU 1 on block 0x80, at the same time. */
static void round_trips(const struct platform *p, uint32_t rounds)
{
    int32_t rc;

    workers[0] = (struct worker){ .block = 0x40U, .rounds = rounds, .seed = 1U };
    workers[1] = (struct worker){ .block = 0x80U, .rounds = rounds, .seed = 2U };
    rc = smp_cpu_on(p, 1U, secondary, &workers[1]);
    test_check("front_second_vcpu", rc == 0, "PSCI CPU_ON: %d", rc);
    worker_run(&workers[0]);
    test_check("front_vcpu1_joined", wait_until(worker_finished, &workers[1], WAIT_SERVER_MS),
               "vCPU 1 still running");
    report_worker("front_round_trips_vcpu0", &workers[0]);
    report_worker("front_round_trips_vcpu1", &workers[1]);
}

static void ring(const char *name, uint32_t n)
{
    uint32_t before = line_irqs;
    bool came;

    wr32(reg(IOREQ_REG_DOORBELL), n);
    came = wait_for_u32(&line_irqs, before + 1U, IRQ_MS);
    delay_ms(QUIET_MS);
    test_check(name, came && (line_irqs == before + 1U), "%u interrupts", line_irqs - before);
}

static void unclaimed(const char *name, uintptr_t addr, bool write)
{
    struct abort_rec *a = &aborts[0];
    uint64_t v = 0U;
    bool answered = write ? probe_write(addr, 0x5aU) : probe_read(addr, &v);

    test_check(name, !answered && (a->esr == ESR_INJECTED_DABT) && (a->far == addr),
               "%s, ESR 0x%lx FAR 0x%lx", answered ? "answered" : "aborted", a->esr, a->far);
}

static void goodbye(void)
{
    uint32_t before = line_irqs;
    uint64_t v = 0U;

    ack_line = false;
    wr64(reg(IOREQ_REG_DONE), 1U);
    test_check("front_teardown_signalled", wait_for_u32(&line_irqs, before + 1U, GOODBYE_MS),
               "%u interrupts", line_irqs - before);
    test_check("front_window_gone", !probe_read(reg(IOREQ_REG_MAGIC), &v),
               "still answers 0x%lx", v);
}

/* `make bench`'s figure: n reads of the ID register, each a round trip
 * through the IOREQ server (docs/benchmarks.md). */
static void bench_reads(uint64_t n)
{
    uint64_t t0;
    uint64_t v = 0U;

    printf("BENCH freq hz=%lu\n", timer_freq());
    isb();
    t0 = timer_now();
    for (uint64_t i = 0U; i < n; i++) {
        v = rd32(reg(IOREQ_REG_MAGIC));
    }
    isb();
    printf("BENCH ioreq_mmio_read iters=%lu ticks=%lu ret=%ld\n", n, timer_now() - t0,
           (v == IOREQ_DEV_MAGIC) ? 0L : -1L);
}

void guest_main(const struct platform *p)
{
    uint32_t rounds = (uint32_t)bootarg_u64(p->bootargs, "rounds", 20U);
    uint64_t bench = bootarg_u64(p->bootargs, "bench", 0U);
    bool dom0less = bootarg_u64(p->bootargs, "dom0less", 0U) != 0U;

    exceptions_set_hook(on_abort);
    if (!test_check("front_gic", gic_init(p) == 0, "GIC init failed") ||
        !test_check("front_two_vcpus", p->cpu_count >= 2U, "%u vCPUs", p->cpu_count)) {
        return;
    }
    (void)irq_register(IOREQ_DEV_INTID, on_line, NULL);
    gic_irq_enable(IOREQ_DEV_INTID, GIC_PRIO_DEFAULT);
    irq_enable();
    if (dom0less) {
        check_dt_node(p);
    }
    if (!wait_for_device()) {
        return;
    }
    if (dom0less) {
        test_check("front_held_until_claimed", aborts[0].taken == 0U,
                   "%u aborts before the back end answered", aborts[0].taken);
    }
    if (bench != 0U) {
        bench_reads(bench);
    }
    round_trips(p, rounds);
    check_lanes_and_extension();
    ring("front_doorbell_1", 1U);
    ring("front_doorbell_2", 2U);
    unclaimed("front_unclaimed_read", IOREQ_UNCLAIMED_ADDR, false);
    unclaimed("front_unclaimed_write", IOREQ_UNCLAIMED_ADDR, true);
    unclaimed("front_past_window", reg(IOREQ_DEV_SIZE), false);
    test_check("front_last_byte", rd8(reg(IOREQ_DEV_SIZE - 1U)) == 0U, "not zero");
    goodbye();
}
