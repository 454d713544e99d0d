/* The guest's GICv3 distributor (GICD), one 64 KiB frame per domain.
 *
 * Affinity routing is always on (GICD_CTLR.ARE reads as one), so the
 * distributor only deals with SPIs: its registers for INTIDs 0-31 are
 * RAZ/WI and SGIs and PPIs live in the redistributors. One security
 * state (DS = 1): the guest sees the Secure-less layout of GICD_CTLR and
 * writes priorities unshifted, as Linux expects for a guest. Reserved
 * offsets read as zero and ignore writes, as the spec says of reserved
 * register space; accesses of a width a register does not support are
 * refused (the guest gets a data abort). */
#include <asm/domain.h>
#include <asm/vgic.h>
#include <proxenos/domain.h>
#include <proxenos/errno.h>
#include "vgic_internal.h"

#define GICD_CTLR           0x0000U
#define GICD_TYPER          0x0004U
#define GICD_IIDR           0x0008U
#define GICD_TYPER2         0x000cU
#define GICD_ITARGETSR      0x0800U     /* .. 0x0bff: RAZ/WI with ARE */
#define GICD_ITARGETSR_END  0x0c00U
#define GICD_SGIR           0x0f00U     /* RAZ/WI with ARE */
#define GICD_CPENDSGIR      0x0f10U     /* .. 0x0f2f: RAZ/WI with ARE */
#define GICD_SPENDSGIR_END  0x0f30U
#define GICD_IROUTER        0x6000U
#define GICD_IROUTER_END    0x8000U

#define GICD_TYPER_IDBITS_SHIFT 19U     /* INTID bits - 1 */
#define GICD_TYPER_CPUS_SHIFT   5U
#define IROUTER_IRM         (1ULL << 31)
#define IROUTER_AFF_MASK    0xff00ffffffULL     /* Aff3 39:32, Aff2-0 23:0 */

static uint32_t typer(const struct domain *d)
{
    unsigned int lines = (d->arch->vgic.nr_spis + VGIC_NR_PRIVATE + 31U) / 32U;
    unsigned int cpus = MIN(d->max_vcpus, 8U);

    /* No LPIs, MBIS, ESPI, NMIs or Aff3; 10 INTID bits (0-1023). CPUNumber
     * means nothing with affinity routing but is filled in for tools. */
    return (lines - 1U) | ((cpus - 1U) << GICD_TYPER_CPUS_SHIFT) |
           (9U << GICD_TYPER_IDBITS_SHIFT);
}

static uint64_t irouter_value(const struct vgic_irq *irq)
{
    uint64_t r = irq->route;
    uint64_t v = (r & 0xffffffULL) | ((r >> 24) << 32);

    if ((irq->flags & VGIC_IRQ_IRM) != 0U) {
        v |= IROUTER_IRM;
    }
    return v;
}

/* The SPI whose IROUTER a->offset falls in, NULL when there is none
 * (INTIDs 0-31 and 1020-1023 are reserved there). */
static struct vgic_irq *irouter_irq(struct domain *d, const struct mmio_access *a,
                                    unsigned int *intid)
{
    *intid = (unsigned int)((a->offset - GICD_IROUTER) / 8U);
    if (*intid < VGIC_NR_PRIVATE) {
        return NULL;
    }
    return vgic_get_irq(d, NULL, *intid);
}

static int irouter_read(struct domain *d, const struct mmio_access *a, uint64_t *val)
{
    unsigned int intid;
    unsigned long flags = vgic_lock(d);
    const struct vgic_irq *irq = irouter_irq(d, a, &intid);
    uint64_t reg = (irq != NULL) ? irouter_value(irq) : 0U;

    vgic_unlock(d, flags);
    return vgic_reg64_read(a, GICD_IROUTER + ((paddr_t)intid * 8U), reg, val);
}

static int irouter_write(struct domain *d, const struct mmio_access *a, uint64_t val)
{
    struct vgic_kick k = { { 0 } };
    unsigned int intid;
    uint64_t reg;
    int rc;
    unsigned long flags = vgic_lock(d);
    struct vgic_irq *irq = irouter_irq(d, a, &intid);

    rc = vgic_reg64_write(a, GICD_IROUTER + ((paddr_t)intid * 8U),
                          (irq != NULL) ? irouter_value(irq) : 0U, val, &reg);
    if ((rc == 0) && (irq != NULL)) {
        bool irm = (reg & IROUTER_IRM) != 0U;

        reg &= IROUTER_AFF_MASK;
        irq->route = (uint32_t)((reg & 0xffffffULL) | ((reg >> 32) << 24));
        if (irm) {
            irq->flags |= VGIC_IRQ_IRM;
        } else {
            irq->flags &= (uint16_t)~VGIC_IRQ_IRM;
        }
        irq->target = vgic_route_to_vcpu(d, irq->route, irm);
        vgic_irq_changed(d, NULL, intid, irq, &k);
    }
    vgic_unlock(d, flags);
    vgic_kick_send(d, &k);
    return rc;
}

static int ctlr_write(struct domain *d, uint64_t val)
{
    struct vgic_kick k = { { 0 } };
    unsigned long flags = vgic_lock(d);

    d->arch->vgic.ctlr = (uint32_t)val & (VGICD_CTLR_ENABLE_G0 | VGICD_CTLR_ENABLE_G1);
    /* Enabling the distributor may release interrupts pending meanwhile. */
    vgic_collect_deliverable(d, &k);
    vgic_unlock(d, flags);
    vgic_kick_send(d, &k);
    return 0;
}

/* Offsets whose registers accept byte accesses: priorities, and the
 * (here RAZ/WI) target and SGI pending registers. */
static bool byte_ok(paddr_t off)
{
    return ((off >= 0x0400U) && (off < GICD_ITARGETSR_END)) ||
           ((off >= GICD_CPENDSGIR) && (off < GICD_SPENDSGIR_END));
}

/* Common checks: natural alignment, no halfwords, bytes only where the
 * spec allows them. */
static bool access_ok(const struct mmio_access *a)
{
    if ((a->size == 0U) || (a->size > 8U) || ((a->offset % a->size) != 0U) ||
        (a->offset >= VGIC_V3_DIST_SIZE)) {
        return false;
    }
    if (a->size == 2U) {
        return false;
    }
    return (a->size != 1U) || byte_ok(a->offset);
}

/* Plain 32-bit registers: word accesses only. */
static int word(const struct mmio_access *a, uint32_t value, uint64_t *val)
{
    if (a->size != 4U) {
        return -EINVAL;
    }
    *val = value;
    return 0;
}

static int dist_read(struct vcpu *v, const struct mmio_access *a, uint64_t *val, void *priv)
{
    struct domain *d = priv;
    paddr_t off = a->offset;
    enum vgic_reg reg;
    unsigned int intid;
    uint32_t id;

    (void)v;
    *val = 0U;
    if (!access_ok(a)) {
        return -EINVAL;
    }
    switch (off) {
    case GICD_CTLR:
        return word(a, d->arch->vgic.ctlr | VGICD_CTLR_ARE | VGICD_CTLR_DS, val);
    case GICD_TYPER:
        return word(a, typer(d), val);
    case GICD_IIDR:
        return word(a, VGIC_IIDR, val);
    case GICD_TYPER2:
        return word(a, 0U, val);
    default:
        break;
    }
    if (vgic_reg_decode(off, &reg, &intid)) {
        /* INTIDs below 32 have no state here (rd = NULL): RAZ. */
        return vgic_reg_read(d, NULL, reg, intid, a->size, val);
    }
    if ((off >= GICD_IROUTER) && (off < GICD_IROUTER_END)) {
        return irouter_read(d, a, val);
    }
    if (vgic_id_reg(off, &id)) {
        return word(a, id, val);
    }
    return 0;   /* reserved, ITARGETSR, SGIR, xPENDSGIR: RAZ */
}

static int dist_write(struct vcpu *v, const struct mmio_access *a, uint64_t val, void *priv)
{
    struct domain *d = priv;
    paddr_t off = a->offset;
    enum vgic_reg reg;
    unsigned int intid;

    (void)v;
    if (!access_ok(a)) {
        return -EINVAL;
    }
    switch (off) {
    case GICD_CTLR:
        return (a->size == 4U) ? ctlr_write(d, val) : -EINVAL;
    case GICD_TYPER:
    case GICD_IIDR:
    case GICD_TYPER2:
        return (a->size == 4U) ? 0 : -EINVAL;      /* read-only */
    default:
        break;
    }
    if (vgic_reg_decode(off, &reg, &intid)) {
        return vgic_reg_write(d, NULL, reg, intid, a->size, val);
    }
    if ((off >= GICD_IROUTER) && (off < GICD_IROUTER_END)) {
        return irouter_write(d, a, val);
    }
    return 0;   /* reserved, read-only ID registers, ITARGETSR, SGIR: WI */
}

const struct mmio_ops vgic_v3_dist_ops = {
    .read = dist_read,
    .write = dist_write,
};
