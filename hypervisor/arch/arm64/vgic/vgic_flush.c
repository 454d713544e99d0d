/* Moving interrupts between the software state and the list registers.
 *
 * flush (before entering the guest) chooses what v's list registers hold:
 * first every interrupt active on v (the guest will deactivate it through
 * its virtual CPU interface, which only knows what is in an LR), then the
 * deliverable pending ones by priority (lower value first, then lower
 * INTID). If more wait than fit, ICH_HCR_EL2.UIE asks for a maintenance
 * interrupt once the guest has drained the LRs to at most one, so the rest
 * follow without waiting for an unrelated exit.
 *
 * sync (after the exit) compares what flush wrote with what the LR holds
 * now. The guest can only do two things to an LR: acknowledge (pending
 * goes away, active appears) and deactivate (active goes away). sync
 * applies just those two transitions to the software state, so changes
 * made meanwhile by other CPUs (a new edge, ICPENDR, ICACTIVER) are kept:
 *  - acknowledged: the latch is consumed, unless a new edge arrived after
 *    flush (VGIC_IRQ_REPEND), and the interrupt becomes active;
 *  - deactivated (it was or became active, and the LR no longer says so):
 *    not active. A level interrupt whose line is still high is then
 *    pending again by definition (vgic.c).
 * Level interrupts carry ICH_LR.EOI, so their deactivation raises a
 * maintenance interrupt and the line is re-examined at once. Pulsed ones
 * (the event-channel upcall) are edges here, whatever ICFGR says.
 * sync then empties every LR it read: between exit and entry the software
 * state is the whole truth, and flush starts from a clean slate. */
#include <asm/domain.h>
#include <asm/vgic.h>
#include <proxenos/domain.h>
#include <proxenos/lib.h>
#include <proxenos/string.h>
#include "vgic_internal.h"

struct lr_pick {
    uint32_t key;           /* ordering: lower goes first */
    uint16_t intid;
    uint8_t state;          /* VGIC_LR_ST_* to write */
    struct vgic_irq *irq;
};

struct lr_choice {
    struct lr_pick pick[VGIC_MAX_LRS];
    unsigned int count;
    unsigned int room;      /* LRs on this CPU */
    bool overflow;          /* more wanted an LR than fit */
};

/* Active first, then priority, then INTID: unique per interrupt. */
static uint32_t pick_key(bool active, uint8_t prio, unsigned int intid)
{
    return ((active ? 0U : 1U) << 20) | ((uint32_t)prio << 10) | (intid & 0x3ffU);
}

static void offer(struct lr_choice *ch, struct vgic_irq *irq, unsigned int intid,
                  unsigned int state)
{
    struct lr_pick p = {
        .key = pick_key((state & VGIC_LR_ST_ACTIVE) != 0U, irq->priority, intid),
        .intid = (uint16_t)intid,
        .state = (uint8_t)state,
        .irq = irq,
    };
    unsigned int i;

    if (ch->count == ch->room) {
        ch->overflow = true;
        if ((ch->room == 0U) || (p.key > ch->pick[ch->room - 1U].key)) {
            return;
        }
        ch->count--;    /* the worst one makes room */
    }
    /* Insertion into the sorted array (at most 16 entries). */
    i = ch->count;
    while ((i > 0U) && (ch->pick[i - 1U].key > p.key)) {
        ch->pick[i] = ch->pick[i - 1U];
        i--;
    }
    ch->pick[i] = p;
    ch->count++;
}

/* The LR state irq should have on vCPU vcpu_id, 0 if it has no business
 * there. mine_pending/mine_active: whether pending delivery and an active
 * state belong to this vCPU (always true for private interrupts). */
static unsigned int wanted_state(const struct vgic_dist *dist, const struct vgic_irq *irq,
                                 bool mine_pending, bool mine_active)
{
    if ((irq->flags & VGIC_IRQ_ACTIVE) != 0U) {
        if (!mine_active) {
            return 0U;
        }
        /* An edge that came while active shows as active+pending (if it
         * may be signalled at all); a level line is looked at again when
         * the guest deactivates. */
        if (vgic_irq_edge(irq) && ((irq->flags & VGIC_IRQ_LATCH) != 0U) &&
            ((irq->flags & VGIC_IRQ_ENABLED) != 0U) &&
            ((dist->ctlr & VGICD_CTLR_ENABLE_G1) != 0U)) {
            return VGIC_LR_ST_ACTIVE | VGIC_LR_ST_PENDING;
        }
        return VGIC_LR_ST_ACTIVE;
    }
    if (mine_pending && vgic_irq_is_deliverable(dist, irq)) {
        return VGIC_LR_ST_PENDING;
    }
    return 0U;
}

static bool irq_idle(const struct vgic_irq *irq)
{
    return !vgic_irq_is_pending(irq) && ((irq->flags & (VGIC_IRQ_ACTIVE | VGIC_IRQ_IN_LR)) == 0U);
}

static void choose_private(const struct vgic_dist *dist, struct vgic_cpu *c,
                           struct lr_choice *ch)
{
    uint32_t bits = c->priv_busy;

    while (bits != 0U) {
        unsigned int i = (unsigned int)__builtin_ctz(bits);
        struct vgic_irq *irq = &c->priv[i];
        unsigned int st = wanted_state(dist, irq, true, true);

        bits &= bits - 1U;
        if (st != 0U) {
            offer(ch, irq, i, st);
        } else if (irq_idle(irq)) {
            c->priv_busy &= ~(1U << i);
        } else {
            /* Pending but disabled, or masked by GICD_CTLR: keep looking. */
        }
    }
}

static void choose_shared(struct vgic_dist *dist, unsigned int vcpu_id, struct lr_choice *ch)
{
    uint32_t words = dist->spi_busy_words;

    while (words != 0U) {
        unsigned int w = (unsigned int)__builtin_ctz(words);
        uint64_t bits = dist->spi_busy[w];

        words &= words - 1U;
        while (bits != 0U) {
            unsigned int b = (unsigned int)__builtin_ctzll(bits);
            unsigned int spi = (w * 64U) + b;
            struct vgic_irq *irq = &dist->spis[spi];
            unsigned int st;

            bits &= bits - 1U;
            if ((irq->flags & VGIC_IRQ_IN_LR) != 0U) {
                continue;   /* in another running vCPU's LRs */
            }
            st = wanted_state(dist, irq, irq->target == vcpu_id, irq->owner == vcpu_id);
            if (st != 0U) {
                offer(ch, irq, spi + VGIC_NR_PRIVATE, st);
            } else if (irq_idle(irq)) {
                dist->spi_busy[w] &= ~(1ULL << b);
            } else {
                /* Someone else's, or not deliverable yet. */
            }
        }
        if (dist->spi_busy[w] == 0U) {
            dist->spi_busy_words &= ~(1U << w);
        }
    }
}

/* Whether v has no interrupt that may be pending or active, private or
 * shared. Read without the lock: a bit set after this look comes with a
 * kick of v (an IPI, taken as soon as v runs), so it is not missed. */
static bool nothing_busy(const struct vgic_dist *dist, const struct vgic_cpu *c)
{
    return (__atomic_load_n(&c->priv_busy, __ATOMIC_RELAXED) == 0U) &&
           (__atomic_load_n(&dist->spi_busy_words, __ATOMIC_RELAXED) == 0U);
}

bool vgic_lrs_settled(const struct vcpu *v)
{
    const struct vgic_dist *dist = &v->domain->arch->vgic;
    const struct vgic_cpu *c = &v->arch->vgic;

    if (!dist->ready) {
        return true;
    }
    return (c->nr_lrs_used == 0U) && !c->ctx_saved && (c->ctx.hcr == ICH_HCR_EN) &&
           nothing_busy(dist, c);
}

void vgic_flush_lrs(struct vcpu *v)
{
    struct domain *d = v->domain;
    struct vgic_dist *dist = &d->arch->vgic;
    struct vgic_cpu *c = &v->arch->vgic;
    struct lr_choice ch;    /* pick[] is filled up to count: not cleared */
    unsigned long flags;
    uint64_t hcr = ICH_HCR_EN;

    if (!dist->ready) {
        return;
    }
    if (c->nr_lrs_used != 0U) {
        /* Flushed twice without a sync: fold the LRs back first. */
        vgic_sync_lrs_nokick(v);
    }
    /* The common case on the way back from a hypercall or an emulated
     * access: nothing to deliver, and no lock to take for it. */
    if (nothing_busy(dist, c)) {
        if (c->ctx_saved || (c->ctx.hcr != ICH_HCR_EN)) {
            c->ctx.hcr = ICH_HCR_EN;
            c->ctx_saved = false;
            vgic_lr_write_hcr(ICH_HCR_EN);
        }
        return;
    }
    ch.count = 0U;
    ch.overflow = false;
    ch.room = MIN(vgic_lr_count(), VGIC_MAX_LRS);
    flags = vgic_lock(d);
    choose_private(dist, c, &ch);
    choose_shared(dist, v->vcpu_id, &ch);
    for (unsigned int i = 0U; i < ch.count; i++) {
        struct lr_pick *p = &ch.pick[i];
        bool level = !vgic_irq_edge(p->irq);

        vgic_lr_write(i, vgic_lr_make(p->intid, p->irq->priority, p->state, level));
        p->irq->flags = (uint16_t)((p->irq->flags | VGIC_IRQ_IN_LR) & ~VGIC_IRQ_REPEND);
        if (p->intid >= VGIC_NR_PRIVATE) {
            p->irq->owner = (uint8_t)v->vcpu_id;
        }
        c->lr_intid[i] = p->intid;
        c->lr_state[i] = p->state;
    }
    c->nr_lrs_used = ch.count;
    /* With a single LR the underflow condition would hold at once and
     * the guest would never run: the rest then waits for the next exit. */
    if (ch.overflow && (ch.room >= 2U)) {
        hcr |= ICH_HCR_UIE;
    }
    /* While the context is loaded the register holds ctx.hcr (sync put
     * it back to ICH_HCR_EN): rewrite it only when it changes, each GIC
     * register access being dear under emulation. */
    if (c->ctx_saved || (c->ctx.hcr != hcr)) {
        c->ctx.hcr = hcr;
        c->ctx_saved = false;
        vgic_lr_write_hcr(hcr);
    }
    vgic_unlock(d, flags);
}

/* Fold LR n of v back; returns the SPI's target to kick, or VGIC_NO_VCPU. */
static unsigned int sync_one(struct domain *d, struct vcpu *v, unsigned int n)
{
    struct vgic_cpu *c = &v->arch->vgic;
    unsigned int intid = c->lr_intid[n];
    unsigned int written = c->lr_state[n];
    unsigned int now = vgic_lr_state(vgic_lr_read(n));
    struct vgic_irq *irq = vgic_get_irq(d, v, intid);
    bool acked;
    bool deactivated;

    /* Cleared even when the guest emptied it: leaving emptied LRs as they
     * were stalled a Linux dom0's timers under QEMU (test_linux_dom0.py,
     * two runs of two), for a reason not yet understood. */
    vgic_lr_write(n, 0U);
    if (irq == NULL) {
        return VGIC_NO_VCPU;    /* the domain's SPIs are gone */
    }
    acked = ((written & VGIC_LR_ST_PENDING) != 0U) && ((now & VGIC_LR_ST_PENDING) == 0U);
    if (acked) {
        if ((irq->flags & VGIC_IRQ_REPEND) == 0U) {
            irq->flags &= (uint16_t)~VGIC_IRQ_LATCH;
        }
        irq->flags |= VGIC_IRQ_ACTIVE;
    }
    deactivated = ((now & VGIC_LR_ST_ACTIVE) == 0U) &&
                  (((written & VGIC_LR_ST_ACTIVE) != 0U) || acked);
    if (deactivated) {
        irq->flags &= (uint16_t)~VGIC_IRQ_ACTIVE;
    }
    /* Private interrupts (the timer's, the event channels') are never
     * routed lines: they pay no test for it. */
    if (intid < VGIC_NR_PRIVATE) {
        irq->flags &= (uint16_t)~(VGIC_IRQ_IN_LR | VGIC_IRQ_REPEND);
        vgic_irq_changed(d, v, intid, irq, NULL);
        return VGIC_NO_VCPU;
    }
    if (deactivated && ((irq->flags & VGIC_IRQ_HW) != 0U)) {
        vgic_hw_deactivated(intid, irq);
    }
    irq->flags &= (uint16_t)~(VGIC_IRQ_IN_LR | VGIC_IRQ_REPEND);
    vgic_irq_changed(d, v, intid, irq, NULL);
    if ((irq->target != v->vcpu_id) && vgic_irq_is_deliverable(&d->arch->vgic, irq)) {
        return irq->target;     /* moved by IROUTER while it was here */
    }
    return VGIC_NO_VCPU;
}

static void sync_lrs(struct vcpu *v, struct vgic_kick *k)
{
    struct domain *d = v->domain;
    struct vgic_cpu *c = &v->arch->vgic;
    unsigned long flags;

    if (c->nr_lrs_used == 0U) {
        return;
    }
    flags = vgic_lock(d);
    for (unsigned int n = 0U; n < MIN(c->nr_lrs_used, VGIC_MAX_LRS); n++) {
        unsigned int target = sync_one(d, v, n);

        if ((k != NULL) && (target != VGIC_NO_VCPU)) {
            vgic_kick_add(k, target);
        }
    }
    c->nr_lrs_used = 0U;
    /* Empty LRs with UIE set would raise a maintenance interrupt as soon
     * as interrupts are unmasked, for nothing: flush decides afresh. */
    if (c->ctx.hcr != ICH_HCR_EN) {
        c->ctx.hcr = ICH_HCR_EN;
        vgic_lr_write_hcr(ICH_HCR_EN);
    }
    vgic_unlock(d, flags);
}

void vgic_sync_lrs(struct vcpu *v)
{
    struct vgic_kick k;

    if (v->arch->vgic.nr_lrs_used == 0U) {
        return;     /* every exit that delivered nothing */
    }
    (void)memset(&k, 0, sizeof(k));
    sync_lrs(v, &k);
    vgic_kick_send(v->domain, &k);
}

void vgic_sync_lrs_nokick(struct vcpu *v)
{
    sync_lrs(v, NULL);
}

void vgic_save_state(struct vcpu *v)
{
    struct vgic_cpu *c = &v->arch->vgic;

    if (c->ctx_saved) {
        return;
    }
    vgic_sync_lrs_nokick(v);
    vgic_lr_save_ctx(&c->ctx);
    c->ctx_saved = true;
}

void vgic_restore_state(struct vcpu *v)
{
    struct vgic_cpu *c = &v->arch->vgic;

    /* The LRs are empty until flush fills them: no underflow request. */
    c->ctx.hcr = ICH_HCR_EN;
    vgic_lr_restore_ctx(&c->ctx);
    c->ctx_saved = false;
}
