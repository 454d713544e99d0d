/* The virtual GICv3's registers: the sequences a Linux GICv3 driver
 * performs at probe, guest accesses that must be refused or ignored, and a
 * domain's distributor and redistributor regions, from the smallest to the
 * largest. */
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
#include "vgic_env.h"

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
    assert_int_equal(d->arch->vgic.spis[50U - 32U].target, 1U);
    /* IRM through the low half, Aff3 through the high half. */
    wr(d, GICD(0x6000U + (8U * 51U)), 4U, 1ULL << 31);
    wr(d, GICD(0x6000U + (8U * 51U) + 4U), 4U, 0x7U);
    assert_int_equal(rd(d, GICD(0x6000U + (8U * 51U)), 8U), (7ULL << 32) | (1ULL << 31));
    assert_int_equal(d->arch->vgic.spis[51U - 32U].target, 0U);     /* 1 of N: vCPU 0 */

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
    assert_int_equal(big->arch->vgic.spis[8].target, 18U);
    free_domain(d);
    free_domain(big);
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
        struct arch_domain bad_arch = { 0 };
        struct domain bad = { .arch = &bad_arch };

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
    struct domain *big = alloc_domain();

    (void)state;
    /* One SPI asked for: 32 made, described as 64 lines. */
    assert_int_equal(vgic_nr_spis(d), 32U);
    assert_int_equal(rd(d, GICD(0x0004U), 4U) & 0x1fU, 1U);
    assert_int_equal(d->arch->mmio.count, 2U);
    assert_int_equal(d->arch->mmio.regions[0].base, VGIC_V3_DIST_BASE);
    assert_int_equal(d->arch->mmio.regions[0].size, VGIC_V3_DIST_SIZE);
    assert_int_equal(d->arch->mmio.regions[1].base, VGIC_V3_RDIST_BASE);
    assert_int_equal(d->arch->mmio.regions[1].size, vgic_rdist_size(d));
    assert_int_equal(vgic_rdist_size(d), 3U * 0x20000U);

    /* The most there can be: 988 SPIs (INTIDs up to 1019), 128 vCPUs. */
    big->max_vcpus = MAX_VCPUS_PER_DOMAIN;
    assert_int_equal(vgic_domain_init_at(big, VGIC_MAX_SPIS, 0x08000000U, 0x080a0000U), 0);
    assert_int_equal(vgic_nr_spis(big), VGIC_MAX_SPIS);
    assert_int_equal(vgic_rdist_size(big), VGIC_V3_RDIST_MAX_SIZE);
    assert_int_equal(big->arch->mmio.regions[0].base, 0x08000000U);
    assert_int_equal(big->arch->mmio.regions[1].base, 0x080a0000U);
    assert_int_equal(vgic_inject_irq(big, NULL, 1019U, true), 0);
    assert_int_equal(vgic_inject_irq(big, NULL, 1020U, true), -EINVAL);
    vgic_domain_destroy(big);
    release_domain(big);

    /* A region that overlaps one already there fails the set-up. */
    {
        struct domain *clash = alloc_domain();

        clash->max_vcpus = 1U;
        static const struct mmio_ops other_device;

        assert_int_equal(domain_register_mmio(clash, 0x03000000U, 0x2000U, &other_device, NULL), 0);
        assert_int_equal(vgic_domain_init(clash, 32U), -EEXIST);
        assert_null(clash->arch->vgic.spis);
        assert_false(clash->arch->vgic.ready);
        assert_int_equal(vgic_inject_irq(clash, NULL, 32U, true), -EINVAL);
        release_domain(clash);
    }
    free_domain(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_dist_probe_as_linux, setup, teardown),
        cmocka_unit_test_setup_teardown(test_redist_probe_as_linux, setup, teardown),
        cmocka_unit_test_setup_teardown(test_four_vcpu_typer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_range, setup, teardown),
        cmocka_unit_test_setup_teardown(test_domain_layout, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
