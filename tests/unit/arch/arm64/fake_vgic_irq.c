/* Fake vGIC injection for host tests of device models: see fake_vgic_irq.h. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <asm/vgic.h>
#include <proxenos/errno.h>
#include "fake_vgic_irq.h"

#define FAKE_VGIC_DOMAINS 8U
#define FAKE_VGIC_LINES   (32U + 988U)  /* INTIDs 0 .. 1019 */

struct fake_vgic {
    const struct domain *d;
    unsigned int nr_spis;
    unsigned int injects;
    struct vcpu *last_vcpu;
    bool line[FAKE_VGIC_LINES];
    unsigned int line_injects[FAKE_VGIC_LINES];
    unsigned int pulses[FAKE_VGIC_LINES];
};

static struct fake_vgic doms[FAKE_VGIC_DOMAINS];
/* Taken while a domain's slot is looked up or claimed: two threads that
 * inject for a new domain at once must agree on one slot. */
static bool slots_lock;

void fake_vgic_irq_reset(void)
{
    memset(doms, 0, sizeof(doms));
}

static struct fake_vgic *claim(const struct domain *d)
{
    for (unsigned int i = 0U; i < FAKE_VGIC_DOMAINS; i++) {
        if (doms[i].d == d) {
            return &doms[i];
        }
    }
    for (unsigned int i = 0U; i < FAKE_VGIC_DOMAINS; i++) {
        if (doms[i].d == NULL) {
            doms[i].d = d;
            doms[i].nr_spis = FAKE_VGIC_NR_SPIS;
            return &doms[i];
        }
    }
    return NULL;
}

static struct fake_vgic *of(const struct domain *d)
{
    struct fake_vgic *g;

    while (__atomic_test_and_set(&slots_lock, __ATOMIC_ACQUIRE)) {
    }
    g = claim(d);
    __atomic_clear(&slots_lock, __ATOMIC_RELEASE);
    if (g == NULL) {
        fprintf(stderr, "fake_vgic_irq: more than %u domains\n", FAKE_VGIC_DOMAINS);
        abort();
    }
    return g;
}

void fake_vgic_set_nr_spis(const struct domain *d, unsigned int n)
{
    of(d)->nr_spis = n;
}

bool fake_vgic_line(const struct domain *d, unsigned int virq)
{
    return (virq < FAKE_VGIC_LINES) && __atomic_load_n(&of(d)->line[virq], __ATOMIC_ACQUIRE);
}

unsigned int fake_vgic_injects(const struct domain *d)
{
    return __atomic_load_n(&of(d)->injects, __ATOMIC_ACQUIRE);
}

unsigned int fake_vgic_line_injects(const struct domain *d, unsigned int virq)
{
    return (virq < FAKE_VGIC_LINES) ? __atomic_load_n(&of(d)->line_injects[virq], __ATOMIC_ACQUIRE)
                                    : 0U;
}

unsigned int fake_vgic_pulses(const struct domain *d, unsigned int virq)
{
    return (virq < FAKE_VGIC_LINES) ? __atomic_load_n(&of(d)->pulses[virq], __ATOMIC_ACQUIRE) : 0U;
}

struct vcpu *fake_vgic_last_vcpu(const struct domain *d)
{
    return __atomic_load_n(&of(d)->last_vcpu, __ATOMIC_ACQUIRE);
}

__attribute__((weak)) unsigned int vgic_nr_spis(const struct domain *d)
{
    return of(d)->nr_spis;
}

__attribute__((weak)) int vgic_inject_irq(struct domain *d, struct vcpu *v, unsigned int virq,
                                          bool level)
{
    struct fake_vgic *g = of(d);

    if (((virq < 32U) && (v == NULL)) || (virq >= (32U + g->nr_spis)) ||
        (virq >= FAKE_VGIC_LINES)) {
        return -EINVAL;
    }
    __atomic_store_n(&g->line[virq], level, __ATOMIC_RELEASE);
    __atomic_store_n(&g->last_vcpu, v, __ATOMIC_RELEASE);
    __atomic_add_fetch(&g->line_injects[virq], 1U, __ATOMIC_ACQ_REL);
    __atomic_add_fetch(&g->injects, 1U, __ATOMIC_ACQ_REL);
    return 0;
}

__attribute__((weak)) int vgic_pulse_irq(struct domain *d, struct vcpu *v, unsigned int virq)
{
    struct fake_vgic *g = of(d);

    if (((virq < 32U) && (v == NULL)) || (virq >= (32U + g->nr_spis)) ||
        (virq >= FAKE_VGIC_LINES)) {
        return -EINVAL;
    }
    __atomic_store_n(&g->last_vcpu, v, __ATOMIC_RELEASE);
    __atomic_add_fetch(&g->pulses[virq], 1U, __ATOMIC_ACQ_REL);
    __atomic_add_fetch(&g->injects, 1U, __ATOMIC_ACQ_REL);
    return 0;
}
