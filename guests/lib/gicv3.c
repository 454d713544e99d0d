/*
 * Register offsets and bits: Arm IHI 0069 (GICv3/v4 architecture
 * specification). Everything is a 32-bit access except GICR_TYPER and
 * GICD_IROUTER, which both Xen's vGIC and QEMU accept 64 bits wide.
 */
#include "gicv3.h"
#include "mmio.h"
#include "smp.h"
#include "sysreg.h"

#define GICD_CTLR           0x0000U
#define GICD_TYPER          0x0004U
#define GICD_IGROUPR        0x0080U
#define GICD_ISENABLER      0x0100U
#define GICD_ICENABLER      0x0180U
#define GICD_IPRIORITYR     0x0400U
#define GICD_IROUTER        0x6000U
#define GICD_CTLR_RWP       (1U << 31)
#define GICD_CTLR_ARE       (1U << 4)   /* ARE_NS in the two-security-state view */
#define GICD_CTLR_GRP1      (1U << 1)   /* EnableGrp1A / EnableGrp1 */

#define GICR_CTLR           0x0000U
#define GICR_TYPER          0x0008U
#define GICR_WAKER          0x0014U
#define GICR_CTLR_RWP       (1U << 3)
#define GICR_TYPER_VLPIS    (UINT64_C(1) << 1)
#define GICR_TYPER_LAST     (UINT64_C(1) << 4)
#define GICR_WAKER_SLEEP    (1U << 1)
#define GICR_WAKER_ASLEEP   (1U << 2)
#define GICR_SGI_BASE       0x10000U    /* SGI/PPI frame after RD_base; its IGROUPR0,
                                           I[SC]ENABLER0, IPRIORITYR sit at the GICD_ offsets */
#define GICR_FRAME_SIZE     0x20000U    /* RD_base + SGI_base */
#define GICR_VLPI_SIZE      0x20000U    /* two more frames with VLPIs */

#define ICC_SRE_SRE         1U
#define ICC_SRE_DFB         2U
#define ICC_SRE_DIB         4U

#define POLL_LIMIT          1000000U

static uintptr_t gicd;
static uintptr_t gicr;
static uint64_t gicr_size;
static uint64_t gicr_stride;
static uint32_t nr_lines;
static bool ready;
static uintptr_t rd_base[GUEST_LIB_MAX_VCPUS];

static void wait_clear(uintptr_t reg, uint32_t bit)
{
    uint32_t n = 0U;

    while (((mmio_read32(reg) & bit) != 0U) && (n < POLL_LIMIT)) {
        cpu_relax();
        n++;
    }
}

/* Walks the redistributor region for the frame whose GICR_TYPER affinity is ours. */
static uintptr_t find_redistributor(uint64_t mpidr)
{
    uint64_t want = (((mpidr >> 32) & 0xffU) << 24) | (mpidr & 0xffffffU);
    uint64_t off = 0U;

    while ((off + GICR_FRAME_SIZE) <= gicr_size) {
        uint64_t typer = mmio_read64(gicr + (uintptr_t)off + GICR_TYPER);

        if ((typer >> 32) == want) {
            return gicr + (uintptr_t)off;
        }
        if ((typer & GICR_TYPER_LAST) != 0U) {
            break;
        }
        if (gicr_stride != 0U) {
            off += gicr_stride;
        } else {
            off += GICR_FRAME_SIZE + (((typer & GICR_TYPER_VLPIS) != 0U) ? GICR_VLPI_SIZE : 0U);
        }
    }
    return 0U;
}

int gic_cpu_init(void)
{
    uint32_t cpu = cpu_index();
    uintptr_t rd;
    uintptr_t sgi;
    uint32_t i;

    if ((gicd == 0U) || (cpu >= GUEST_LIB_MAX_VCPUS)) {
        return -1;
    }
    rd = find_redistributor(mpidr_affinity());
    if (rd == 0U) {
        return -2;
    }
    rd_base[cpu] = rd;
    sgi = rd + GICR_SGI_BASE;

    mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
    wait_clear(rd + GICR_WAKER, GICR_WAKER_ASLEEP);

    mmio_write32(sgi + GICD_IGROUPR, 0xffffffffU);    /* all SGIs/PPIs in Group 1 */
    mmio_write32(sgi + GICD_ICENABLER, 0xffffffffU);  /* nothing until asked for */
    for (i = 0U; i < 32U; i += 4U) {
        mmio_write32(sgi + GICD_IPRIORITYR + i, 0xa0a0a0a0U);
    }
    wait_clear(rd + GICR_CTLR, GICR_CTLR_RWP);

    SYSREG_WRITE(ICC_SRE_EL1, SYSREG_READ(ICC_SRE_EL1) | ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB);
    isb();
    if ((SYSREG_READ(ICC_SRE_EL1) & ICC_SRE_SRE) == 0U) {
        return -3;  /* no system-register interface: not a usable GICv3 */
    }
    SYSREG_WRITE(ICC_PMR_EL1, 0xffU);       /* let every priority through */
    SYSREG_WRITE(ICC_BPR1_EL1, 0U);
    SYSREG_WRITE(ICC_CTLR_EL1, 0U);         /* EOImode 0: EOIR also deactivates */
    SYSREG_WRITE(ICC_IGRPEN1_EL1, 1U);
    isb();
    return 0;
}

int gic_init(const struct platform *p)
{
    if ((p->gic_version != 3U) || (p->gicd_base == 0U) || (p->gicr_base == 0U)) {
        return -1;
    }
    gicd = (uintptr_t)p->gicd_base;
    gicr = (uintptr_t)p->gicr_base;
    gicr_size = p->gicr_size;
    gicr_stride = p->gicr_stride;
    nr_lines = ((mmio_read32(gicd + GICD_TYPER) & 0x1fU) + 1U) * 32U;

    mmio_write32(gicd + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
    wait_clear(gicd + GICD_CTLR, GICD_CTLR_RWP);
    if (gic_cpu_init() != 0) {
        return -2;
    }
    ready = true;
    return 0;
}

bool gic_ready(void)
{
    return ready;
}

uint32_t gic_nr_lines(void)
{
    return nr_lines;
}

/* 32-bit read-modify-write of one priority byte: byte accesses are optional for some emulations. */
static void set_priority(uintptr_t base, uint32_t intid, uint8_t prio)
{
    uintptr_t reg = base + GICD_IPRIORITYR + (uintptr_t)(intid & ~3U);
    uint32_t shift = (intid & 3U) * 8U;
    uint32_t v = mmio_read32(reg);

    v &= ~(0xffU << shift);
    v |= (uint32_t)prio << shift;
    mmio_write32(reg, v);
}

/* The calling vCPU's RD_base, 0 if gic_cpu_init has not run on it. */
static uintptr_t my_redistributor(void)
{
    uint32_t cpu = cpu_index();

    return (cpu < GUEST_LIB_MAX_VCPUS) ? rd_base[cpu] : 0U;
}

void gic_irq_enable(uint32_t intid, uint8_t prio)
{
    uint32_t bit = 1U << (intid % 32U);

    if (intid < 32U) {
        uintptr_t rd = my_redistributor();

        if (rd == 0U) {
            return;
        }
        set_priority(rd + GICR_SGI_BASE, intid, prio);
        mmio_write32(rd + GICR_SGI_BASE + GICD_ISENABLER, bit);
    } else if (intid < nr_lines) {
        uintptr_t word = (uintptr_t)((intid / 32U) * 4U);

        mmio_write32(gicd + GICD_IGROUPR + word, mmio_read32(gicd + GICD_IGROUPR + word) | bit);
        set_priority(gicd, intid, prio);
        mmio_write64(gicd + GICD_IROUTER + ((uintptr_t)intid * 8U), mpidr_affinity());
        mmio_write32(gicd + GICD_ISENABLER + word, bit);
    } else {
        /* not implemented by this distributor */
    }
}

void gic_irq_disable(uint32_t intid)
{
    uint32_t bit = 1U << (intid % 32U);

    if (intid < 32U) {
        uintptr_t rd = my_redistributor();

        if (rd != 0U) {
            mmio_write32(rd + GICR_SGI_BASE + GICD_ICENABLER, bit);
            wait_clear(rd + GICR_CTLR, GICR_CTLR_RWP);
        }
    } else if (intid < nr_lines) {
        mmio_write32(gicd + GICD_ICENABLER + (uintptr_t)((intid / 32U) * 4U), bit);
        wait_clear(gicd + GICD_CTLR, GICD_CTLR_RWP);
    } else {
        /* not implemented by this distributor */
    }
}

void gic_send_sgi(uint32_t intid, uint64_t target_mpidr)
{
    uint64_t aff0 = target_mpidr & 0xffU;
    uint64_t aff1 = (target_mpidr >> 8) & 0xffU;
    uint64_t aff2 = (target_mpidr >> 16) & 0xffU;
    uint64_t aff3 = (target_mpidr >> 32) & 0xffU;
    uint64_t v;

    /* TargetList holds Aff0 values 0-15; RS selects the block of 16 */
    v = (UINT64_C(1) << (aff0 & 0xfU)) | (aff1 << 16) | ((uint64_t)(intid & 0xfU) << 24) |
        (aff2 << 32) | ((aff0 >> 4) << 44) | (aff3 << 48);
    __asm__ volatile("dsb ishst" : : : "memory");   /* data before the doorbell */
    SYSREG_WRITE(ICC_SGI1R_EL1, v);
    isb();
}

uint32_t gic_ack(void)
{
    uint32_t intid = (uint32_t)SYSREG_READ(ICC_IAR1_EL1) & 0xffffffU;

    __asm__ volatile("dsb sy" : : : "memory");
    return intid;
}

void gic_eoi(uint32_t intid)
{
    SYSREG_WRITE(ICC_EOIR1_EL1, intid);
    isb();
}
