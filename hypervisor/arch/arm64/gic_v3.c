/* GICv3 host driver: the distributor, one redistributor per CPU and the
 * system-register CPU interface. The hypervisor's own interrupts are
 * Group 1 with one priority; SGI 0 is the IPI that makes a CPU look at
 * its softirqs. */
#include <asm/arm64.h>
#include <asm/sysregs.h>
#include <proxenos/arch/irq.h>
#include <proxenos/arch/mm.h>
#include <proxenos/errno.h>
#include <proxenos/printk.h>
#include <proxenos/smp.h>
#include <proxenos/spinlock.h>

#define GICD_CTLR       0x0000U
#define GICD_TYPER      0x0004U
#define GICD_IGROUPR    0x0080U
#define GICD_ISENABLER  0x0100U
#define GICD_ICENABLER  0x0180U
#define GICD_ICPENDR    0x0280U
#define GICD_ICACTIVER  0x0380U
#define GICD_IPRIORITYR 0x0400U
#define GICD_ICFGR      0x0c00U
#define GICD_IGRPMODR   0x0d00U
#define GICD_IROUTER    0x6000U
#define GICD_CTLR_RWP   (1U << 31)
#define GICD_CTLR_ARE   (1U << 4)
#define GICD_CTLR_GRP1  (1U << 1)

#define GICR_TYPER      0x0008U
#define GICR_WAKER      0x0014U
#define GICR_SGI_BASE   0x10000U
#define GICR_TYPER_LAST (1U << 4)
#define GICR_TYPER_VLPIS (1U << 1)
#define GICR_WAKER_SLEEP (1U << 1)
#define GICR_WAKER_ASLEEP (1U << 2)

#define ICC_SRE_SRE     (1U << 0)
#define ICC_SRE_ENABLE  (1U << 3)

#define IRQ_PRIORITY    0xa0U
#define PMR_ALLOW_ALL   0xf0U
#define SGI_IPI         0U
#define NR_INTIDS       1020U
#define SPURIOUS_FIRST  1020U

struct irq_action {
    irq_handler_t fn;
    void *data;
};

static uintptr_t dist;
static paddr_t redist_pa;
static uint64_t redist_len;
static uintptr_t redist_va;
static unsigned int nr_lines;
static uintptr_t cpu_rdist[NR_CPUS];
static uint64_t cpu_mpidr[NR_CPUS];
static struct irq_action actions[NR_INTIDS];
static spinlock_t gic_lock = SPINLOCK_INIT;

static inline uint32_t rd32(uintptr_t a) { return *(volatile const uint32_t *)a; }
static inline void wr32(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint64_t rd64(uintptr_t a) { return *(volatile const uint64_t *)a; }
static inline void wr64(uintptr_t a, uint64_t v) { *(volatile uint64_t *)a = v; }

static void dist_wait_rwp(void)
{
    while ((rd32(dist + GICD_CTLR) & GICD_CTLR_RWP) != 0U) {
        arch_cpu_relax();
    }
}

static uint64_t mpidr_to_affinity(uint64_t mpidr)
{
    /* GICD_IROUTER has MPIDR's affinity layout, minus the MT/U/RES1 bits. */
    return mpidr & 0xff00ffffffULL;
}

/* GICR_TYPER[63:32] packs Aff3.Aff2.Aff1.Aff0 into one word. */
static uint32_t mpidr_to_typer_affinity(uint64_t mpidr)
{
    return (uint32_t)(((mpidr >> 8) & 0xff000000ULL) | (mpidr & 0xffffffULL));
}

unsigned int gic_nr_lines(void)
{
    return nr_lines;
}

void gic_set_cpu_mpidr(unsigned int cpu, uint64_t mpidr)
{
    cpu_mpidr[cpu] = mpidr;
}

int gic_init(paddr_t dist_pa, uint64_t dist_size, paddr_t rd_pa, uint64_t rd_size)
{
    uint64_t boot_route = mpidr_to_affinity(READ_SYSREG(mpidr_el1));

    dist = (uintptr_t)arch_ioremap(dist_pa, (size_t)dist_size);
    redist_pa = rd_pa;
    redist_len = rd_size;
    redist_va = (uintptr_t)arch_ioremap(rd_pa, (size_t)rd_size);
    if ((dist == 0U) || (redist_va == 0U)) {
        return -ENOMEM;
    }
    nr_lines = MIN(32U * ((rd32(dist + GICD_TYPER) & 0x1fU) + 1U), NR_INTIDS);

    wr32(dist + GICD_CTLR, 0U);
    dist_wait_rwp();
    for (unsigned int i = 32U; i < nr_lines; i += 32U) {
        wr32(dist + GICD_IGROUPR + (i / 8U), 0xffffffffU);
        wr32(dist + GICD_IGRPMODR + (i / 8U), 0U);
        wr32(dist + GICD_ICENABLER + (i / 8U), 0xffffffffU);
        wr32(dist + GICD_ICPENDR + (i / 8U), 0xffffffffU);
        wr32(dist + GICD_ICACTIVER + (i / 8U), 0xffffffffU);
    }
    for (unsigned int i = 32U; i < nr_lines; i += 4U) {
        wr32(dist + GICD_IPRIORITYR + i, IRQ_PRIORITY * 0x01010101U);
    }
    for (unsigned int i = 32U; i < nr_lines; i += 16U) {
        wr32(dist + GICD_ICFGR + (i / 4U), 0U);   /* level-sensitive */
    }
    for (unsigned int i = 32U; i < nr_lines; i++) {
        wr64(dist + GICD_IROUTER + (8U * i), boot_route);
    }
    wr32(dist + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
    dist_wait_rwp();
    pr_info("GICv3: distributor at 0x%llx, %u interrupt lines, redistributors at 0x%llx\n",
            (unsigned long long)dist_pa, nr_lines, (unsigned long long)rd_pa);
    return 0;
}

/* Redistributor frames are 128 KiB (256 KiB with virtual LPIs); the one
 * whose affinity matches ours is ours. */
static uintptr_t find_redistributor(uint64_t mpidr)
{
    uint32_t want = mpidr_to_typer_affinity(mpidr);
    uintptr_t p = redist_va;

    while ((p + 0x20000U) <= (redist_va + redist_len)) {
        uint64_t typer = rd64(p + GICR_TYPER);

        if ((uint32_t)(typer >> 32) == want) {
            return p;
        }
        if ((typer & GICR_TYPER_LAST) != 0U) {
            break;
        }
        p += ((typer & GICR_TYPER_VLPIS) != 0U) ? 0x40000U : 0x20000U;
    }
    return 0U;
}

int gic_cpu_init(void)
{
    unsigned int cpu = arch_cpu_id();
    uint64_t mpidr = READ_SYSREG(mpidr_el1);
    uintptr_t rd = find_redistributor(mpidr);
    uintptr_t sgi;

    if (rd == 0U) {
        pr_err("GICv3: no redistributor for CPU %u (MPIDR 0x%llx)\n", cpu,
               (unsigned long long)mpidr);
        return -ENODEV;
    }
    cpu_rdist[cpu] = rd;
    cpu_mpidr[cpu] = mpidr;
    wr32(rd + GICR_WAKER, rd32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
    while ((rd32(rd + GICR_WAKER) & GICR_WAKER_ASLEEP) != 0U) {
        arch_cpu_relax();
    }
    sgi = rd + GICR_SGI_BASE;
    wr32(sgi + GICD_IGROUPR, 0xffffffffU);
    wr32(sgi + GICD_IGRPMODR, 0U);
    wr32(sgi + GICD_ICENABLER, 0xffffffffU);
    wr32(sgi + GICD_ICPENDR, 0xffffffffU);
    wr32(sgi + GICD_ICACTIVER, 0xffffffffU);
    for (unsigned int i = 0U; i < 32U; i += 4U) {
        wr32(sgi + GICD_IPRIORITYR + i, IRQ_PRIORITY * 0x01010101U);
    }
    wr32(sgi + GICD_ICFGR + 4U, 0U);  /* PPIs level-sensitive */
    wr32(sgi + GICD_ISENABLER, 1U << SGI_IPI);

    WRITE_SYSREG(ICC_SRE_EL2, READ_SYSREG(ICC_SRE_EL2) | ICC_SRE_SRE | ICC_SRE_ENABLE);
    isb();
    WRITE_SYSREG(ICC_PMR_EL1, PMR_ALLOW_ALL);
    WRITE_SYSREG(ICC_BPR1_EL1, 0U);
    WRITE_SYSREG(ICC_CTLR_EL1, 0U);   /* EOI both drops priority and deactivates */
    WRITE_SYSREG(ICC_IGRPEN1_EL1, 1U);
    isb();
    return 0;
}

void gic_enable_ppi(unsigned int intid)
{
    uintptr_t rd = cpu_rdist[arch_cpu_id()];

    if ((intid < 32U) && (rd != 0U)) {
        wr32(rd + GICR_SGI_BASE + GICD_ISENABLER, 1U << intid);
    }
}

int arch_irq_request(unsigned int irq, irq_handler_t handler, void *data)
{
    unsigned long flags;

    if ((irq >= nr_lines) || (irq < 16U) || (handler == NULL)) {
        return -EINVAL;
    }
    flags = spin_lock_irqsave(&gic_lock);
    if ((actions[irq].fn != NULL) && (actions[irq].fn != handler)) {
        spin_unlock_irqrestore(&gic_lock, flags);
        return -EBUSY;
    }
    actions[irq].fn = handler;
    actions[irq].data = data;
    if (irq >= 32U) {
        wr64(dist + GICD_IROUTER + (8U * irq), mpidr_to_affinity(READ_SYSREG(mpidr_el1)));
        wr32(dist + GICD_ISENABLER + ((irq / 32U) * 4U), 1U << (irq % 32U));
    } else {
        gic_enable_ppi(irq);
    }
    spin_unlock_irqrestore(&gic_lock, flags);
    return 0;
}

void gic_send_sgi(unsigned int cpu, unsigned int sgi)
{
    uint64_t m = cpu_mpidr[cpu];
    uint64_t aff0 = m & 0xffU;
    uint64_t v = ((m >> 32) & 0xffU) << 48;

    v |= ((m >> 16) & 0xffU) << 32;
    v |= ((m >> 8) & 0xffU) << 16;
    v |= (aff0 >> 4) << 44;
    v |= (uint64_t)(sgi & 0xfU) << 24;
    v |= 1ULL << (aff0 & 0xfU);
    dsb_ishst();
    WRITE_SYSREG(ICC_SGI1R_EL1, v);
    isb();
}

void arch_send_ipi(unsigned int cpu)
{
    gic_send_sgi(cpu, SGI_IPI);
}

/* One interrupt per exception: a second one pending takes the exception
 * again as soon as interrupts are unmasked, which is rare; reading the
 * acknowledge register again to find it usually spurious costs every
 * interrupt one more GIC access. */
void gic_handle_irq(void)
{
    uint64_t iar = READ_SYSREG(ICC_IAR1_EL1);
    unsigned int intid = (unsigned int)iar & 0xffffffU;

    if ((intid >= SPURIOUS_FIRST) && (intid <= 1023U)) {
        return;
    }
    if ((intid < NR_INTIDS) && (actions[intid].fn != NULL)) {
        actions[intid].fn(intid, actions[intid].data);
    } else if (intid != SGI_IPI) {
        pr_warn("GICv3: unexpected interrupt %u on CPU %u\n", intid, arch_cpu_id());
    } else {
        /* IPI: the softirq bit was set before it was sent. */
    }
    WRITE_SYSREG(ICC_EOIR1_EL1, iar);
    isb();
}

/* ---- SPIs the hypervisor hands to a guest ---------------------------- */

int gic_guest_spi_claim(unsigned int irq, bool edge, irq_handler_t handler, void *data)
{
    unsigned long flags;
    uint32_t bit = 2U << ((irq % 16U) * 2U);   /* Int_config[1]: edge */
    uintptr_t cfg = dist + GICD_ICFGR + ((irq / 16U) * 4U);

    /* nr_lines is at most NR_INTIDS; said again for the array's sake. */
    if ((irq < 32U) || (irq >= nr_lines) || (irq >= NR_INTIDS) || (handler == NULL)) {
        return -EINVAL;
    }
    flags = spin_lock_irqsave(&gic_lock);
    /* Any handler at all, the hypervisor's or a guest's: a line has one
     * owner, so a second claim is refused rather than taken over. */
    if (actions[irq].fn != NULL) {
        spin_unlock_irqrestore(&gic_lock, flags);
        return -EBUSY;
    }
    actions[irq].fn = handler;
    actions[irq].data = data;
    /* The trigger may only change while the line is disabled (it is: the
     * distributor's reset above disabled every SPI nobody claimed). */
    wr32(cfg, edge ? (rd32(cfg) | bit) : (rd32(cfg) & ~bit));
    wr64(dist + GICD_IROUTER + (8U * irq), mpidr_to_affinity(READ_SYSREG(mpidr_el1)));
    spin_unlock_irqrestore(&gic_lock, flags);
    return 0;
}

void gic_guest_spi_release(unsigned int irq)
{
    unsigned long flags;
    uint32_t bit = 1U << (irq % 32U);

    if ((irq < 32U) || (irq >= nr_lines) || (irq >= NR_INTIDS)) {
        return;
    }
    flags = spin_lock_irqsave(&gic_lock);
    wr32(dist + GICD_ICENABLER + ((irq / 32U) * 4U), bit);
    dist_wait_rwp();
    /* The owner may be gone with the interrupt active (a guest that never
     * deactivated it): a later owner must find the line idle. */
    wr32(dist + GICD_ICACTIVER + ((irq / 32U) * 4U), bit);
    wr32(dist + GICD_ICPENDR + ((irq / 32U) * 4U), bit);
    actions[irq].fn = NULL;
    __atomic_store_n(&actions[irq].data, NULL, __ATOMIC_SEQ_CST);
    spin_unlock_irqrestore(&gic_lock, flags);
}

void *gic_guest_spi_owner(unsigned int irq)
{
    if (irq >= NR_INTIDS) {
        return NULL;
    }
    /* Read after the caller announced itself (irq_route.c): seq_cst. */
    return __atomic_load_n(&actions[irq].data, __ATOMIC_SEQ_CST);
}

void gic_spi_set_enabled(unsigned int irq, bool on)
{
    uint32_t bit = 1U << (irq % 32U);

    if ((irq < 32U) || (irq >= nr_lines)) {
        return;
    }
    /* Single-bit set/clear registers: no lock needed against other lines. */
    wr32(dist + (on ? GICD_ISENABLER : GICD_ICENABLER) + ((irq / 32U) * 4U), bit);
    if (!on) {
        /* Masked before the caller's EOI deactivates it: a level line
         * still high must not be signalled again. */
        dist_wait_rwp();
    }
}
