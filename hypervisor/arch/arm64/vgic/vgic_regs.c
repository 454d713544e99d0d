/* The interrupt registers the distributor (for SPIs) and each
 * redistributor's SGI frame (for SGIs and PPIs) lay out the same way at
 * 0x080-0xd7f: group, enable, pending, active (set and clear views), one
 * priority byte per INTID, two config bits per INTID, group modifier.
 * Also the ID registers both frames end with, and 64-bit registers seen
 * through 32-bit halves. */
#include <asm/vgic.h>
#include <proxenos/domain.h>
#include <proxenos/errno.h>
#include "vgic_internal.h"

struct reg_range {
    paddr_t start;
    paddr_t end;            /* exclusive */
    enum vgic_reg reg;
    unsigned int irqs_per_byte_shift;   /* INTIDs per byte: 8 -> 3, 1 -> 0, 4 -> 2 */
};

/* GICv3 spec (IHI 0069), distributor register map. */
static const struct reg_range ranges[] = {
    { 0x0080U, 0x0100U, VGIC_REG_IGROUPR, 3U },
    { 0x0100U, 0x0180U, VGIC_REG_ISENABLER, 3U },
    { 0x0180U, 0x0200U, VGIC_REG_ICENABLER, 3U },
    { 0x0200U, 0x0280U, VGIC_REG_ISPENDR, 3U },
    { 0x0280U, 0x0300U, VGIC_REG_ICPENDR, 3U },
    { 0x0300U, 0x0380U, VGIC_REG_ISACTIVER, 3U },
    { 0x0380U, 0x0400U, VGIC_REG_ICACTIVER, 3U },
    { 0x0400U, 0x0800U, VGIC_REG_IPRIORITYR, 0U },
    { 0x0c00U, 0x0d00U, VGIC_REG_ICFGR, 2U },
    { 0x0d00U, 0x0d80U, VGIC_REG_IGRPMODR, 3U },
};

bool vgic_reg_decode(paddr_t off, enum vgic_reg *reg, unsigned int *intid)
{
    for (unsigned int i = 0U; i < ARRAY_SIZE(ranges); i++) {
        if ((off >= ranges[i].start) && (off < ranges[i].end)) {
            *reg = ranges[i].reg;
            *intid = (unsigned int)(off - ranges[i].start) << ranges[i].irqs_per_byte_shift;
            return true;
        }
    }
    return false;
}

/* Priorities may be accessed by byte or word, everything else by word
 * (GICv3 spec, "GIC memory-mapped register access"). */
static bool size_ok(enum vgic_reg reg, unsigned int intid, unsigned int size)
{
    if (reg == VGIC_REG_IPRIORITYR) {
        return ((size == 1U) || (size == 4U)) && ((intid % size) == 0U);
    }
    return size == 4U;
}

/* How many INTIDs one word of reg covers, and bits per INTID. */
static unsigned int bits_per_irq(enum vgic_reg reg)
{
    if (reg == VGIC_REG_IPRIORITYR) {
        return 8U;
    }
    return (reg == VGIC_REG_ICFGR) ? 2U : 1U;
}

static uint32_t read_field(const struct vgic_irq *irq, enum vgic_reg reg)
{
    switch (reg) {
    case VGIC_REG_IGROUPR:
        return 1U;      /* RAO: everything is Group 1 */
    case VGIC_REG_ISENABLER:
    case VGIC_REG_ICENABLER:
        return ((irq->flags & VGIC_IRQ_ENABLED) != 0U) ? 1U : 0U;
    case VGIC_REG_ISPENDR:
    case VGIC_REG_ICPENDR:
        return vgic_irq_is_pending(irq) ? 1U : 0U;
    case VGIC_REG_ISACTIVER:
    case VGIC_REG_ICACTIVER:
        return ((irq->flags & VGIC_IRQ_ACTIVE) != 0U) ? 1U : 0U;
    case VGIC_REG_IPRIORITYR:
        return irq->priority;
    case VGIC_REG_ICFGR:
        return ((irq->flags & VGIC_IRQ_EDGE) != 0U) ? 2U : 0U;
    case VGIC_REG_IGRPMODR:
    default:
        return 0U;      /* RAZ/WI: one security state */
    }
}

static void write_field(struct vgic_irq *irq, unsigned int intid, enum vgic_reg reg,
                        uint32_t field)
{
    switch (reg) {
    case VGIC_REG_ISENABLER:
        if (field != 0U) {
            irq->flags |= VGIC_IRQ_ENABLED;
            if ((irq->flags & VGIC_IRQ_HW) != 0U) {
                vgic_hw_sync_enable(intid, irq);
            }
        }
        break;
    case VGIC_REG_ICENABLER:
        if (field != 0U) {
            irq->flags &= (uint16_t)~VGIC_IRQ_ENABLED;
            if ((irq->flags & VGIC_IRQ_HW) != 0U) {
                vgic_hw_sync_enable(intid, irq);
            }
        }
        break;
    case VGIC_REG_ISPENDR:
        if (field != 0U) {
            irq->flags |= VGIC_IRQ_LATCH;
            if ((irq->flags & VGIC_IRQ_IN_LR) != 0U) {
                irq->flags |= VGIC_IRQ_REPEND;
            }
        }
        break;
    case VGIC_REG_ICPENDR:
        /* A level line that is still high keeps it pending. */
        if (field != 0U) {
            irq->flags &= (uint16_t)~(VGIC_IRQ_LATCH | VGIC_IRQ_REPEND);
        }
        break;
    case VGIC_REG_ISACTIVER:
        if (field != 0U) {
            irq->flags |= VGIC_IRQ_ACTIVE;
            if ((intid >= VGIC_NR_PRIVATE) && (irq->target != VGIC_NO_VCPU)) {
                irq->owner = irq->target;
            }
        }
        break;
    case VGIC_REG_ICACTIVER:
        if (field != 0U) {
            irq->flags &= (uint16_t)~VGIC_IRQ_ACTIVE;
            if ((irq->flags & VGIC_IRQ_HW) != 0U) {
                vgic_hw_deactivated(intid, irq);
            }
        }
        break;
    case VGIC_REG_IPRIORITYR:
        irq->priority = (uint8_t)(field & VGIC_PRIO_MASK);
        break;
    case VGIC_REG_ICFGR:
        /* SGIs are always edge-triggered (ICFGR0 is read-only); a routed
         * physical line keeps the trigger its device has (vgic_hw.c). */
        if ((intid >= VGIC_NR_SGIS) && ((irq->flags & VGIC_IRQ_HW) == 0U)) {
            if ((field & 2U) != 0U) {
                irq->flags |= VGIC_IRQ_EDGE;
            } else {
                irq->flags &= (uint16_t)~VGIC_IRQ_EDGE;
            }
        }
        break;
    case VGIC_REG_IGROUPR:
    case VGIC_REG_IGRPMODR:
    default:
        break;          /* RAO/WI and RAZ/WI */
    }
}

int vgic_reg_read(struct domain *d, struct vcpu *rd, enum vgic_reg reg, unsigned int intid,
                  unsigned int size, uint64_t *val)
{
    unsigned int bits = bits_per_irq(reg);
    unsigned int n = (size * 8U) / bits;
    uint64_t out = 0U;
    unsigned long flags;

    if (!size_ok(reg, intid, size)) {
        return -EINVAL;
    }
    flags = vgic_lock(d);
    for (unsigned int i = 0U; i < n; i++) {
        const struct vgic_irq *irq = vgic_get_irq(d, rd, intid + i);

        /* INTIDs that do not exist read as zero. */
        if (irq != NULL) {
            out |= (uint64_t)read_field(irq, reg) << (i * bits);
        }
    }
    vgic_unlock(d, flags);
    *val = out;
    return 0;
}

int vgic_reg_write(struct domain *d, struct vcpu *rd, enum vgic_reg reg, unsigned int intid,
                   unsigned int size, uint64_t val)
{
    struct vgic_kick k = { { 0 } };
    unsigned int bits = bits_per_irq(reg);
    unsigned int n = (size * 8U) / bits;
    uint32_t mask = (bits == 8U) ? 0xffU : ((1U << bits) - 1U);
    unsigned long flags;

    if (!size_ok(reg, intid, size)) {
        return -EINVAL;
    }
    flags = vgic_lock(d);
    for (unsigned int i = 0U; i < n; i++) {
        struct vgic_irq *irq = vgic_get_irq(d, rd, intid + i);

        /* Writes to INTIDs that do not exist are ignored. */
        if (irq != NULL) {
            write_field(irq, intid + i, reg, (uint32_t)(val >> (i * bits)) & mask);
            vgic_irq_changed(d, rd, intid + i, irq, &k);
        }
    }
    vgic_unlock(d, flags);
    vgic_kick_send(d, &k);
    return 0;
}

bool vgic_id_reg(paddr_t off, uint32_t *val)
{
    /* PIDR4-7, PIDR0-3, CIDR0-3; only ArchRev (PIDR2[7:4] = 3, GICv3) and
     * the component ID preamble carry meaning. */
    static const uint32_t id[12] = {
        0x00U, 0x00U, 0x00U, 0x00U,     /* 0xffd0 PIDR4 .. 0xffdc PIDR7 */
        0x00U, 0x00U, 0x30U, 0x00U,     /* 0xffe0 PIDR0 .. 0xffec PIDR3 */
        0x0dU, 0xf0U, 0x05U, 0xb1U,     /* 0xfff0 CIDR0 .. 0xfffc CIDR3 */
    };

    if ((off < 0xffd0U) || (off > 0xfffcU) || ((off % 4U) != 0U)) {
        return false;
    }
    *val = id[vgic_nospec((unsigned int)(off - 0xffd0U) / 4U, 12U)];
    return true;
}

int vgic_reg64_read(const struct mmio_access *a, paddr_t reg_off, uint64_t reg, uint64_t *val)
{
    if ((a->size == 8U) && (a->offset == reg_off)) {
        *val = reg;
    } else if ((a->size == 4U) && (a->offset == reg_off)) {
        *val = reg & 0xffffffffULL;
    } else if ((a->size == 4U) && (a->offset == (reg_off + 4U))) {
        *val = reg >> 32;
    } else {
        return -EINVAL;
    }
    return 0;
}

int vgic_reg64_write(const struct mmio_access *a, paddr_t reg_off, uint64_t old, uint64_t val,
                     uint64_t *out)
{
    if ((a->size == 8U) && (a->offset == reg_off)) {
        *out = val;
    } else if ((a->size == 4U) && (a->offset == reg_off)) {
        *out = (old & 0xffffffff00000000ULL) | (val & 0xffffffffULL);
    } else if ((a->size == 4U) && (a->offset == (reg_off + 4U))) {
        *out = (old & 0xffffffffULL) | ((val & 0xffffffffULL) << 32);
    } else {
        return -EINVAL;
    }
    return 0;
}
