/* The virtual GICv3 against a fake list-register backend: the register
 * sequences a Linux GICv3 driver performs at probe, interrupts travelling
 * injection -> list register -> guest acknowledge/EOI -> sync, priority
 * order when the LRs are too few, level and edge semantics, SGIs through
 * ICC_SGI1R_EL1, and guest accesses that must be refused or ignored. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <asm/vgic.h>
#include <proxenos/domain.h>
#include <proxenos/errno.h>
#include <proxenos/xmalloc.h>
#include <fake_arch.h>
#include "fake_vgic_lr.h"
#include "fake_sched.h"
#include "heap_env.h"
#include "vgic_internal.h"

/* ---- Around the vGIC ---------------------------------------------------------
 * The MMIO table and the heap are the real mmio.c and xmalloc.c, the
 * scheduler fake_sched.c (kicks counted), the running vCPU the fake arch's
 * current_vcpu() (none here). */

/* How many times vCPU i of d was kicked (fake_sched.c counts). */
static unsigned int kicks(const struct domain *d, unsigned int i)
{
    return fake_sched_calls(FAKE_SCHED_KICK, d->vcpu[i]);
}

/* ---- A domain and MMIO through its registered regions ------------------- */

#define NR_SPIS 64U
#define RAM0    0x40000000ULL

static struct domain *new_domain(unsigned int nr_vcpus, unsigned int nr_spis)
{
    struct domain *d = calloc(1, sizeof(*d));

    d->max_vcpus = nr_vcpus;
    d->vcpu = calloc(nr_vcpus, sizeof(struct vcpu *));
    assert_int_equal(vgic_domain_init(d, nr_spis), 0);
    for (unsigned int i = 0U; i < nr_vcpus; i++) {
        struct vcpu *v = calloc(1, sizeof(*v));

        v->vcpu_id = i;
        v->domain = d;
        d->vcpu[i] = v;
        assert_int_equal(vgic_vcpu_init(v), 0);
    }
    return d;
}

static void free_domain(struct domain *d)
{
    vgic_domain_destroy(d);
    for (unsigned int i = 0U; i < d->max_vcpus; i++) {
        free(d->vcpu[i]);
    }
    free(d->vcpu);
    free(d);
}

static const struct mmio_region *region_at(const struct domain *d, paddr_t gpa)
{
    for (unsigned int i = 0U; i < d->arch.mmio.count; i++) {
        const struct mmio_region *r = &d->arch.mmio.regions[i];

        if ((gpa >= r->base) && (gpa < (r->base + r->size))) {
            return r;
        }
    }
    return NULL;
}

/* An access as trap_dabt.c would hand it over; -ENXIO when no region. */
static int mmio(struct domain *d, paddr_t gpa, unsigned int size, bool write, uint64_t *val)
{
    const struct mmio_region *r = region_at(d, gpa);
    struct mmio_access a = { gpa, 0U, size, write };

    if (r == NULL) {
        return -ENXIO;
    }
    a.offset = gpa - r->base;
    return write ? r->ops->write(d->vcpu[0], &a, *val, r->priv)
                 : r->ops->read(d->vcpu[0], &a, val, r->priv);
}

static uint64_t rd(struct domain *d, paddr_t gpa, unsigned int size)
{
    uint64_t v = 0xdeadbeefU;

    assert_int_equal(mmio(d, gpa, size, false, &v), 0);
    return v;
}

static void wr(struct domain *d, paddr_t gpa, unsigned int size, uint64_t val)
{
    assert_int_equal(mmio(d, gpa, size, true, &val), 0);
}

#define GICD(off)           (VGIC_V3_DIST_BASE + (off))
#define GICR(i, off)        (VGIC_V3_RDIST_BASE + ((paddr_t)(i) * VGIC_V3_RDIST_STRIDE) + (off))
#define SGI(i, off)         GICR((i), 0x10000U + (off))

static int setup(void **state)
{
    (void)state;
    fake_reset();
    heap_env_init(RAM0, (size_t)MiB(4));
    fake_vgic_reset(4U);
    fake_sched_reset();
    return 0;
}

/* Every domain a test made is freed by it: the heap holds nothing. */
static int teardown(void **state)
{
    (void)state;
    assert_int_equal(heap_env_objs_live(), 0U);
    return 0;
}

/* Enable the distributor and interrupt intid (an SPI, or a PPI/SGI of
 * vCPU rdi) with priority prio, as a driver would. */
static void enable_irq(struct domain *d, unsigned int rdi, unsigned int intid, uint8_t prio)
{
    wr(d, GICD(0x0000U), 4U, 0x13U);
    if (intid < 32U) {
        wr(d, SGI(rdi, 0x0400U + intid), 1U, prio);
        wr(d, SGI(rdi, 0x0100U), 4U, 1ULL << intid);
    } else {
        wr(d, GICD(0x0400U + intid), 1U, prio);
        wr(d, GICD(0x0100U + ((intid / 32U) * 4U)), 4U, 1ULL << (intid % 32U));
    }
}

/* ---- Probe ---------------------------------------------------------------- */

/* What Linux's gic_init_bases/gic_dist_init do to the distributor. */
static void test_dist_probe_as_linux(void **state)
{
    struct domain *d = new_domain(2U, NR_SPIS);
    uint32_t typer;

    (void)state;
    assert_int_equal(rd(d, GICD(0xffe8U), 4U) & 0xf0U, 0x30U);     /* PIDR2: GICv3 */
    typer = (uint32_t)rd(d, GICD(0x0004U), 4U);
    assert_int_equal(typer & 0x1fU, 2U);            /* 96 lines: 64 SPIs */
    assert_int_equal((typer >> 19) & 0x1fU, 9U);    /* 10 INTID bits */
    assert_int_equal(typer & (1U << 17), 0U);       /* no LPIs */
    assert_int_equal(typer & (1U << 16), 0U);       /* no MBIS */
    assert_int_equal(typer & (1U << 8), 0U);        /* no ESPI */
    assert_int_equal(rd(d, GICD(0x000cU), 4U), 0U); /* TYPER2 */
    assert_int_equal(rd(d, GICD(0x0008U), 4U), VGIC_IIDR);

    /* Disable, wait for RWP. */
    wr(d, GICD(0x0000U), 4U, 0U);
    assert_int_equal(rd(d, GICD(0x0000U), 4U), 0x50U);  /* ARE | DS, RWP clear */

    for (unsigned int i = 32U; i < 96U; i += 32U) {
        wr(d, GICD(0x0080U + (i / 8U)), 4U, 0xffffffffU);   /* Group 1 */
        assert_int_equal(rd(d, GICD(0x0080U + (i / 8U)), 4U), 0xffffffffU);
    }
    for (unsigned int i = 32U; i < 96U; i += 16U) {
        wr(d, GICD(0x0c00U + (i / 4U)), 4U, 0U);            /* level */
    }
    for (unsigned int i = 32U; i < 96U; i += 4U) {
        wr(d, GICD(0x0400U + i), 4U, 0xa0a0a0a0U);
    }
    for (unsigned int i = 32U; i < 96U; i += 32U) {
        wr(d, GICD(0x0380U + (i / 8U)), 4U, 0xffffffffU);   /* ICACTIVER */
        wr(d, GICD(0x0180U + (i / 8U)), 4U, 0xffffffffU);   /* ICENABLER */
    }
    wr(d, GICD(0x0000U), 4U, 0x13U);    /* ARE_NS | EnableGrp1A | EnableGrp1 */
    assert_int_equal(rd(d, GICD(0x0000U), 4U) & 0x80000052U, 0x52U);
    for (unsigned int i = 32U; i < 96U; i++) {
        wr(d, GICD(0x6000U + (8U * i)), 8U, 0U);            /* to vCPU 0 */
    }
    assert_int_equal(rd(d, GICD(0x0400U + 40U), 4U), 0xa0a0a0a0U);
    assert_int_equal(rd(d, GICD(0x0400U + 41U), 1U), 0xa0U);

    /* Route SPI 50 to vCPU 1 (Aff0 = 1), read it back whole and by halves. */
    wr(d, GICD(0x6000U + (8U * 50U)), 8U, 1U);
    assert_int_equal(rd(d, GICD(0x6000U + (8U * 50U)), 8U), 1U);
    assert_int_equal(rd(d, GICD(0x6000U + (8U * 50U)), 4U), 1U);
    assert_int_equal(rd(d, GICD(0x6000U + (8U * 50U) + 4U), 4U), 0U);
    assert_int_equal(d->arch.vgic.spis[50U - 32U].target, 1U);
    /* IRM through the low half, Aff3 through the high half. */
    wr(d, GICD(0x6000U + (8U * 51U)), 4U, 1ULL << 31);
    wr(d, GICD(0x6000U + (8U * 51U) + 4U), 4U, 0x7U);
    assert_int_equal(rd(d, GICD(0x6000U + (8U * 51U)), 8U), (7ULL << 32) | (1ULL << 31));
    assert_int_equal(d->arch.vgic.spis[51U - 32U].target, 0U);     /* 1 of N: vCPU 0 */

    /* ICFGR: SPIs configurable. */
    wr(d, GICD(0x0c00U + (48U / 4U)), 4U, 0x2U);        /* SPI 48 edge */
    assert_int_equal(rd(d, GICD(0x0c00U + (48U / 4U)), 4U), 0x2U);
    free_domain(d);
}

/* What gic_populate_rdist/gic_enable_redist/gic_cpu_config do to a
 * redistributor. */
static void test_redist_probe_as_linux(void **state)
{
    struct domain *d = new_domain(2U, NR_SPIS);

    (void)state;
    for (unsigned int i = 0U; i < 2U; i++) {
        uint64_t typer;

        assert_int_equal(rd(d, GICR(i, 0xffe8U), 4U) & 0xf0U, 0x30U);
        typer = rd(d, GICR(i, 0x0008U), 8U);
        assert_int_equal(typer >> 32, i);                   /* Aff0 = i */
        assert_int_equal((typer >> 8) & 0xffffU, i);        /* Processor_Number */
        assert_int_equal(typer & 0x3U, 0U);                 /* no PLPIS/VLPIS */
        assert_int_equal((typer >> 4) & 1U, (i == 1U) ? 1U : 0U);
        assert_int_equal(rd(d, GICR(i, 0x0004U), 4U), VGIC_IIDR);

        /* Wake-up handshake. */
        assert_int_equal(rd(d, GICR(i, 0x0014U), 4U), 0x6U);
        wr(d, GICR(i, 0x0014U), 4U, rd(d, GICR(i, 0x0014U), 4U) & ~0x2ULL);
        assert_int_equal(rd(d, GICR(i, 0x0014U), 4U) & 0x4U, 0U);
        assert_int_equal(rd(d, GICR(i, 0x0000U), 4U) & 0x8U, 0U);  /* RWP */

        /* gic_cpu_config: groups, SGIs on, PPIs off, no active, priorities. */
        wr(d, SGI(i, 0x0080U), 4U, 0xffffffffU);
        wr(d, SGI(i, 0x0380U), 4U, 0xffffffffU);
        wr(d, SGI(i, 0x0180U), 4U, 0xffff0000U);
        wr(d, SGI(i, 0x0100U), 4U, 0x0000ffffU);
        for (unsigned int p = 0U; p < 32U; p += 4U) {
            wr(d, SGI(i, 0x0400U + p), 4U, 0xa0a0a0a0U);
        }
        assert_int_equal(rd(d, SGI(i, 0x0080U), 4U), 0xffffffffU);
        assert_int_equal(rd(d, SGI(i, 0x0100U), 4U), 0x0000ffffU);
        assert_int_equal(rd(d, SGI(i, 0x0180U), 4U), 0x0000ffffU);
        assert_int_equal(rd(d, SGI(i, 0x041cU), 4U), 0xa0a0a0a0U);
        assert_int_equal(rd(d, SGI(i, 0x0d00U), 4U), 0U);  /* IGRPMODR0 */

        /* ICFGR0: SGIs edge, read-only. ICFGR1: PPIs configurable. */
        assert_int_equal(rd(d, SGI(i, 0x0c00U), 4U), 0xaaaaaaaaU);
        wr(d, SGI(i, 0x0c00U), 4U, 0U);
        assert_int_equal(rd(d, SGI(i, 0x0c00U), 4U), 0xaaaaaaaaU);
        assert_int_equal(rd(d, SGI(i, 0x0c04U), 4U), 0U);  /* PPIs level */
        wr(d, SGI(i, 0x0c04U), 4U, 0x2U << 30);            /* PPI 31 edge */
        assert_int_equal(rd(d, SGI(i, 0x0c04U), 4U), 0x2U << 30);

        /* The timer PPI's priority byte and enable, as request_percpu_irq. */
        wr(d, SGI(i, 0x0400U + 27U), 1U, 0x80U);
        assert_int_equal(rd(d, SGI(i, 0x0418U), 4U), 0x80a0a0a0U);
        wr(d, SGI(i, 0x0100U), 4U, 1U << 27);
        assert_true((rd(d, SGI(i, 0x0100U), 4U) & (1U << 27)) != 0U);

        /* No LPIs: PROPBASER/PENDBASER RAZ/WI, NSACR RAZ/WI. */
        wr(d, GICR(i, 0x0070U), 8U, 0x1234U);
        assert_int_equal(rd(d, GICR(i, 0x0070U), 8U), 0U);
        assert_int_equal(rd(d, GICR(i, 0x007cU), 4U), 0U);
        assert_int_equal(rd(d, SGI(i, 0x0e00U), 4U), 0U);
    }
    free_domain(d);
}

static void test_four_vcpu_typer(void **state)
{
    struct domain *d = new_domain(4U, 32U);
    struct domain *big = new_domain(20U, 32U);

    (void)state;
    for (unsigned int i = 0U; i < 4U; i++) {
        uint64_t typer = rd(d, GICR(i, 0x0008U), 8U);

        assert_int_equal(typer >> 32, i);
        assert_int_equal((typer >> 8) & 0xffffU, i);
        assert_int_equal((typer >> 4) & 1U, (i == 3U) ? 1U : 0U);
        assert_int_equal(rd(d, GICR(i, 0x000cU), 4U), i);   /* upper half */
    }
    /* The region ends after the fourth redistributor. */
    assert_int_equal(region_at(d, GICR(3, 0x1fffcU))->size, 4U * VGIC_V3_RDIST_STRIDE);
    assert_null(region_at(d, GICR(4, 0U)));

    /* 16 vCPUs per Aff1 cluster: vCPU 17 is Aff1 = 1, Aff0 = 1. */
    assert_int_equal(rd(big, GICR(17, 0x0008U), 8U) >> 32, 0x101U);
    assert_int_equal((rd(big, GICR(19, 0x0008U), 8U) >> 4) & 1U, 1U);
    assert_int_equal((rd(big, GICR(18, 0x0008U), 8U) >> 4) & 1U, 0U);
    /* IROUTER naming Aff1 = 1, Aff0 = 2 reaches vCPU 18. */
    wr(big, GICD(0x6000U + (8U * 40U)), 8U, 0x102U);
    assert_int_equal(big->arch.vgic.spis[8].target, 18U);
    free_domain(d);
    free_domain(big);
}

/* ---- The path of an interrupt ---------------------------------------------- */

static void test_inject_flush_eoi(void **state)
{
    struct domain *d = new_domain(2U, NR_SPIS);
    struct vcpu *v0 = d->vcpu[0];

    (void)state;
    enable_irq(d, 0U, 40U, 0x80U);
    wr(d, GICD(0x0c08U), 4U, 0x2U << 16);      /* ICFGR2: SPI 40 edge */
    assert_false(vgic_vcpu_pending_irq(v0));
    assert_int_equal(vgic_inject_irq(d, NULL, 40U, true), 0);
    assert_int_equal(kicks(d, 0), 1U);
    assert_int_equal(vgic_inject_irq(d, NULL, 40U, true), 0);  /* nothing new */
    assert_int_equal(kicks(d, 0), 1U);
    assert_true(vgic_vcpu_pending_irq(v0));
    assert_false(vgic_vcpu_pending_irq(d->vcpu[1]));
    assert_true((rd(d, GICD(0x0200U + 4U), 4U) & (1U << 8)) != 0U);    /* ISPENDR1 */

    vgic_flush_lrs(v0);
    assert_int_equal(fake_lr_valid(), 1U);
    assert_int_equal(fake_vgic.lr[0] & ICH_LR_VINTID_MASK, 40U);
    assert_int_equal((fake_vgic.lr[0] >> ICH_LR_PRIO_SHIFT) & 0xffU, 0x80U);
    assert_true((fake_vgic.lr[0] & ICH_LR_GROUP1) != 0U);
    assert_int_equal(fake_vgic.lr[0] & (ICH_LR_HW | ICH_LR_EOI), 0U);  /* edge: no EOI maint */
    assert_int_equal(vgic_lr_state(fake_vgic.lr[0]), VGIC_LR_ST_PENDING);
    assert_int_equal(fake_vgic.hcr, ICH_HCR_EN);

    /* The guest takes it; an exit happens while it is active. */
    assert_int_equal(fake_guest_ack(), 40U);
    vgic_sync_lrs(v0);
    assert_int_equal(fake_lr_valid(), 0U);
    assert_true((rd(d, GICD(0x0300U + 4U), 4U) & (1U << 8)) != 0U);    /* active */
    assert_int_equal(rd(d, GICD(0x0200U + 4U), 4U) & (1U << 8), 0U);   /* not pending */
    assert_false(vgic_vcpu_pending_irq(v0));

    /* Back in: still active in an LR so the guest can EOI it. */
    vgic_flush_lrs(v0);
    assert_int_equal(fake_lr_state_of(40U), VGIC_LR_ST_ACTIVE);
    assert_true(fake_guest_eoi(40U));
    vgic_sync_lrs(v0);
    assert_int_equal(rd(d, GICD(0x0300U + 4U), 4U) & (1U << 8), 0U);
    vgic_flush_lrs(v0);
    assert_int_equal(fake_lr_valid(), 0U);
    /* Idle interrupts leave the busy bitmap. */
    assert_int_equal(d->arch.vgic.spi_busy[0], 0U);
    free_domain(d);
}

static void test_priority_order(void **state)
{
    static const struct { unsigned int intid; uint8_t prio; } irqs[] = {
        { 40U, 0xa0U }, { 20U, 0x40U }, { 41U, 0x10U }, { 33U, 0xf0U },
        { 22U, 0x40U }, { 45U, 0x60U },
    };
    struct domain *d = new_domain(1U, NR_SPIS);
    struct vcpu *v = d->vcpu[0];

    (void)state;
    for (unsigned int i = 0U; i < ARRAY_SIZE(irqs); i++) {
        enable_irq(d, 0U, irqs[i].intid, irqs[i].prio);
        assert_int_equal(vgic_inject_irq(d, v, irqs[i].intid, true), 0);
    }
    vgic_flush_lrs(v);
    /* Four LRs: 41 (0x10), 20 and 22 (0x40, lower INTID first), 45 (0x60). */
    assert_int_equal(fake_vgic.lr[0] & 0x3ffU, 41U);
    assert_int_equal(fake_vgic.lr[1] & 0x3ffU, 20U);
    assert_int_equal(fake_vgic.lr[2] & 0x3ffU, 22U);
    assert_int_equal(fake_vgic.lr[3] & 0x3ffU, 45U);
    assert_int_equal(fake_vgic.hcr, ICH_HCR_EN | ICH_HCR_UIE);

    /* The guest handles three (the line of each level PPI/SPI drops
     * before EOI, as a device's would). */
    for (unsigned int i = 0U; i < 3U; i++) {
        unsigned int intid = fake_guest_ack();

        assert_int_equal(vgic_inject_irq(d, v, intid, false), 0);
        assert_true(fake_guest_eoi(intid));
    }
    vgic_sync_lrs(v);
    assert_int_equal(fake_vgic.hcr, ICH_HCR_EN);    /* empty LRs: no UIE */
    vgic_flush_lrs(v);
    /* 45 still pending, then 40, 33: all fit, no underflow request. */
    assert_int_equal(fake_lr_valid(), 3U);
    assert_int_equal(fake_vgic.lr[0] & 0x3ffU, 45U);
    assert_int_equal(fake_vgic.lr[1] & 0x3ffU, 40U);
    assert_int_equal(fake_vgic.lr[2] & 0x3ffU, 33U);
    assert_int_equal(fake_vgic.hcr, ICH_HCR_EN);
    free_domain(d);
}

/* An active interrupt keeps its LR even when better ones are pending. */
static void test_active_first(void **state)
{
    struct domain *d = new_domain(1U, NR_SPIS);
    struct vcpu *v = d->vcpu[0];

    (void)state;
    fake_vgic_reset(2U);
    enable_irq(d, 0U, 50U, 0xe0U);
    assert_int_equal(vgic_inject_irq(d, NULL, 50U, true), 0);
    vgic_flush_lrs(v);
    assert_int_equal(fake_guest_ack(), 50U);
    vgic_sync_lrs(v);
    for (unsigned int i = 0U; i < 3U; i++) {
        enable_irq(d, 0U, 16U + i, 0x10U);
        assert_int_equal(vgic_inject_irq(d, v, 16U + i, true), 0);
    }
    vgic_flush_lrs(v);
    assert_int_equal(fake_vgic.lr[0] & 0x3ffU, 50U);
    assert_int_equal(vgic_lr_state(fake_vgic.lr[0]), VGIC_LR_ST_ACTIVE);
    assert_int_equal(fake_vgic.lr[1] & 0x3ffU, 16U);
    assert_true((fake_vgic.hcr & ICH_HCR_UIE) != 0U);
    vgic_sync_lrs(v);

    /* With one LR, underflow would fire at once: not asked for. */
    fake_vgic_reset(1U);
    vgic_flush_lrs(v);
    assert_int_equal(fake_vgic.lr[0] & 0x3ffU, 50U);
    assert_int_equal(fake_vgic.hcr, ICH_HCR_EN);
    free_domain(d);
}

static void test_level_semantics(void **state)
{
    struct domain *d = new_domain(1U, NR_SPIS);
    struct vcpu *v = d->vcpu[0];

    (void)state;
    enable_irq(d, 0U, 27U, 0xa0U);      /* the virtual timer: level PPI */
    assert_int_equal(vgic_inject_irq(d, v, 27U, true), 0);
    vgic_flush_lrs(v);
    assert_int_equal(fake_lr_state_of(27U), VGIC_LR_ST_PENDING);
    /* Level interrupts ask for a maintenance interrupt on deactivation. */
    assert_true((fake_vgic.lr[0] & ICH_LR_EOI) != 0U);

    /* EOI with the line still high: pending again. */
    assert_int_equal(fake_guest_ack(), 27U);
    assert_true(fake_guest_eoi(27U));
    assert_int_equal(fake_vgic.eoi_maint, 1U);
    vgic_sync_lrs(v);
    assert_true(vgic_vcpu_pending_irq(v));
    vgic_flush_lrs(v);
    assert_int_equal(fake_lr_state_of(27U), VGIC_LR_ST_PENDING);

    /* Acknowledged, line still high: active only (no active+pending for
     * a level interrupt); then the line drops and the EOI ends it. */
    assert_int_equal(fake_guest_ack(), 27U);
    vgic_sync_lrs(v);
    vgic_flush_lrs(v);
    assert_int_equal(fake_lr_state_of(27U), VGIC_LR_ST_ACTIVE);
    assert_int_equal(vgic_inject_irq(d, v, 27U, false), 0);
    assert_true(fake_guest_eoi(27U));
    vgic_sync_lrs(v);
    assert_false(vgic_vcpu_pending_irq(v));
    vgic_flush_lrs(v);
    assert_int_equal(fake_lr_valid(), 0U);

    /* Raised and lowered before the guest took it: withdrawn. */
    assert_int_equal(vgic_inject_irq(d, v, 27U, true), 0);
    vgic_flush_lrs(v);
    assert_int_equal(vgic_inject_irq(d, v, 27U, false), 0);
    vgic_sync_lrs(v);
    vgic_flush_lrs(v);
    assert_int_equal(fake_lr_valid(), 0U);

    /* ISPENDR latches a level interrupt until acknowledged; ICPENDR
     * clears the latch but not a high line. */
    wr(d, SGI(0, 0x0200U), 4U, 1U << 27);
    assert_true(vgic_vcpu_pending_irq(v));
    wr(d, SGI(0, 0x0280U), 4U, 1U << 27);
    assert_false(vgic_vcpu_pending_irq(v));
    assert_int_equal(vgic_inject_irq(d, v, 27U, true), 0);
    wr(d, SGI(0, 0x0280U), 4U, 1U << 27);
    assert_true(vgic_vcpu_pending_irq(v));
    free_domain(d);
}

static void test_edge_semantics(void **state)
{
    struct domain *d = new_domain(1U, NR_SPIS);
    struct vcpu *v = d->vcpu[0];

    (void)state;
    enable_irq(d, 0U, 33U, 0xa0U);
    wr(d, GICD(0x0c00U + 8U), 4U, 0x2U << 2);       /* SPI 33 edge */
    /* A falling edge does nothing; two edges before the guest looks
     * count once. */
    assert_int_equal(vgic_inject_irq(d, NULL, 33U, false), 0);
    assert_false(vgic_vcpu_pending_irq(v));
    assert_int_equal(vgic_inject_irq(d, NULL, 33U, true), 0);
    assert_int_equal(vgic_inject_irq(d, NULL, 33U, true), 0);
    vgic_flush_lrs(v);
    assert_int_equal(fake_guest_ack(), 33U);
    assert_int_equal(fake_guest_ack(), 1023U);
    vgic_sync_lrs(v);
    vgic_flush_lrs(v);
    assert_true(fake_guest_eoi(33U));
    vgic_sync_lrs(v);
    vgic_flush_lrs(v);
    assert_int_equal(fake_lr_valid(), 0U);

    /* An edge while the guest handles the previous one (the LR says
     * active, the guest is running): active+pending, delivered again
     * after the EOI. */
    assert_int_equal(vgic_inject_irq(d, NULL, 33U, true), 0);
    vgic_flush_lrs(v);
    assert_int_equal(fake_guest_ack(), 33U);
    assert_int_equal(vgic_inject_irq(d, NULL, 33U, true), 0);     /* from another CPU */
    vgic_sync_lrs(v);
    vgic_flush_lrs(v);
    assert_int_equal(fake_lr_state_of(33U), VGIC_LR_ST_ACTIVE | VGIC_LR_ST_PENDING);
    assert_true(fake_guest_eoi(33U));
    assert_int_equal(fake_guest_ack(), 33U);
    assert_true(fake_guest_eoi(33U));
    vgic_sync_lrs(v);
    vgic_flush_lrs(v);
    assert_int_equal(fake_lr_valid(), 0U);

    /* ICPENDR while in an LR, unacknowledged: withdrawn at the next sync. */
    assert_int_equal(vgic_inject_irq(d, NULL, 33U, true), 0);
    vgic_flush_lrs(v);
    wr(d, GICD(0x0280U + 4U), 4U, 1U << 1);
    vgic_sync_lrs(v);
    vgic_flush_lrs(v);
    assert_int_equal(fake_lr_valid(), 0U);
    free_domain(d);
}

/* Disabled, masked by GICD_CTLR, or unrouted: pending but not delivered. */
static void test_delivery_conditions(void **state)
{
    struct domain *d = new_domain(2U, NR_SPIS);
    struct vcpu *v0 = d->vcpu[0];
    struct vcpu *v1 = d->vcpu[1];

    (void)state;
    assert_int_equal(vgic_inject_irq(d, NULL, 60U, true), 0);
    assert_false(vgic_vcpu_pending_irq(v0));
    assert_int_equal(kicks(d, 0), 0U);
    vgic_flush_lrs(v0);
    assert_int_equal(fake_lr_valid(), 0U);
    enable_irq(d, 0U, 60U, 0x80U);      /* enabling it kicks vCPU 0 */
    assert_true(kicks(d, 0) > 0U);
    assert_true(vgic_vcpu_pending_irq(v0));

    wr(d, GICD(0x0000U), 4U, 0U);       /* distributor off */
    assert_false(vgic_vcpu_pending_irq(v0));
    fake_sched_reset();
    wr(d, GICD(0x0000U), 4U, 0x2U);
    assert_int_equal(kicks(d, 0), 1U);

    /* Moved to vCPU 1 by IROUTER, which is kicked. */
    wr(d, GICD(0x6000U + (8U * 60U)), 8U, 1U);
    assert_int_equal(kicks(d, 1), 1U);
    assert_false(vgic_vcpu_pending_irq(v0));
    assert_true(vgic_vcpu_pending_irq(v1));
    vgic_flush_lrs(v0);
    assert_int_equal(fake_lr_valid(), 0U);
    vgic_flush_lrs(v1);
    assert_int_equal(fake_lr_state_of(60U), VGIC_LR_ST_PENDING);
    vgic_sync_lrs(v1);

    /* Routed to an affinity no vCPU has: nobody. Then back. */
    wr(d, GICD(0x6000U + (8U * 60U)), 8U, 0x0500U);
    assert_int_equal(d->arch.vgic.spis[28].target, VGIC_NO_VCPU);
    assert_false(vgic_vcpu_pending_irq(v0));
    assert_false(vgic_vcpu_pending_irq(v1));
    wr(d, GICD(0x6000U + (8U * 60U)), 8U, 0U);
    assert_true(vgic_vcpu_pending_irq(v0));

    /* Active on vCPU 0, re-routed to vCPU 1: the EOI still finds it in
     * vCPU 0's LRs, and vCPU 1 is kicked once it is pending again. */
    vgic_flush_lrs(v0);
    assert_int_equal(fake_guest_ack(), 60U);
    vgic_sync_lrs(v0);
    wr(d, GICD(0x6000U + (8U * 60U)), 8U, 1U);
    vgic_flush_lrs(v1);
    assert_int_equal(fake_lr_valid(), 0U);
    vgic_sync_lrs(v1);
    vgic_flush_lrs(v0);
    assert_int_equal(fake_lr_state_of(60U), VGIC_LR_ST_ACTIVE);
    assert_int_equal(vgic_inject_irq(d, NULL, 60U, true), 0);     /* line still up */
    fake_sched_reset();
    assert_true(fake_guest_eoi(60U));
    vgic_sync_lrs(v0);
    assert_int_equal(kicks(d, 1), 1U);
    assert_true(vgic_vcpu_pending_irq(v1));
    free_domain(d);
}

/* ---- SGIs ----------------------------------------------------------------- */

static uint64_t sgi1r(unsigned int intid, unsigned int aff1, uint16_t targets)
{
    return ((uint64_t)intid << 24) | ((uint64_t)aff1 << 16) | targets;
}

static bool sgi_pending(struct domain *d, unsigned int vcpu, unsigned int sgi)
{
    return (rd(d, SGI(vcpu, 0x0200U), 4U) & (1U << sgi)) != 0U;
}

static void test_sgi1r(void **state)
{
    struct domain *d = new_domain(4U, 32U);

    (void)state;
    for (unsigned int i = 0U; i < 4U; i++) {
        enable_irq(d, i, 3U, 0x80U);
        enable_irq(d, i, 5U, 0x80U);
    }
    fake_sched_reset();

    /* To one: vCPU 2. */
    assert_int_equal(vgic_emulate_sgi1r(d->vcpu[0], sgi1r(3U, 0U, 1U << 2)), 0);
    assert_true(sgi_pending(d, 2U, 3U));
    assert_false(sgi_pending(d, 0U, 3U));
    assert_false(sgi_pending(d, 1U, 3U));
    assert_int_equal(kicks(d, 2), 1U);
    assert_true(vgic_vcpu_pending_irq(d->vcpu[2]));

    /* To several, self included: 0, 1, 3; bits for vCPUs that do not
     * exist (4-15) are ignored. */
    assert_int_equal(vgic_emulate_sgi1r(d->vcpu[0], sgi1r(5U, 0U, 0xfffbU)), 0);
    assert_true(sgi_pending(d, 0U, 5U));
    assert_true(sgi_pending(d, 1U, 5U));
    assert_false(sgi_pending(d, 2U, 5U));
    assert_true(sgi_pending(d, 3U, 5U));

    /* IRM: everyone but the sender. */
    wr(d, SGI(0, 0x0280U), 4U, 0xffffU);
    wr(d, SGI(2, 0x0280U), 4U, 0xffffU);
    fake_sched_reset();
    assert_int_equal(vgic_emulate_sgi1r(d->vcpu[1], sgi1r(3U, 0U, 0U) | (1ULL << 40)), 0);
    assert_true(sgi_pending(d, 0U, 3U));
    assert_false(sgi_pending(d, 1U, 3U));
    assert_true(sgi_pending(d, 2U, 3U));
    assert_true(sgi_pending(d, 3U, 3U));
    assert_int_equal(kicks(d, 1), 0U);

    /* Another cluster, another range, Aff2/Aff3: nobody here. */
    for (unsigned int i = 0U; i < 4U; i++) {
        wr(d, SGI(i, 0x0280U), 4U, 0xffffU);
    }
    assert_int_equal(vgic_emulate_sgi1r(d->vcpu[0], sgi1r(3U, 1U, 0xffffU)), 0);
    assert_int_equal(vgic_emulate_sgi1r(d->vcpu[0], sgi1r(3U, 0U, 0xffffU) | (1ULL << 44)), 0);
    assert_int_equal(vgic_emulate_sgi1r(d->vcpu[0], sgi1r(3U, 0U, 0xffffU) | (1ULL << 32)), 0);
    assert_int_equal(vgic_emulate_sgi1r(d->vcpu[0], sgi1r(3U, 0U, 0xffffU) | (1ULL << 48)), 0);
    for (unsigned int i = 0U; i < 4U; i++) {
        assert_false(sgi_pending(d, i, 3U));
    }

    /* Delivered through the LRs as an edge. */
    assert_int_equal(vgic_emulate_sgi1r(d->vcpu[0], sgi1r(3U, 0U, 1U << 1)), 0);
    vgic_flush_lrs(d->vcpu[1]);
    assert_int_equal(fake_lr_state_of(3U), VGIC_LR_ST_PENDING);
    assert_int_equal(fake_vgic.lr[0] & ICH_LR_EOI, 0U);

    /* Ping-pong: vCPU 1 takes the SGI, exits (to send its answer), goes
     * back with the SGI active in an LR and deactivates it without an
     * exit. The next SGI must still make vCPU 1 exit, though its
     * software state says "active". */
    assert_int_equal(fake_guest_ack(), 3U);
    vgic_sync_lrs(d->vcpu[1]);
    vgic_flush_lrs(d->vcpu[1]);
    assert_int_equal(fake_lr_state_of(3U), VGIC_LR_ST_ACTIVE);
    assert_true(fake_guest_eoi(3U));
    fake_sched_reset();
    assert_int_equal(vgic_emulate_sgi1r(d->vcpu[0], sgi1r(3U, 0U, 1U << 1)), 0);
    assert_int_equal(kicks(d, 1), 1U);
    vgic_sync_lrs(d->vcpu[1]);
    vgic_flush_lrs(d->vcpu[1]);
    assert_int_equal(fake_lr_state_of(3U), VGIC_LR_ST_PENDING);
    assert_int_equal(fake_guest_ack(), 3U);

    /* Still active when the next one comes: active+pending, and once
     * disabled no longer offered as pending. */
    fake_sched_reset();
    assert_int_equal(vgic_emulate_sgi1r(d->vcpu[0], sgi1r(3U, 0U, 1U << 1)), 0);
    assert_int_equal(kicks(d, 1), 1U);
    vgic_sync_lrs(d->vcpu[1]);
    vgic_flush_lrs(d->vcpu[1]);
    assert_int_equal(fake_lr_state_of(3U), VGIC_LR_ST_ACTIVE | VGIC_LR_ST_PENDING);
    vgic_sync_lrs(d->vcpu[1]);
    wr(d, SGI(1, 0x0180U), 4U, 1U << 3);
    vgic_flush_lrs(d->vcpu[1]);
    assert_int_equal(fake_lr_state_of(3U), VGIC_LR_ST_ACTIVE);
    free_domain(d);
}

static void test_sgi1r_second_cluster(void **state)
{
    struct domain *d = new_domain(20U, 32U);

    (void)state;
    /* Aff1 = 1, TargetList bits 0 and 3: vCPUs 16 and 19. */
    assert_int_equal(vgic_emulate_sgi1r(d->vcpu[0], sgi1r(7U, 1U, 0x9U)), 0);
    for (unsigned int i = 0U; i < 20U; i++) {
        assert_int_equal(sgi_pending(d, i, 7U), (i == 16U) || (i == 19U));
    }
    free_domain(d);
}

/* ---- Refused and ignored accesses --------------------------------------- */

static int access(struct domain *d, paddr_t gpa, unsigned int size, bool write)
{
    uint64_t v = 0xffffffffffffffffULL;

    return mmio(d, gpa, size, write, &v);
}

static void test_out_of_range(void **state)
{
    struct domain *d = new_domain(2U, 32U);
    struct domain *other = new_domain(1U, 32U);
    struct vcpu *v = d->vcpu[0];

    (void)state;
    /* Injection outside the domain's range. */
    assert_int_equal(vgic_inject_irq(d, v, 64U, true), -EINVAL);
    assert_int_equal(vgic_inject_irq(d, v, 1020U, true), -EINVAL);
    assert_int_equal(vgic_inject_irq(d, v, 0xffffffffU, true), -EINVAL);
    assert_int_equal(vgic_inject_irq(d, NULL, 27U, true), -EINVAL);
    assert_int_equal(vgic_inject_irq(d, other->vcpu[0], 27U, true), -EINVAL);
    assert_int_equal(vgic_inject_irq(d, NULL, 63U, true), 0);

    /* Widths and alignment the registers do not support. */
    assert_int_equal(access(d, GICD(0x0000U), 2U, false), -EINVAL);
    assert_int_equal(access(d, GICD(0x0000U), 1U, false), -EINVAL);
    assert_int_equal(access(d, GICD(0x0000U), 8U, false), -EINVAL);
    assert_int_equal(access(d, GICD(0x0000U), 8U, true), -EINVAL);
    assert_int_equal(access(d, GICD(0x0102U), 4U, true), -EINVAL);
    assert_int_equal(access(d, GICD(0x0100U), 1U, true), -EINVAL);
    assert_int_equal(access(d, GICD(0x0100U), 8U, false), -EINVAL);
    assert_int_equal(access(d, GICD(0x6000U + 256U), 2U, true), -EINVAL);
    assert_int_equal(access(d, GICD(0x6004U + 256U), 8U, true), -EINVAL);
    assert_int_equal(access(d, GICD(0xffe8U), 8U, false), -EINVAL);
    assert_int_equal(access(d, GICR(0, 0x0008U), 2U, false), -EINVAL);
    assert_int_equal(access(d, GICR(0, 0x0014U), 8U, false), -EINVAL);
    assert_int_equal(access(d, GICR(0, 0x0000U), 1U, false), -EINVAL);
    assert_int_equal(access(d, SGI(0, 0x0100U), 1U, true), -EINVAL);
    assert_int_equal(access(d, SGI(0, 0x0420U), 1U, true), -EINVAL);
    assert_int_equal(access(d, GICR(0, 0x0009U), 1U, false), -EINVAL);
    /* Outside the redistributors that exist: no region at all. */
    assert_int_equal(access(d, GICR(2, 0U), 4U, false), -ENXIO);
    assert_int_equal(access(d, GICD(0x10000U), 4U, false), -ENXIO);

    /* Lines that do not exist and reserved space: RAZ/WI. */
    assert_int_equal(rd(d, GICD(0x0100U + 8U), 4U), 0U);       /* SPIs 64-95 */
    wr(d, GICD(0x0100U + 8U), 4U, 0xffffffffU);
    assert_int_equal(rd(d, GICD(0x0100U + 8U), 4U), 0U);
    wr(d, GICD(0x0100U + 0x7cU), 4U, 0xffffffffU);           /* INTIDs 992-1023 */
    wr(d, GICD(0x0400U + 1019U), 1U, 0xffU);
    assert_int_equal(rd(d, GICD(0x0400U + 1016U), 4U), 0U);
    wr(d, GICD(0x6000U + (8U * 1019U)), 8U, 1U);
    assert_int_equal(rd(d, GICD(0x6000U + (8U * 1019U)), 8U), 0U);
    wr(d, GICD(0x6000U + (8U * 5U)), 8U, 1U);               /* IROUTER<n<32> */
    assert_int_equal(rd(d, GICD(0x6000U + (8U * 5U)), 8U), 0U);
    assert_int_equal(rd(d, GICD(0x0080U + 0x80U), 4U), 0U);    /* 0x100 is ISENABLER */
    assert_int_equal(rd(d, GICD(0x0f00U), 4U), 0U);            /* SGIR */
    wr(d, GICD(0x0f00U), 4U, 0x1ffffffU);
    assert_int_equal(rd(d, GICD(0x2000U), 8U), 0U);            /* reserved */
    wr(d, GICD(0xffe8U), 4U, 0U);                               /* RO */
    assert_int_equal(rd(d, GICD(0xffe8U), 4U) & 0xf0U, 0x30U);
    wr(d, GICD(0x0004U), 4U, 0U);
    assert_int_equal(rd(d, GICD(0x0004U), 4U) & 0x1fU, 1U);
    /* The distributor's view of INTIDs 0-31 is RAZ/WI with ARE. */
    wr(d, GICD(0x0100U), 4U, 0xffffffffU);
    assert_int_equal(rd(d, GICD(0x0100U), 4U), 0U);
    assert_int_equal(rd(d, SGI(0, 0x0100U), 4U), 0U);
    assert_int_equal(rd(d, GICD(0x0400U), 4U), 0U);
    assert_int_equal(rd(d, GICD(0x0800U), 1U), 0U);             /* ITARGETSR */
    /* The SGI frame past INTID 31 is not the SPIs'. */
    wr(d, SGI(0, 0x0104U), 4U, 0xffffffffU);
    wr(d, SGI(0, 0x0420U), 4U, 0xffffffffU);
    assert_int_equal(rd(d, GICD(0x0104U), 4U), 0U);
    assert_int_equal(rd(d, GICD(0x0420U), 4U), 0U);
    assert_int_equal(rd(d, SGI(0, 0x0104U), 4U), 0U);
    assert_int_equal(rd(d, GICR(1, 0x0010U), 4U), 0U);          /* STATUSR */
    assert_int_equal(rd(d, SGI(1, 0xffe8U), 4U), 0U);           /* reserved in SGI frame */
    wr(d, GICR(1, 0x0008U), 8U, 0U);                             /* TYPER is RO */
    assert_int_equal((rd(d, GICR(1, 0x0008U), 8U) >> 4) & 1U, 1U);

    /* Domain set-up arguments. */
    {
        struct domain bad = { 0 };

        bad.max_vcpus = 0U;
        assert_int_equal(vgic_domain_init(&bad, 32U), -EINVAL);
        bad.max_vcpus = 1U;
        assert_int_equal(vgic_domain_init(&bad, VGIC_MAX_SPIS + 1U), -EINVAL);
        bad.max_vcpus = MAX_VCPUS_PER_DOMAIN + 1U;
        assert_int_equal(vgic_domain_init(&bad, 32U), -EINVAL);
    }
    free_domain(d);
    free_domain(other);
}

static void test_domain_layout(void **state)
{
    struct domain *d = new_domain(3U, 1U);
    struct domain *big = calloc(1, sizeof(*big));

    (void)state;
    /* One SPI asked for: 32 made, described as 64 lines. */
    assert_int_equal(vgic_nr_spis(d), 32U);
    assert_int_equal(rd(d, GICD(0x0004U), 4U) & 0x1fU, 1U);
    assert_int_equal(d->arch.mmio.count, 2U);
    assert_int_equal(d->arch.mmio.regions[0].base, VGIC_V3_DIST_BASE);
    assert_int_equal(d->arch.mmio.regions[0].size, VGIC_V3_DIST_SIZE);
    assert_int_equal(d->arch.mmio.regions[1].base, VGIC_V3_RDIST_BASE);
    assert_int_equal(d->arch.mmio.regions[1].size, vgic_rdist_size(d));
    assert_int_equal(vgic_rdist_size(d), 3U * 0x20000U);

    /* The most there can be: 988 SPIs (INTIDs up to 1019), 128 vCPUs. */
    big->max_vcpus = MAX_VCPUS_PER_DOMAIN;
    assert_int_equal(vgic_domain_init_at(big, VGIC_MAX_SPIS, 0x08000000U, 0x080a0000U), 0);
    assert_int_equal(vgic_nr_spis(big), VGIC_MAX_SPIS);
    assert_int_equal(vgic_rdist_size(big), VGIC_V3_RDIST_MAX_SIZE);
    assert_int_equal(big->arch.mmio.regions[0].base, 0x08000000U);
    assert_int_equal(big->arch.mmio.regions[1].base, 0x080a0000U);
    assert_int_equal(vgic_inject_irq(big, NULL, 1019U, true), 0);
    assert_int_equal(vgic_inject_irq(big, NULL, 1020U, true), -EINVAL);
    vgic_domain_destroy(big);
    free(big);

    /* A region that overlaps one already there fails the set-up. */
    {
        struct domain *clash = calloc(1, sizeof(*clash));

        clash->max_vcpus = 1U;
        static const struct mmio_ops other_device;

        assert_int_equal(domain_register_mmio(clash, 0x03000000U, 0x2000U, &other_device, NULL), 0);
        assert_int_equal(vgic_domain_init(clash, 32U), -EEXIST);
        assert_null(clash->arch.vgic.spis);
        assert_false(clash->arch.vgic.ready);
        assert_int_equal(vgic_inject_irq(clash, NULL, 32U, true), -EINVAL);
        free(clash);
    }
    free_domain(d);
}

/* ---- Context switch and debug ------------------------------------------- */

static void test_save_restore(void **state)
{
    struct domain *d = new_domain(2U, 32U);
    struct vcpu *v0 = d->vcpu[0];
    struct vcpu *v1 = d->vcpu[1];

    (void)state;
    enable_irq(d, 0U, 40U, 0x80U);
    vgic_restore_state(v0);
    fake_vgic.vmcr = 0xf0000002U;       /* guest: PMR 0xf0, Group 1 on */
    fake_vgic.ap1r[0] = 0x4U;
    assert_int_equal(vgic_inject_irq(d, NULL, 40U, true), 0);
    vgic_flush_lrs(v0);
    assert_int_equal(fake_guest_ack(), 40U);

    /* Descheduled without an explicit sync: save folds the LRs back and
     * turns the virtual CPU interface off. */
    vgic_save_state(v0);
    assert_int_equal(fake_vgic.hcr, 0U);
    assert_int_equal(fake_lr_valid(), 0U);
    assert_int_equal(v0->arch.vgic.nr_lrs_used, 0U);
    assert_true((rd(d, GICD(0x0300U + 4U), 4U) & (1U << 8)) != 0U);

    vgic_restore_state(v1);
    assert_int_equal(fake_vgic.vmcr, 0U);
    assert_int_equal(fake_vgic.ap1r[0], 0U);
    vgic_flush_lrs(v1);
    assert_int_equal(fake_lr_valid(), 0U);      /* active on v0, not v1's */
    vgic_sync_lrs(v1);
    vgic_save_state(v1);

    vgic_restore_state(v0);
    assert_int_equal(fake_vgic.vmcr, 0xf0000002U);
    assert_int_equal(fake_vgic.ap1r[0], 0x4U);
    assert_int_equal(fake_vgic.hcr, ICH_HCR_EN);
    vgic_flush_lrs(v0);
    assert_int_equal(fake_lr_state_of(40U), VGIC_LR_ST_ACTIVE);

    /* Saving twice, or a vCPU that never ran, touches nothing. */
    vgic_sync_lrs(v0);
    vgic_save_state(v0);
    fake_vgic.vmcr = 0x1234U;
    vgic_save_state(v0);
    assert_int_equal(v0->arch.vgic.ctx.vmcr, 0xf0000002U);
    free_domain(d);
}

static void test_stats(void **state)
{
    struct domain *d = new_domain(1U, 32U);
    struct vcpu *v = d->vcpu[0];
    struct vgic_vcpu_stats st;

    (void)state;
    enable_irq(d, 0U, 27U, 0x80U);
    enable_irq(d, 0U, 40U, 0x80U);
    assert_int_equal(vgic_inject_irq(d, v, 27U, true), 0);
    assert_int_equal(vgic_inject_irq(d, NULL, 40U, true), 0);
    assert_int_equal(vgic_inject_irq(d, NULL, 41U, true), 0);   /* disabled */
    vgic_flush_lrs(v);
    assert_int_equal(fake_guest_ack(), 27U);
    vgic_sync_lrs(v);
    vgic_flush_lrs(v);
    vgic_vcpu_stats(v, &st);
    assert_int_equal(st.pending, 3U);   /* 27's line is high, 40, 41 */
    assert_int_equal(st.active, 1U);
    assert_int_equal(st.in_lrs, 2U);    /* 27 active, 40 pending */
    fake_log_clear();
    vgic_dump_vcpu(v);
    assert_true(fake_log_contains("3 pending, 1 active, 2 in LRs"));
    free_domain(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_dist_probe_as_linux, setup, teardown),
        cmocka_unit_test_setup_teardown(test_redist_probe_as_linux, setup, teardown),
        cmocka_unit_test_setup_teardown(test_four_vcpu_typer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inject_flush_eoi, setup, teardown),
        cmocka_unit_test_setup_teardown(test_priority_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_active_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_level_semantics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edge_semantics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delivery_conditions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sgi1r, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sgi1r_second_cluster, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_range, setup, teardown),
        cmocka_unit_test_setup_teardown(test_domain_layout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_restore, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
