/* Test helper: the environment of the test_vgic* tests. The MMIO table and
 * the heap are the real mmio.c and xmalloc.c, the scheduler fake_sched.c
 * (kicks counted), the running vCPU the fake arch's current_vcpu() (none
 * here). Domains with a vGIC, guest MMIO through their registered regions,
 * and the per-test setup and teardown. The includer has included
 * <cmocka.h>. */
#ifndef TEST_VGIC_ENV_H
#define TEST_VGIC_ENV_H

#include <stdlib.h>
#include <asm/domain.h>
#include <asm/vgic.h>
#include <proxenos/domain.h>
#include <proxenos/errno.h>
#include <fake_arch.h>
#include "fake_vgic_lr.h"
#include "fake_sched.h"
#include "heap_env.h"
#include "vgic_internal.h"

/* How many times vCPU i of d was kicked (fake_sched.c counts). */
static inline unsigned int kicks(const struct domain *d, unsigned int i)
{
    return fake_sched_calls(FAKE_SCHED_KICK, d->vcpu[i]);
}

/* ---- A domain and MMIO through its registered regions ------------------- */

#define NR_SPIS 64U
#define RAM0    0x40000000ULL

/* A zeroed domain with its arm64 part, as arch_domain_create allocates
 * it (here without the vGIC, which each test sets up). */
static inline struct domain *alloc_domain(void)
{
    struct domain *d = calloc(1, sizeof(*d));

    assert_non_null(d);
    d->arch = calloc(1, sizeof(*d->arch));
    assert_non_null(d->arch);
    return d;
}

static inline void release_domain(struct domain *d)
{
    free(d->arch);
    free(d);
}

static inline struct domain *new_domain(unsigned int nr_vcpus, unsigned int nr_spis)
{
    struct domain *d = alloc_domain();

    d->max_vcpus = nr_vcpus;
    d->vcpu = calloc(nr_vcpus, sizeof(struct vcpu *));
    assert_int_equal(vgic_domain_init(d, nr_spis), 0);
    for (unsigned int i = 0U; i < nr_vcpus; i++) {
        struct vcpu *v = calloc(1, sizeof(*v));

        assert_non_null(v);
        v->arch = calloc(1, sizeof(*v->arch));
        assert_non_null(v->arch);
        v->vcpu_id = i;
        v->domain = d;
        d->vcpu[i] = v;
        assert_int_equal(vgic_vcpu_init(v), 0);
    }
    return d;
}

static inline void free_domain(struct domain *d)
{
    vgic_domain_destroy(d);
    for (unsigned int i = 0U; i < d->max_vcpus; i++) {
        free(d->vcpu[i]->arch);
        free(d->vcpu[i]);
    }
    free(d->vcpu);
    release_domain(d);
}

static inline const struct mmio_region *region_at(const struct domain *d, paddr_t gpa)
{
    for (unsigned int i = 0U; i < d->arch->mmio.count; i++) {
        const struct mmio_region *r = &d->arch->mmio.regions[i];

        if ((gpa >= r->base) && (gpa < (r->base + r->size))) {
            return r;
        }
    }
    return NULL;
}

/* An access as trap_dabt.c would hand it over; -ENXIO when no region. */
static inline int mmio(struct domain *d, paddr_t gpa, unsigned int size, bool write, uint64_t *val)
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

static inline uint64_t rd(struct domain *d, paddr_t gpa, unsigned int size)
{
    uint64_t v = 0xdeadbeefU;

    assert_int_equal(mmio(d, gpa, size, false, &v), 0);
    return v;
}

static inline void wr(struct domain *d, paddr_t gpa, unsigned int size, uint64_t val)
{
    assert_int_equal(mmio(d, gpa, size, true, &val), 0);
}

#define GICD(off)           (VGIC_V3_DIST_BASE + (off))
#define GICR(i, off)        (VGIC_V3_RDIST_BASE + ((paddr_t)(i) * VGIC_V3_RDIST_STRIDE) + (off))
#define SGI(i, off)         GICR((i), 0x10000U + (off))

static inline int setup(void **state)
{
    (void)state;
    fake_reset();
    heap_env_init(RAM0, (size_t)MiB(4));
    fake_vgic_reset(4U);
    fake_sched_reset();
    return 0;
}

/* Every domain a test made is freed by it: the heap holds nothing. */
static inline int teardown(void **state)
{
    (void)state;
    assert_int_equal(heap_env_objs_live(), 0U);
    return 0;
}

/* Enable the distributor and interrupt intid (an SPI, or a PPI/SGI of
 * vCPU rdi) with priority prio, as a driver would. */
static inline void enable_irq(struct domain *d, unsigned int rdi, unsigned int intid, uint8_t prio)
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

#endif
