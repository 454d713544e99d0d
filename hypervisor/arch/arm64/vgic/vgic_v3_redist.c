/* The guest's GICv3 redistributors: one 128 KiB slot per vCPU in a single
 * region, redistributor i serving vCPU i. Each slot is an RD frame
 * (control, identification, power handshake; no LPIs) followed by an SGI
 * frame with the interrupt registers of the vCPU's SGIs and PPIs, laid
 * out like the distributor's (vgic_regs.c). */
#include <asm/domain.h>
#include <asm/vgic.h>
#include <proxenos/domain.h>
#include <proxenos/errno.h>
#include "vgic_internal.h"

#define GICR_FRAME_SIZE     0x10000U
#define GICR_CTLR           0x0000U
#define GICR_IIDR           0x0004U
#define GICR_TYPER          0x0008U
#define GICR_STATUSR        0x0010U
#define GICR_WAKER          0x0014U
#define GICR_PROPBASER      0x0070U
#define GICR_PENDBASER      0x0078U
#define GICR_SGI_IPRIORITYR 0x0400U     /* SGI frame: 8 registers */
#define GICR_SGI_NSACR      0x0e00U

#define GICR_TYPER_LAST     (1ULL << 4)
#define GICR_TYPER_PROC_SHIFT 8U
#define GICR_WAKER_SLEEP    (1U << 1)   /* ProcessorSleep */
#define GICR_WAKER_ASLEEP   (1U << 2)   /* ChildrenAsleep */

static uint64_t typer(const struct domain *d, unsigned int idx)
{
    uint64_t a = vcpu_vaffinity(idx);
    /* MPIDR's Aff3 (39:32) and Aff2-0 (23:0) packed as Aff3.Aff2.Aff1.Aff0
     * in bits 63:32; no PLPIS, VLPIS, DirectLPI; PPInum 0 (16 PPIs). */
    uint64_t t = (((a >> 8) & 0xff000000ULL) | (a & 0xffffffULL)) << 32;

    t |= (uint64_t)idx << GICR_TYPER_PROC_SHIFT;
    if ((idx + 1U) == d->max_vcpus) {
        t |= GICR_TYPER_LAST;
    }
    return t;
}

/* One access, split into redistributor index and frame offsets. */
struct rd_access {
    unsigned int idx;
    bool sgi_frame;
    paddr_t off;            /* inside the RD or SGI frame */
};

static bool decode(const struct domain *d, const struct mmio_access *a, struct rd_access *r)
{
    paddr_t slot_off;

    if ((a->size == 0U) || (a->size == 2U) || (a->size > 8U) ||
        ((a->offset % a->size) != 0U)) {
        return false;
    }
    if ((a->offset / VGIC_V3_RDIST_STRIDE) >= d->max_vcpus) {
        return false;       /* outside the region we registered */
    }
    r->idx = (unsigned int)(a->offset / VGIC_V3_RDIST_STRIDE);
    slot_off = a->offset % VGIC_V3_RDIST_STRIDE;
    r->sgi_frame = slot_off >= GICR_FRAME_SIZE;
    r->off = slot_off % GICR_FRAME_SIZE;
    /* Bytes only for the SGI/PPI priorities. */
    if (a->size == 1U) {
        return r->sgi_frame && (r->off >= GICR_SGI_IPRIORITYR) &&
               (r->off < (GICR_SGI_IPRIORITYR + VGIC_NR_PRIVATE));
    }
    return true;
}

static int word(const struct mmio_access *a, uint32_t value, uint64_t *val)
{
    if (a->size != 4U) {
        return -EINVAL;
    }
    *val = value;
    return 0;
}

static uint32_t waker_value(const struct vcpu *rd)
{
    /* The children (our emulation) sleep exactly when asked to. */
    return ((rd != NULL) && ((rd->arch->vgic.waker & 1U) != 0U)) ?
           (GICR_WAKER_SLEEP | GICR_WAKER_ASLEEP) : 0U;
}

static int rd_read(struct domain *d, const struct rd_access *r, const struct mmio_access *a,
                   uint64_t *val)
{
    uint32_t id;

    switch (r->off) {
    case GICR_CTLR:
        return word(a, 0U, val);    /* no LPIs; RWP and UWP never set */
    case GICR_IIDR:
        return word(a, VGIC_IIDR, val);
    case GICR_WAKER:
        return word(a, waker_value(vgic_vcpu(d, r->idx)), val);
    case GICR_TYPER:
    case GICR_TYPER + 4U:
        return vgic_reg64_read(a, (a->offset - r->off) + GICR_TYPER, typer(d, r->idx), val);
    case GICR_PROPBASER:
    case GICR_PROPBASER + 4U:
    case GICR_PENDBASER:
    case GICR_PENDBASER + 4U:
        return vgic_reg64_read(a, a->offset & ~7ULL, 0U, val);     /* no LPIs: RAZ/WI */
    default:
        break;
    }
    if (vgic_id_reg(r->off, &id)) {
        return word(a, id, val);
    }
    return 0;       /* reserved, STATUSR: RAZ */
}

static int rd_write(struct domain *d, const struct rd_access *r, const struct mmio_access *a,
                    uint64_t val)
{
    struct vcpu *rd;
    uint64_t ignored;
    unsigned long flags;

    switch (r->off) {
    case GICR_CTLR:
    case GICR_IIDR:
    case GICR_STATUSR:
        return (a->size == 4U) ? 0 : -EINVAL;
    case GICR_WAKER:
        if (a->size != 4U) {
            return -EINVAL;
        }
        rd = vgic_vcpu(d, r->idx);
        if (rd != NULL) {
            flags = vgic_lock(d);
            rd->arch->vgic.waker = ((val & GICR_WAKER_SLEEP) != 0U) ? 1U : 0U;
            vgic_unlock(d, flags);
        }
        return 0;
    case GICR_TYPER:
    case GICR_TYPER + 4U:
    case GICR_PROPBASER:
    case GICR_PROPBASER + 4U:
    case GICR_PENDBASER:
    case GICR_PENDBASER + 4U:
        /* Read-only, or RAZ/WI without LPIs: only the width is checked. */
        return vgic_reg64_write(a, a->offset & ~7ULL, 0U, val, &ignored);
    default:
        return 0;   /* reserved, ID registers: WI */
    }
}

/* SGI frame offsets past INTID 31 (extended PPIs, which we do not have)
 * and other reserved space: RAZ/WI, with the register's width rules. */
static int sgi_access(struct domain *d, const struct rd_access *r, const struct mmio_access *a,
                      uint64_t *val, bool write)
{
    struct vcpu *rd = vgic_vcpu(d, r->idx);
    enum vgic_reg reg;
    unsigned int intid;

    if (!vgic_reg_decode(r->off, &reg, &intid)) {
        if (r->off == GICR_SGI_NSACR) {
            return (a->size == 4U) ? 0 : -EINVAL;   /* RAZ/WI, one security state */
        }
        return 0;
    }
    if ((intid >= VGIC_NR_PRIVATE) || (rd == NULL)) {
        return ((a->size == 4U) || ((a->size == 1U) && (reg == VGIC_REG_IPRIORITYR))) ?
               0 : -EINVAL;
    }
    if (write) {
        return vgic_reg_write(d, rd, reg, intid, a->size, *val);
    }
    return vgic_reg_read(d, rd, reg, intid, a->size, val);
}

static int rdist_read(struct vcpu *v, const struct mmio_access *a, uint64_t *val, void *priv)
{
    struct domain *d = priv;
    struct rd_access r;

    (void)v;
    *val = 0U;
    if (!decode(d, a, &r)) {
        return -EINVAL;
    }
    return r.sgi_frame ? sgi_access(d, &r, a, val, false) : rd_read(d, &r, a, val);
}

static int rdist_write(struct vcpu *v, const struct mmio_access *a, uint64_t val, void *priv)
{
    struct domain *d = priv;
    struct rd_access r;

    (void)v;
    if (!decode(d, a, &r)) {
        return -EINVAL;
    }
    return r.sgi_frame ? sgi_access(d, &r, a, &val, true) : rd_write(d, &r, a, val);
}

const struct mmio_ops vgic_v3_rdist_ops = {
    .read = rdist_read,
    .write = rdist_write,
};
