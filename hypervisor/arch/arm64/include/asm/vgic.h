/* Virtual GICv3: what a guest sees as its interrupt controller.
 *
 * The guest gets a GICv3 distributor (GICD) and one redistributor (GICR:
 * RD frame + SGI frame, 128 KiB) per vCPU, emulated in software through
 * stage-2 data aborts, and the GICv3 virtual CPU interface (ICV_* system
 * registers) in hardware, fed through the list registers (ICH_LR<n>_EL2).
 * No LPIs, no ITS, a single security state (GICD_CTLR.DS = 1), every
 * interrupt Group 1.
 *
 * Interrupt numbers (INTIDs): SGIs 0-15 and PPIs 16-31 are per vCPU; SPIs
 * 32 .. 32 + nr_spis - 1 belong to the domain and are routed to one vCPU
 * by GICD_IROUTER<n>.
 *
 * Who calls what (the lead's side):
 *   domain creation   vgic_domain_init() (or _at() for dom0's host layout),
 *                     then vgic_vcpu_init() for each vCPU
 *   domain teardown   vgic_domain_destroy()
 *   per physical CPU  vgic_hw_cpu_init(), after gic_cpu_init()
 *   guest exit        vgic_sync_lrs(v) first thing, interrupts masked
 *   guest entry       vgic_flush_lrs(v) last thing before eret, masked
 *   context switch    vgic_save_state(prev) / vgic_restore_state(next)
 *   trap: MSR ICC_SGI1R_EL1   vgic_emulate_sgi1r(v, value)
 *   WFI / block       vgic_vcpu_pending_irq(v) says whether to wake
 *   devices (timer, vpl011, event channels)   vgic_inject_irq()
 *
 * Locking: one spinlock per domain (struct vgic_dist.lock, taken with
 * interrupts masked) guards every interrupt of the domain, private ones
 * included. It is a leaf lock: nothing else is taken under it, and
 * vcpu_kick() is called only after it is released. Only injection, SGI
 * emulation, the MMIO handlers and vgic_sync_lrs() kick; flush, save,
 * restore and vgic_vcpu_pending_irq() never do, so the scheduler may call
 * them with its own locks held.
 */
#ifndef ASM_VGIC_H
#define ASM_VGIC_H

#include <proxenos/types.h>
#include <proxenos/spinlock.h>

struct domain;
struct vcpu;

/* Guest physical layout (Xen 4.17 arch-arm.h, GUEST_GICV3_*). */
#define VGIC_V3_DIST_BASE       0x03001000ULL
#define VGIC_V3_DIST_SIZE       0x00010000ULL       /* 64 KiB */
#define VGIC_V3_RDIST_BASE      0x03020000ULL
#define VGIC_V3_RDIST_STRIDE    0x00020000ULL       /* RD + SGI frames */
#define VGIC_V3_RDIST_MAX_SIZE  0x01000000ULL       /* 128 vCPUs */

#define VGIC_NR_SGIS            16U
#define VGIC_NR_PRIVATE         32U                 /* SGIs + PPIs */
/* INTIDs 1020-1023 are special, so at most 988 SPIs (32 .. 1019). */
#define VGIC_MAX_SPIS           988U
#define VGIC_MAX_LRS            16U                 /* ICH_LR0..15_EL2 */
#define VGIC_MAINT_PPI          25U                 /* maintenance interrupt */

/* One interrupt as the guest has configured it. Private to the files of
 * arch/arm64/vgic/; here only so that the per-vCPU array can be embedded. */
struct vgic_irq {
    uint16_t flags;         /* VGIC_IRQ_* in vgic/vgic_internal.h */
    uint8_t priority;       /* GICD/GICR_IPRIORITYR byte */
    uint8_t target;         /* SPI: vCPU chosen by IROUTER (0xff: none) */
    uint8_t owner;          /* SPI: vCPU whose list registers hold it, or
                               where it is active; private: the vCPU itself */
    uint32_t route;         /* SPI: IROUTER Aff3.Aff2.Aff1.Aff0 packed */
};

/* The guest's virtual CPU interface state switched with the vCPU. */
struct vgic_hw_ctx {
    uint64_t vmcr;          /* ICH_VMCR_EL2: PMR, BPRs, group enables */
    uint64_t hcr;           /* ICH_HCR_EL2 as last programmed by flush */
    uint32_t ap0r[4];       /* ICH_AP0R<n>_EL2: active priorities */
    uint32_t ap1r[4];       /* ICH_AP1R<n>_EL2 */
};

/* Per-domain part (struct arch_domain.vgic). */
struct vgic_dist {
    spinlock_t lock;
    bool ready;             /* vgic_domain_init succeeded */
    uint32_t ctlr;          /* GICD_CTLR EnableGrp0/EnableGrp1 bits */
    unsigned int nr_spis;   /* multiple of 32, or VGIC_MAX_SPIS */
    struct vgic_irq *spis;  /* nr_spis entries (xzalloc) */
    uint64_t *spi_busy;     /* bit per SPI that may be pending or active */
    uint32_t spi_busy_words; /* bit w: spi_busy[w] may be non-zero */
    paddr_t dist_base;
    paddr_t rdist_base;
};

/* Per-vCPU part (struct arch_vcpu.vgic). */
struct vgic_cpu {
    struct vgic_irq priv[VGIC_NR_PRIVATE];
    uint32_t priv_busy;     /* bit per private IRQ that may be pending/active */
    uint32_t waker;         /* GICR_WAKER.ProcessorSleep */
    unsigned int nr_lrs_used;           /* LRs 0..n-1 hold what flush put */
    uint16_t lr_intid[VGIC_MAX_LRS];    /* INTID flush put in LR n */
    uint8_t lr_state[VGIC_MAX_LRS];     /* state bits (VGIC_LR_ST_*) written */
    bool ctx_saved;                     /* hw holds nothing of this vCPU */
    struct vgic_hw_ctx ctx;
};

/* ---- Domain and vCPU life cycle ------------------------------------- */

/* Set up d's distributor with nr_spis SPIs (rounded up to a multiple of
 * 32, at most VGIC_MAX_SPIS) and register the GICD at VGIC_V3_DIST_BASE
 * and one redistributor region of d->max_vcpus * 128 KiB at
 * VGIC_V3_RDIST_BASE. d->max_vcpus must be set (1..128).
 * Returns 0, -EINVAL (bad counts), -ENOMEM, or domain_register_mmio()'s
 * error. */
int vgic_domain_init(struct domain *d, unsigned int nr_spis);
/* The same at other guest-physical addresses (dom0 sees the host's). */
int vgic_domain_init_at(struct domain *d, unsigned int nr_spis,
                        paddr_t dist_base, paddr_t rdist_base);
/* Free what vgic_domain_init allocated (the MMIO table dies with d). */
void vgic_domain_destroy(struct domain *d);
/* Reset v's SGIs/PPIs and redistributor; redistributor index = vcpu_id.
 * Call after vgic_domain_init. Returns 0 or -EINVAL. */
int vgic_vcpu_init(struct vcpu *v);

/* Size of d's redistributor region (for the guest device tree). */
paddr_t vgic_rdist_size(const struct domain *d);
/* The number of SPIs d's GICD_TYPER describes. */
unsigned int vgic_nr_spis(const struct domain *d);

/* ---- Injection ---------------------------------------------------- */

/* Drive interrupt virq of d. v is the target for SGIs/PPIs (virq < 32)
 * and must belong to d; it is ignored for SPIs, which go where the
 * guest's IROUTER sends them (a 1-of-N route goes to vCPU 0).
 *
 * level is the state of the interrupt line:
 *  - edge-triggered (as configured in GICD/GICR_ICFGR): level = true is an
 *    edge and latches the pending state; level = false does nothing;
 *  - level-sensitive: the interrupt is pending while the line is high.
 *    The caller must lower it (level = false) when the source deasserts,
 *    at the latest before the next vgic_flush_lrs() of the target (e.g.
 *    the timer code resamples CNTV_CTL on every exit). A level interrupt
 *    the guest deactivates while the line is still high is pending again.
 * The target is kicked (vcpu_kick) when the interrupt becomes deliverable.
 * Returns 0, or -EINVAL for a virq outside d's range or a missing v. */
int vgic_inject_irq(struct domain *d, struct vcpu *v, unsigned int virq, bool level);
/* One event of a device that signals edges whatever the guest wrote to
 * ICFGR (Xen's event-channel upcall, as Xen 4.17 delivers it): latched,
 * and when it comes while the last one is active, presented as active and
 * pending, so the guest takes it after its EOI with no exit and the list
 * register asks for no maintenance interrupt. The interrupt keeps this
 * behaviour from its first pulse on (until vgic_vcpu_init for a private
 * one). Returns 0 or -EINVAL as vgic_inject_irq. */
int vgic_pulse_irq(struct domain *d, struct vcpu *v, unsigned int virq);

/* True when v has an interrupt that is enabled, pending and not active
 * (and the distributor is enabled): a reason to wake it from WFI. */
bool vgic_vcpu_pending_irq(const struct vcpu *v);

/* ---- List registers (interrupts masked, on v's physical CPU) --------- */

/* Just before entering the guest: load v's active interrupts, then its
 * highest-priority pending ones, into the list registers, and ask for an
 * underflow maintenance interrupt when more are pending than fit. */
void vgic_flush_lrs(struct vcpu *v);
/* Right after the guest exits: read the list registers back (what the
 * guest acknowledged or deactivated), fold that into the interrupts'
 * state and empty them. Idempotent. */
void vgic_sync_lrs(struct vcpu *v);
/* Whether v's list registers are empty and vgic_flush_lrs(v) would leave
 * them so: no interrupt of v's may be pending or active, the underflow
 * request is off. The fast exit (trap_fast.c) returns to the guest
 * without sync or flush only when this holds before and after. */
bool vgic_lrs_settled(const struct vcpu *v);
/* Context switch of the virtual CPU interface: VMCR, active priorities.
 * save syncs the LRs if the caller has not, and disables the virtual CPU
 * interface (ICH_HCR_EL2 = 0) so no maintenance interrupt fires for a
 * vCPU that is not running. */
void vgic_save_state(struct vcpu *v);
void vgic_restore_state(struct vcpu *v);

/* ---- Physical SPIs routed to the guest (vgic_hw.c) -------------------- */

/* Make SPI intid of d the image of the physical line intid, edge- or
 * level-triggered as the host configured it (the guest's ICFGR writes are
 * then ignored for it). -EINVAL: no such SPI; -EEXIST: routed already. */
int vgic_hw_route(struct domain *d, unsigned int intid, bool edge);
/* Undo vgic_hw_route (the line is the caller's to disable first). */
void vgic_hw_unroute(struct domain *d, unsigned int intid);
/* The first routed INTID of d at or above from, 0 if none. */
unsigned int vgic_hw_next(struct domain *d, unsigned int from);
/* The physical line fired (its handler, before its EOI): edge latches,
 * level goes high and is masked until the guest deactivates it. */
int vgic_hw_fire(struct domain *d, unsigned int intid);

/* Trapped MSR ICC_SGI1R_EL1 by v (HCR_EL2.IMO set): send the SGI to the
 * vCPUs of v's domain the value names. Unknown targets are ignored, as on
 * hardware. Returns 0. */
int vgic_emulate_sgi1r(struct vcpu *v, uint64_t value);

/* Per physical CPU, after the host GIC: read ICH_VTR_EL2, reset the
 * virtual CPU interface and take the maintenance interrupt (PPI 25). */
void vgic_hw_cpu_init(void);

/* ---- Debug ('q' key) -------------------------------------------------- */

struct vgic_vcpu_stats {
    unsigned int pending;   /* enabled or not */
    unsigned int active;
    unsigned int in_lrs;    /* held by list registers right now */
};

void vgic_vcpu_stats(const struct vcpu *v, struct vgic_vcpu_stats *st);
/* One line per vCPU: counts and the first pending/active INTIDs. */
void vgic_dump_vcpu(const struct vcpu *v);

#endif
