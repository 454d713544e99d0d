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
    bool line[FAKE_VGIC_LINES];
};

static struct fake_vgic doms[FAKE_VGIC_DOMAINS];

void fake_vgic_irq_reset(void)
{
    memset(doms, 0, sizeof(doms));
}

static struct fake_vgic *of(const struct domain *d)
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
    fprintf(stderr, "fake_vgic_irq: more than %u domains\n", FAKE_VGIC_DOMAINS);
    abort();
}

void fake_vgic_set_nr_spis(const struct domain *d, unsigned int n)
{
    of(d)->nr_spis = n;
}

bool fake_vgic_line(const struct domain *d, unsigned int virq)
{
    return (virq < FAKE_VGIC_LINES) && of(d)->line[virq];
}

unsigned int fake_vgic_injects(const struct domain *d)
{
    return of(d)->injects;
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
    g->line[virq] = level;
    g->injects++;
    return 0;
}
