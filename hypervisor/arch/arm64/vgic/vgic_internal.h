/* What the files of the virtual GICv3 share and nobody else needs: the
 * interrupt state bits, the list-register encoding, the hardware backend
 * (vgic_lr.c; tests bring a fake) and the register helpers GICD and the
 * GICR SGI frame have in common. */
#ifndef VGIC_INTERNAL_H
#define VGIC_INTERNAL_H

#include <asm/mmio.h>
#include <asm/vgic.h>
#include <proxenos/domain.h>
#include <proxenos/types.h>

/* ---- struct vgic_irq.flags -------------------------------------------- */
#define VGIC_IRQ_ENABLED    (1U << 0)   /* IS/ICENABLER */
#define VGIC_IRQ_LATCH      (1U << 1)   /* pending latch: an edge, ISPENDR */
#define VGIC_IRQ_LINE       (1U << 2)   /* input line high (level) */
#define VGIC_IRQ_ACTIVE     (1U << 3)
#define VGIC_IRQ_EDGE       (1U << 4)   /* ICFGR: edge-triggered */
#define VGIC_IRQ_IN_LR      (1U << 5)   /* in the owner's list registers */
/* Latched again after flush put it in an LR: survives the guest's
 * acknowledge of the earlier edge (see vgic_flush.c). */
#define VGIC_IRQ_REPEND     (1U << 6)
#define VGIC_IRQ_IRM        (1U << 7)   /* SPI: IROUTER.IRM (1 of N) */
/* Its device signals edges whatever ICFGR says (vgic_pulse_irq). */
#define VGIC_IRQ_PULSED     (1U << 8)
/* SPI: a physical line of the same INTID is routed here (vgic_hw.c). */
#define VGIC_IRQ_HW         (1U << 9)

#define VGIC_NO_VCPU        0xffU       /* struct vgic_irq.target: none */

/* GICD_CTLR with one security state (DS = 1): the bits that are stored. */
#define VGICD_CTLR_ENABLE_G0    (1U << 0)
#define VGICD_CTLR_ENABLE_G1    (1U << 1)
#define VGICD_CTLR_ARE          (1U << 4)   /* RAO/WI */
#define VGICD_CTLR_DS           (1U << 6)   /* RAO/WI */

/* Priority bits kept: the virtual CPU interface implements at least five
 * (ICH_VTR_EL2.PRIbits >= 4), so the guest never sees more precision than
 * the hardware compares. */
#define VGIC_PRIO_MASK      0xf8U

/* GICD_IIDR and GICR_IIDR: no JEP106 implementer claimed, product 'P'. */
#define VGIC_IIDR           0x50000000U

/* ---- ICH_LR<n>_EL2 (GICv3 architecture spec, ICH_LR<n>_EL2) ---------- */
#define ICH_LR_VINTID_MASK  0xffffffffULL
#define ICH_LR_EOI          (1ULL << 41)    /* HW = 0: maintenance on EOI */
#define ICH_LR_PRIO_SHIFT   48U
#define ICH_LR_GROUP1       (1ULL << 60)
#define ICH_LR_HW           (1ULL << 61)
#define ICH_LR_STATE_SHIFT  62U
#define VGIC_LR_ST_PENDING  1U              /* ICH_LR.State bit 0 */
#define VGIC_LR_ST_ACTIVE   2U              /* ICH_LR.State bit 1 */

/* ICH_HCR_EL2 */
#define ICH_HCR_EN          (1ULL << 0)
#define ICH_HCR_UIE         (1ULL << 1)     /* underflow: <= 1 valid LR */
#define ICH_HCR_LRENPIE     (1ULL << 2)
#define ICH_HCR_NPIE        (1ULL << 3)

/* Latched per assertion and never re-presented by a level: configured
 * edge-triggered, or pulsed by its device. */
static inline bool vgic_irq_edge(const struct vgic_irq *irq)
{
    return (irq->flags & (VGIC_IRQ_EDGE | VGIC_IRQ_PULSED)) != 0U;
}

static inline uint64_t vgic_lr_make(unsigned int intid, uint8_t prio, unsigned int state,
                                    bool eoi_maint)
{
    uint64_t lr = (uint64_t)intid & ICH_LR_VINTID_MASK;

    lr |= (uint64_t)prio << ICH_LR_PRIO_SHIFT;
    lr |= ICH_LR_GROUP1;
    lr |= (uint64_t)(state & 3U) << ICH_LR_STATE_SHIFT;
    if (eoi_maint) {
        lr |= ICH_LR_EOI;
    }
    return lr;
}

static inline unsigned int vgic_lr_state(uint64_t lr)
{
    return (unsigned int)(lr >> ICH_LR_STATE_SHIFT) & 3U;
}

/* ---- Hardware backend: vgic_lr.c (tests: a fake) ------------------------
 * All run on the calling physical CPU with interrupts masked. */

/* List registers usable on this CPU (1 .. VGIC_MAX_LRS). */
unsigned int vgic_lr_count(void);
uint64_t vgic_lr_read(unsigned int n);
void vgic_lr_write(unsigned int n, uint64_t lr);
void vgic_lr_write_hcr(uint64_t hcr);
/* Save VMCR and the active-priority registers into c, then turn the
 * virtual CPU interface off (ICH_HCR_EL2 = 0). */
void vgic_lr_save_ctx(struct vgic_hw_ctx *c);
/* Load VMCR, the active priorities and ICH_HCR_EL2 from c. */
void vgic_lr_restore_ctx(const struct vgic_hw_ctx *c);

/* ---- Index masking -------------------------------------------------------
 * idx when idx < size, else 0, without a branch the CPU could mispredict
 * into an out-of-bounds access (both are far below 2^63, so idx - size is
 * negative exactly when idx < size, so its top bit is set then; 0 minus
 * that bit is all ones). Callers have already checked idx < size. */
static inline unsigned int vgic_nospec(unsigned int idx, unsigned int size)
{
    uint64_t mask = 0U - (((uint64_t)idx - (uint64_t)size) >> 63);

    return (unsigned int)((uint64_t)idx & mask);
}

/* ---- Core (vgic.c) ----------------------------------------------------- */

/* vCPUs to kick once the lock is dropped. */
struct vgic_kick {
    uint64_t mask[(MAX_VCPUS_PER_DOMAIN + 63U) / 64U];
};

unsigned long vgic_lock(struct domain *d);
void vgic_unlock(struct domain *d, unsigned long flags);
/* Kick every vCPU of d in k (lock not held). */
void vgic_kick_send(struct domain *d, const struct vgic_kick *k);
void vgic_kick_add(struct vgic_kick *k, unsigned int vcpu_id);

/* The state of intid: a private one of rd (rd may be NULL: then private
 * INTIDs have none), or an SPI of d. NULL when out of range. Lock held. */
struct vgic_irq *vgic_get_irq(struct domain *d, struct vcpu *rd, unsigned int intid);
/* The vCPU of d with index id, NULL if none. */
struct vcpu *vgic_vcpu(const struct domain *d, unsigned int id);

bool vgic_irq_is_pending(const struct vgic_irq *irq);
/* Enabled, pending, not active and its group enabled in GICD_CTLR. */
bool vgic_irq_is_deliverable(const struct vgic_dist *dist, const struct vgic_irq *irq);
/* After a change to intid's state: keep the "busy" bitmaps right and, if
 * it can now be delivered, remember its vCPU in k. Lock held. */
void vgic_irq_changed(struct domain *d, struct vcpu *rd, unsigned int intid,
                      struct vgic_irq *irq, struct vgic_kick *k);
/* The vCPU index an IROUTER value sends an SPI to, VGIC_NO_VCPU if none. */
uint8_t vgic_route_to_vcpu(const struct domain *d, uint32_t route, bool irm);
/* Every vCPU of d that has a deliverable interrupt, into k. Lock held. */
void vgic_collect_deliverable(struct domain *d, struct vgic_kick *k);

/* ---- Registers GICD and the GICR SGI frame share (vgic_regs.c) --------- */

enum vgic_reg {
    VGIC_REG_IGROUPR,
    VGIC_REG_ISENABLER,
    VGIC_REG_ICENABLER,
    VGIC_REG_ISPENDR,
    VGIC_REG_ICPENDR,
    VGIC_REG_ISACTIVER,
    VGIC_REG_ICACTIVER,
    VGIC_REG_IPRIORITYR,
    VGIC_REG_ICFGR,
    VGIC_REG_IGRPMODR,
};

/* Offsets 0x080-0xd7f of GICD and of the SGI frame: which register and
 * the first INTID the access covers. False outside those registers. */
bool vgic_reg_decode(paddr_t off, enum vgic_reg *reg, unsigned int *intid);
/* Access one of them; rd names the vCPU whose private interrupts INTIDs
 * below 32 are (NULL: none, they read as zero). Checks the access size:
 * bytes for IPRIORITYR, words for all; -EINVAL otherwise. */
int vgic_reg_read(struct domain *d, struct vcpu *rd, enum vgic_reg reg, unsigned int intid,
                  unsigned int size, uint64_t *val);
int vgic_reg_write(struct domain *d, struct vcpu *rd, enum vgic_reg reg, unsigned int intid,
                   unsigned int size, uint64_t val);
/* The CoreSight-style ID registers at 0xffd0-0xfffc of GICD and GICR
 * (PIDR2.ArchRev = 3). False outside them. */
bool vgic_id_reg(paddr_t off, uint32_t *val);
/* The value of a 64-bit register seen through an access of a->size bytes
 * at a->offset, whose register starts at reg_off (32-bit halves allowed).
 * -EINVAL for other sizes or misalignment. */
int vgic_reg64_read(const struct mmio_access *a, paddr_t reg_off, uint64_t reg, uint64_t *val);
/* The 64-bit register after a write of a->size bytes into old. */
int vgic_reg64_write(const struct mmio_access *a, paddr_t reg_off, uint64_t old, uint64_t val,
                     uint64_t *out);

/* ---- Routed physical lines (vgic_hw.c) -------------------------------
 * Both with the lock held; nothing for an interrupt without VGIC_IRQ_HW. */
/* Enable the physical line when the guest has the interrupt enabled and
 * no level assertion waits for the guest's deactivation; mask it else. */
void vgic_hw_sync_enable(unsigned int intid, const struct vgic_irq *irq);
/* The guest deactivated it: a level line goes low and is unmasked. */
void vgic_hw_deactivated(unsigned int intid, struct vgic_irq *irq);

/* ---- MMIO device models ------------------------------------------------ */
extern const struct mmio_ops vgic_v3_dist_ops;     /* priv: struct domain * */
extern const struct mmio_ops vgic_v3_rdist_ops;    /* priv: struct domain * */

/* ---- List registers (vgic_flush.c) ----------------------------------- */
/* vgic_sync_lrs without kicking (for vgic_save_state). */
void vgic_sync_lrs_nokick(struct vcpu *v);

#endif
