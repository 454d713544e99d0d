/* Virtual GICv3 core: the state of each interrupt of a domain, its life
 * cycle, injection by device models, and which vCPU an interrupt goes to.
 *
 * An interrupt is pending when its latch is set (an edge, or a write to
 * ISPENDR) or, if level-sensitive, while its line is high. So a level
 * interrupt the guest deactivates with the line still high is pending
 * again with no extra bookkeeping, and lowering the line withdraws it.
 *
 * Scanning all 1020 INTIDs on every guest entry would be slow under TCG,
 * so each interrupt that may be pending or active has a bit in a "busy"
 * bitmap (per vCPU for private ones, per domain for SPIs); vgic_flush.c
 * walks only those bits and clears the ones found idle. */
#include <asm/domain.h>
#include <asm/vgic.h>
#include <proxenos/domain.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/printk.h>
#include <proxenos/xmalloc.h>
#include "vgic_internal.h"

unsigned long vgic_lock(struct domain *d)
{
    return spin_lock_irqsave(&d->arch->vgic.lock);
}

void vgic_unlock(struct domain *d, unsigned long flags)
{
    spin_unlock_irqrestore(&d->arch->vgic.lock, flags);
}

void vgic_kick_add(struct vgic_kick *k, unsigned int vcpu_id)
{
    if (vcpu_id < MAX_VCPUS_PER_DOMAIN) {
        k->mask[vcpu_id / 64U] |= 1ULL << (vcpu_id % 64U);
    }
}

void vgic_kick_send(struct domain *d, const struct vgic_kick *k)
{
    for (unsigned int w = 0U; w < ARRAY_SIZE(k->mask); w++) {
        uint64_t bits = k->mask[w];

        while (bits != 0U) {
            unsigned int id = (w * 64U) + (unsigned int)__builtin_ctzll(bits);
            struct vcpu *v = vgic_vcpu(d, id);

            bits &= bits - 1U;
            if (v != NULL) {
                vcpu_kick(v);
            }
        }
    }
}

struct vcpu *vgic_vcpu(const struct domain *d, unsigned int id)
{
    if ((d->vcpu == NULL) || (id >= d->max_vcpus)) {
        return NULL;
    }
    return d->vcpu[vgic_nospec(id, d->max_vcpus)];
}

struct vgic_irq *vgic_get_irq(struct domain *d, struct vcpu *rd, unsigned int intid)
{
    struct vgic_dist *dist = &d->arch->vgic;

    if (intid < VGIC_NR_PRIVATE) {
        return (rd == NULL) ? NULL : &rd->arch->vgic.priv[vgic_nospec(intid, VGIC_NR_PRIVATE)];
    }
    if ((dist->spis == NULL) || ((intid - VGIC_NR_PRIVATE) >= dist->nr_spis)) {
        return NULL;
    }
    return &dist->spis[vgic_nospec(intid - VGIC_NR_PRIVATE, dist->nr_spis)];
}

bool vgic_irq_is_pending(const struct vgic_irq *irq)
{
    if ((irq->flags & VGIC_IRQ_LATCH) != 0U) {
        return true;
    }
    return (irq->flags & (VGIC_IRQ_EDGE | VGIC_IRQ_PULSED | VGIC_IRQ_LINE)) == VGIC_IRQ_LINE;
}

bool vgic_irq_is_deliverable(const struct vgic_dist *dist, const struct vgic_irq *irq)
{
    /* Every interrupt is Group 1 (IGROUPR is RAO/WI). */
    return ((dist->ctlr & VGICD_CTLR_ENABLE_G1) != 0U) && ((irq->flags & VGIC_IRQ_ENABLED) != 0U) &&
           ((irq->flags & VGIC_IRQ_ACTIVE) == 0U) && vgic_irq_is_pending(irq);
}

_Static_assert(((VGIC_MAX_SPIS + 63U) / 64U) <= 32U, "spi_busy_words has a bit per word");

void vgic_irq_changed(struct domain *d, struct vcpu *rd, unsigned int intid,
                      struct vgic_irq *irq, struct vgic_kick *k)
{
    struct vgic_dist *dist = &d->arch->vgic;
    bool busy = vgic_irq_is_pending(irq) || ((irq->flags & VGIC_IRQ_ACTIVE) != 0U);

    if (intid < VGIC_NR_PRIVATE) {
        if (busy && (rd != NULL)) {
            rd->arch->vgic.priv_busy |= 1U << intid;
        }
    } else if (busy) {
        unsigned int spi = intid - VGIC_NR_PRIVATE;

        dist->spi_busy[spi / 64U] |= 1ULL << (spi % 64U);
        dist->spi_busy_words |= 1U << (spi / 64U);
    } else {
        /* Idle: the bit is cleared lazily by the next flush. */
    }
    if (k == NULL) {
        return;
    }
    if (vgic_irq_is_deliverable(dist, irq)) {
        if (intid < VGIC_NR_PRIVATE) {
            if (rd != NULL) {
                vgic_kick_add(k, rd->vcpu_id);
            }
        } else if (irq->target != VGIC_NO_VCPU) {
            vgic_kick_add(k, irq->target);
        } else {
            /* Routed nowhere: stays pending until IROUTER names a vCPU. */
        }
    } else if (((irq->flags & VGIC_IRQ_IN_LR) != 0U) && vgic_irq_is_pending(irq)) {
        /* Pending again while a list register holds it, typically as
         * active: the guest may have deactivated it since (that needs no
         * exit), so our "active" may be stale. Make the vCPU holding the
         * LR exit; its sync and flush then deliver the new edge. */
        vgic_kick_add(k, (intid < VGIC_NR_PRIVATE) ? ((rd != NULL) ? rd->vcpu_id : VGIC_NO_VCPU)
                                                   : irq->owner);
    } else {
        /* Not deliverable: nobody to tell. */
    }
}

uint8_t vgic_route_to_vcpu(const struct domain *d, uint32_t route, bool irm)
{
    if (irm) {
        /* 1 of N: the GIC may pick any participating PE; vCPU 0 always
         * exists and is never offline for long. */
        return (d->max_vcpus > 0U) ? 0U : VGIC_NO_VCPU;
    }
    for (unsigned int id = 0U; id < d->max_vcpus; id++) {
        uint64_t a = vcpu_vaffinity(id);
        /* MPIDR layout (Aff3 at 39:32) packed like GICR_TYPER[63:32]. */
        uint32_t packed = (uint32_t)(((a >> 8) & 0xff000000ULL) | (a & 0xffffffULL));

        if (packed == route) {
            return (uint8_t)id;
        }
    }
    return VGIC_NO_VCPU;
}

void vgic_collect_deliverable(struct domain *d, struct vgic_kick *k)
{
    struct vgic_dist *dist = &d->arch->vgic;

    for (unsigned int id = 0U; id < d->max_vcpus; id++) {
        struct vcpu *v = vgic_vcpu(d, id);

        if (v == NULL) {
            continue;
        }
        for (unsigned int i = 0U; i < VGIC_NR_PRIVATE; i++) {
            if (vgic_irq_is_deliverable(dist, &v->arch->vgic.priv[i])) {
                vgic_kick_add(k, id);
                break;
            }
        }
    }
    for (unsigned int i = 0U; i < dist->nr_spis; i++) {
        const struct vgic_irq *irq = &dist->spis[i];

        if ((irq->target != VGIC_NO_VCPU) && vgic_irq_is_deliverable(dist, irq)) {
            vgic_kick_add(k, irq->target);
        }
    }
}

/* ---- Life cycle ---------------------------------------------------------- */

paddr_t vgic_rdist_size(const struct domain *d)
{
    return (paddr_t)d->max_vcpus * VGIC_V3_RDIST_STRIDE;
}

unsigned int vgic_nr_spis(const struct domain *d)
{
    return d->arch->vgic.nr_spis;
}

static void free_spis(struct vgic_dist *dist)
{
    xfree(dist->spis);
    xfree(dist->spi_busy);
    dist->spis = NULL;
    dist->spi_busy = NULL;
    dist->nr_spis = 0U;
}

int vgic_domain_init_at(struct domain *d, unsigned int nr_spis,
                        paddr_t dist_base, paddr_t rdist_base)
{
    struct vgic_dist *dist = &d->arch->vgic;
    unsigned int n;
    int rc;

    if ((d->max_vcpus == 0U) || (d->max_vcpus > MAX_VCPUS_PER_DOMAIN) ||
        (nr_spis > VGIC_MAX_SPIS)) {
        return -EINVAL;
    }
    /* GICD_TYPER describes lines in blocks of 32: make them all real. */
    n = MIN(ALIGN_UP(nr_spis, 32U), VGIC_MAX_SPIS);

    *dist = (struct vgic_dist){ 0 };
    spin_lock_init(&dist->lock);
    dist->dist_base = dist_base;
    dist->rdist_base = rdist_base;
    if (n > 0U) {
        dist->spis = xzalloc_array(struct vgic_irq, n);
        dist->spi_busy = xzalloc_array(uint64_t, (n + 63U) / 64U);
        if ((dist->spis == NULL) || (dist->spi_busy == NULL)) {
            free_spis(dist);
            return -ENOMEM;
        }
    }
    dist->nr_spis = n;
    for (unsigned int i = 0U; i < n; i++) {
        /* Level-sensitive, disabled, priority 0, routed to vCPU 0. */
        dist->spis[i].target = vgic_route_to_vcpu(d, 0U, false);
        dist->spis[i].owner = 0U;
    }

    rc = domain_register_mmio(d, dist_base, VGIC_V3_DIST_SIZE, &vgic_v3_dist_ops, d);
    if (rc == 0) {
        rc = domain_register_mmio(d, rdist_base, vgic_rdist_size(d), &vgic_v3_rdist_ops, d);
    }
    if (rc != 0) {
        free_spis(dist);
        return rc;
    }
    dist->ready = true;
    return 0;
}

int vgic_domain_init(struct domain *d, unsigned int nr_spis)
{
    return vgic_domain_init_at(d, nr_spis, VGIC_V3_DIST_BASE, VGIC_V3_RDIST_BASE);
}

void vgic_domain_destroy(struct domain *d)
{
    struct vgic_dist *dist = &d->arch->vgic;
    unsigned long flags = vgic_lock(d);

    dist->ready = false;
    free_spis(dist);
    vgic_unlock(d, flags);
}

int vgic_vcpu_init(struct vcpu *v)
{
    struct domain *d = v->domain;
    struct vgic_cpu *c = &v->arch->vgic;
    unsigned long flags;

    if ((d == NULL) || !d->arch->vgic.ready || (v->vcpu_id >= d->max_vcpus)) {
        return -EINVAL;
    }
    flags = vgic_lock(d);
    *c = (struct vgic_cpu){ 0 };
    for (unsigned int i = 0U; i < VGIC_NR_PRIVATE; i++) {
        /* SGIs are always edge-triggered; PPIs start level-sensitive
         * (the timer is), the guest may reconfigure them. */
        c->priv[i].flags = (i < VGIC_NR_SGIS) ? (uint16_t)VGIC_IRQ_EDGE : 0U;
        c->priv[i].target = (uint8_t)v->vcpu_id;
        c->priv[i].owner = (uint8_t)v->vcpu_id;
    }
    c->waker = 1U;          /* GICR_WAKER.ProcessorSleep resets to 1 */
    c->ctx_saved = true;
    vgic_unlock(d, flags);
    return 0;
}

/* ---- Injection ----------------------------------------------------------- */

/* How a device drives an interrupt: its line to a level, or one pulse. */
enum vgic_signal { VGIC_LINE_LOW, VGIC_LINE_HIGH, VGIC_PULSE };

static int signal_irq(struct domain *d, struct vcpu *v, unsigned int virq, enum vgic_signal sig)
{
    struct vgic_kick k = { { 0 } };
    struct vgic_irq *irq;
    unsigned long flags;
    uint16_t before;

    if ((d == NULL) || !d->arch->vgic.ready) {
        return -EINVAL;
    }
    if (virq < VGIC_NR_PRIVATE) {
        if ((v == NULL) || (v->domain != d)) {
            return -EINVAL;
        }
    } else {
        v = NULL;
    }
    flags = vgic_lock(d);
    irq = vgic_get_irq(d, v, virq);
    if (irq == NULL) {
        vgic_unlock(d, flags);
        return -EINVAL;
    }
    before = irq->flags;
    /* The line is tracked in both modes, so that a change of ICFGR sees
     * it as it is; an edge-triggered interrupt latches on each assertion. */
    if (sig == VGIC_PULSE) {
        irq->flags |= VGIC_IRQ_PULSED;
    } else if (sig == VGIC_LINE_HIGH) {
        irq->flags |= VGIC_IRQ_LINE;
    } else {
        irq->flags &= (uint16_t)~VGIC_IRQ_LINE;
    }
    if ((sig != VGIC_LINE_LOW) && vgic_irq_edge(irq)) {
        irq->flags |= VGIC_IRQ_LATCH;
        if ((irq->flags & VGIC_IRQ_IN_LR) != 0U) {
            irq->flags |= VGIC_IRQ_REPEND;
        }
    }
    /* A device repeating what it said before (a line still high, a pulse
     * not yet taken) has already had its vCPU kicked: no IPI storm. */
    vgic_irq_changed(d, v, virq, irq, (irq->flags != before) ? &k : NULL);
    vgic_unlock(d, flags);
    vgic_kick_send(d, &k);
    return 0;
}

int vgic_inject_irq(struct domain *d, struct vcpu *v, unsigned int virq, bool level)
{
    return signal_irq(d, v, virq, level ? VGIC_LINE_HIGH : VGIC_LINE_LOW);
}

int vgic_pulse_irq(struct domain *d, struct vcpu *v, unsigned int virq)
{
    return signal_irq(d, v, virq, VGIC_PULSE);
}

static bool private_deliverable(const struct vgic_dist *dist, const struct vgic_cpu *c)
{
    uint32_t bits = c->priv_busy;

    while (bits != 0U) {
        unsigned int i = (unsigned int)__builtin_ctz(bits);

        bits &= bits - 1U;
        if (vgic_irq_is_deliverable(dist, &c->priv[i])) {
            return true;
        }
    }
    return false;
}

bool vgic_vcpu_pending_irq(const struct vcpu *v)
{
    struct domain *d = v->domain;
    const struct vgic_dist *dist = &d->arch->vgic;
    bool found;
    unsigned long flags;
    uint32_t words;

    if (!dist->ready) {
        return false;
    }
    /* Nothing pending or active anywhere, the usual case of a WFI: no
     * lock. A bit set after this look comes with a kick (trap_wfx looks
     * again once it has blocked). */
    if ((__atomic_load_n(&v->arch->vgic.priv_busy, __ATOMIC_RELAXED) == 0U) &&
        (__atomic_load_n(&dist->spi_busy_words, __ATOMIC_RELAXED) == 0U)) {
        return false;
    }
    flags = vgic_lock(d);
    found = private_deliverable(dist, &v->arch->vgic);
    /* Only the words with a busy SPI. */
    words = found ? 0U : dist->spi_busy_words;
    while (words != 0U) {
        unsigned int w = (unsigned int)__builtin_ctz(words);
        uint64_t bits = dist->spi_busy[w];

        words &= words - 1U;
        while (bits != 0U) {
            unsigned int i = (w * 64U) + (unsigned int)__builtin_ctzll(bits);
            const struct vgic_irq *irq = &dist->spis[i];

            bits &= bits - 1U;
            if ((irq->target == v->vcpu_id) && vgic_irq_is_deliverable(dist, irq)) {
                found = true;
                bits = 0U;
                words = 0U;
            }
        }
    }
    vgic_unlock(d, flags);
    return found;
}

/* ---- Debug ------------------------------------------------------------- */

static void count_irq(const struct vgic_irq *irq, struct vgic_vcpu_stats *st)
{
    if (vgic_irq_is_pending(irq)) {
        st->pending++;
    }
    if ((irq->flags & VGIC_IRQ_ACTIVE) != 0U) {
        st->active++;
    }
}

void vgic_vcpu_stats(const struct vcpu *v, struct vgic_vcpu_stats *st)
{
    struct domain *d = v->domain;
    const struct vgic_dist *dist = &d->arch->vgic;
    unsigned long flags;

    *st = (struct vgic_vcpu_stats){ 0 };
    if (!dist->ready) {
        return;
    }
    flags = vgic_lock(d);
    for (unsigned int i = 0U; i < VGIC_NR_PRIVATE; i++) {
        count_irq(&v->arch->vgic.priv[i], st);
    }
    for (unsigned int i = 0U; i < dist->nr_spis; i++) {
        const struct vgic_irq *irq = &dist->spis[i];
        bool mine = ((irq->flags & VGIC_IRQ_ACTIVE) != 0U) ? (irq->owner == v->vcpu_id)
                                                           : (irq->target == v->vcpu_id);

        if (mine) {
            count_irq(irq, st);
        }
    }
    st->in_lrs = v->arch->vgic.nr_lrs_used;
    vgic_unlock(d, flags);
}

void vgic_dump_vcpu(const struct vcpu *v)
{
    struct vgic_vcpu_stats st;
    const struct vgic_cpu *c = &v->arch->vgic;

    vgic_vcpu_stats(v, &st);
    pr_info("  vGIC d%u v%u: %u pending, %u active, %u in LRs, VMCR 0x%llx%s\n",
            (unsigned int)v->domain->domain_id, v->vcpu_id, st.pending, st.active, st.in_lrs,
            (unsigned long long)c->ctx.vmcr,
            ((c->waker & 1U) != 0U) ? ", redistributor asleep" : "");
}
