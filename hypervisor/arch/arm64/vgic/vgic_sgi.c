/* Software-generated interrupts between vCPUs: the guest writes
 * ICC_SGI1R_EL1, which traps to EL2 while HCR_EL2.IMO is set, and we mark
 * the SGI pending on every vCPU the value names.
 *
 * ICC_SGI1R_EL1 (GICv3 spec): TargetList 15:0 (one bit per Aff0 value
 * RS*16 + n), Aff1 23:16, INTID 27:24, Aff2 39:32, IRM 40 (1: every PE
 * but the sender), RS 47:44, Aff3 55:48. With affinity routing an SGI has
 * no source vCPU to remember: it is an edge-triggered private interrupt.
 * The targets are found by comparing each vCPU's affinity with the value,
 * so any value the guest writes names at most the vCPUs that exist. */
#include <asm/domain.h>
#include <asm/vgic.h>
#include <proxenos/domain.h>
#include <proxenos/errno.h>
#include "vgic_internal.h"

#define SGI1R_TARGETS(x)    ((unsigned int)((x) & 0xffffULL))
#define SGI1R_AFF1(x)       ((unsigned int)(((x) >> 16) & 0xffULL))
#define SGI1R_INTID(x)      ((unsigned int)(((x) >> 24) & 0xfULL))
#define SGI1R_AFF2(x)       ((unsigned int)(((x) >> 32) & 0xffULL))
#define SGI1R_IRM           (1ULL << 40)
#define SGI1R_RS(x)         ((unsigned int)(((x) >> 44) & 0xfULL))
#define SGI1R_AFF3(x)       ((unsigned int)(((x) >> 48) & 0xffULL))

/* Does the vCPU with MPIDR affinity aff match the value's target list? */
static bool is_target(uint64_t value, uint64_t aff)
{
    unsigned int aff0 = (unsigned int)(aff & 0xffU);

    if ((((aff >> 8) & 0xffU) != SGI1R_AFF1(value)) ||
        (((aff >> 16) & 0xffU) != SGI1R_AFF2(value)) ||
        (((aff >> 32) & 0xffU) != SGI1R_AFF3(value))) {
        return false;
    }
    if ((aff0 / 16U) != SGI1R_RS(value)) {
        return false;
    }
    return (SGI1R_TARGETS(value) & (1U << (aff0 % 16U))) != 0U;
}

int vgic_emulate_sgi1r(struct vcpu *v, uint64_t value)
{
    struct domain *d = v->domain;
    struct vgic_kick k = { { 0 } };
    unsigned int sgi = SGI1R_INTID(value);
    bool all_but_self = (value & SGI1R_IRM) != 0U;
    unsigned long flags;

    if (!d->arch->vgic.ready) {
        return 0;
    }
    flags = vgic_lock(d);
    for (unsigned int id = 0U; id < d->max_vcpus; id++) {
        struct vcpu *t = vgic_vcpu(d, id);
        struct vgic_irq *irq;
        bool hit = all_but_self ? (t != v) : is_target(value, vcpu_vaffinity(id));

        if ((t == NULL) || !hit) {
            continue;
        }
        irq = &t->arch->vgic.priv[sgi];
        irq->flags |= VGIC_IRQ_LATCH;
        if ((irq->flags & VGIC_IRQ_IN_LR) != 0U) {
            irq->flags |= VGIC_IRQ_REPEND;
        }
        vgic_irq_changed(d, t, sgi, irq, &k);
    }
    vgic_unlock(d, flags);
    vgic_kick_send(d, &k);
    return 0;
}
