/* The GICv3 virtualisation hardware of this CPU: list registers, the
 * virtual CPU interface control (ICH_HCR_EL2), the guest's view of its
 * CPU interface (ICH_VMCR_EL2, ICH_AP0R/AP1R<n>_EL2) and the maintenance
 * interrupt. Everything that touches an ICH_* register is in this file,
 * so the rest of the vGIC runs in host unit tests against a fake of it.
 *
 * System register names are part of the instruction, so list register n
 * is reached through a switch. The encodings are spelled out (op0=3,
 * op1=4, CRn=12) because assemblers disagree on the ICH_* names. */
#include <asm/sysregs.h>
#include <asm/vgic.h>
#include <proxenos/arch/cpu.h>
#include <proxenos/arch/irq.h>
#include <proxenos/printk.h>
#include "vgic_internal.h"

#define ICH_AP0R0_EL2   S3_4_C12_C8_0
#define ICH_AP0R1_EL2   S3_4_C12_C8_1
#define ICH_AP0R2_EL2   S3_4_C12_C8_2
#define ICH_AP0R3_EL2   S3_4_C12_C8_3
#define ICH_AP1R0_EL2   S3_4_C12_C9_0
#define ICH_AP1R1_EL2   S3_4_C12_C9_1
#define ICH_AP1R2_EL2   S3_4_C12_C9_2
#define ICH_AP1R3_EL2   S3_4_C12_C9_3
#define ICH_HCR_EL2     S3_4_C12_C11_0
#define ICH_VTR_EL2     S3_4_C12_C11_1
#define ICH_MISR_EL2    S3_4_C12_C11_2
#define ICH_EISR_EL2    S3_4_C12_C11_3
#define ICH_VMCR_EL2    S3_4_C12_C11_7
#define ICH_LR0_EL2     S3_4_C12_C12_0
#define ICH_LR1_EL2     S3_4_C12_C12_1
#define ICH_LR2_EL2     S3_4_C12_C12_2
#define ICH_LR3_EL2     S3_4_C12_C12_3
#define ICH_LR4_EL2     S3_4_C12_C12_4
#define ICH_LR5_EL2     S3_4_C12_C12_5
#define ICH_LR6_EL2     S3_4_C12_C12_6
#define ICH_LR7_EL2     S3_4_C12_C12_7
#define ICH_LR8_EL2     S3_4_C12_C13_0
#define ICH_LR9_EL2     S3_4_C12_C13_1
#define ICH_LR10_EL2    S3_4_C12_C13_2
#define ICH_LR11_EL2    S3_4_C12_C13_3
#define ICH_LR12_EL2    S3_4_C12_C13_4
#define ICH_LR13_EL2    S3_4_C12_C13_5
#define ICH_LR14_EL2    S3_4_C12_C13_6
#define ICH_LR15_EL2    S3_4_C12_C13_7

/* ICH_VTR_EL2 */
#define VTR_LISTREGS(v)     ((unsigned int)((v) & 0x1fU) + 1U)
#define VTR_PREBITS(v)      ((unsigned int)(((v) >> 26) & 0x7U) + 1U)

/* ICH_MISR_EL2 */
#define MISR_EOI            (1U << 0)

/* Same on every CPU of the machines we run on; the smallest seen wins. */
static unsigned int nr_lrs;
/* Active priority registers per group: 1, 2 or 4 for 5, 6 or 7
 * preemption bits (32 levels per register). */
static unsigned int nr_aprs;

unsigned int vgic_lr_count(void)
{
    return nr_lrs;
}

uint64_t vgic_lr_read(unsigned int n)
{
    switch (n) {
    case 0U: return READ_SYSREG(ICH_LR0_EL2);
    case 1U: return READ_SYSREG(ICH_LR1_EL2);
    case 2U: return READ_SYSREG(ICH_LR2_EL2);
    case 3U: return READ_SYSREG(ICH_LR3_EL2);
    case 4U: return READ_SYSREG(ICH_LR4_EL2);
    case 5U: return READ_SYSREG(ICH_LR5_EL2);
    case 6U: return READ_SYSREG(ICH_LR6_EL2);
    case 7U: return READ_SYSREG(ICH_LR7_EL2);
    case 8U: return READ_SYSREG(ICH_LR8_EL2);
    case 9U: return READ_SYSREG(ICH_LR9_EL2);
    case 10U: return READ_SYSREG(ICH_LR10_EL2);
    case 11U: return READ_SYSREG(ICH_LR11_EL2);
    case 12U: return READ_SYSREG(ICH_LR12_EL2);
    case 13U: return READ_SYSREG(ICH_LR13_EL2);
    case 14U: return READ_SYSREG(ICH_LR14_EL2);
    case 15U: return READ_SYSREG(ICH_LR15_EL2);
    default: return 0U;
    }
}

void vgic_lr_write(unsigned int n, uint64_t lr)
{
    switch (n) {
    case 0U: WRITE_SYSREG(ICH_LR0_EL2, lr); break;
    case 1U: WRITE_SYSREG(ICH_LR1_EL2, lr); break;
    case 2U: WRITE_SYSREG(ICH_LR2_EL2, lr); break;
    case 3U: WRITE_SYSREG(ICH_LR3_EL2, lr); break;
    case 4U: WRITE_SYSREG(ICH_LR4_EL2, lr); break;
    case 5U: WRITE_SYSREG(ICH_LR5_EL2, lr); break;
    case 6U: WRITE_SYSREG(ICH_LR6_EL2, lr); break;
    case 7U: WRITE_SYSREG(ICH_LR7_EL2, lr); break;
    case 8U: WRITE_SYSREG(ICH_LR8_EL2, lr); break;
    case 9U: WRITE_SYSREG(ICH_LR9_EL2, lr); break;
    case 10U: WRITE_SYSREG(ICH_LR10_EL2, lr); break;
    case 11U: WRITE_SYSREG(ICH_LR11_EL2, lr); break;
    case 12U: WRITE_SYSREG(ICH_LR12_EL2, lr); break;
    case 13U: WRITE_SYSREG(ICH_LR13_EL2, lr); break;
    case 14U: WRITE_SYSREG(ICH_LR14_EL2, lr); break;
    case 15U: WRITE_SYSREG(ICH_LR15_EL2, lr); break;
    default: break;
    }
}

void vgic_lr_write_hcr(uint64_t hcr)
{
    WRITE_SYSREG(ICH_HCR_EL2, hcr);
    isb();
}

static void save_aprs(uint32_t *ap0, uint32_t *ap1)
{
    /* Fall-throughs: registers 3 and 2 exist only with 7 preemption bits,
     * register 1 with 6 or more. */
    switch (nr_aprs) {
    case 4U:
        ap0[3] = (uint32_t)READ_SYSREG(ICH_AP0R3_EL2);
        ap1[3] = (uint32_t)READ_SYSREG(ICH_AP1R3_EL2);
        ap0[2] = (uint32_t)READ_SYSREG(ICH_AP0R2_EL2);
        ap1[2] = (uint32_t)READ_SYSREG(ICH_AP1R2_EL2);
        /* fall through */
    case 2U:
        ap0[1] = (uint32_t)READ_SYSREG(ICH_AP0R1_EL2);
        ap1[1] = (uint32_t)READ_SYSREG(ICH_AP1R1_EL2);
        /* fall through */
    default:
        ap0[0] = (uint32_t)READ_SYSREG(ICH_AP0R0_EL2);
        ap1[0] = (uint32_t)READ_SYSREG(ICH_AP1R0_EL2);
        break;
    }
}

static void restore_aprs(const uint32_t *ap0, const uint32_t *ap1)
{
    switch (nr_aprs) {
    case 4U:
        WRITE_SYSREG(ICH_AP0R3_EL2, ap0[3]);
        WRITE_SYSREG(ICH_AP1R3_EL2, ap1[3]);
        WRITE_SYSREG(ICH_AP0R2_EL2, ap0[2]);
        WRITE_SYSREG(ICH_AP1R2_EL2, ap1[2]);
        /* fall through */
    case 2U:
        WRITE_SYSREG(ICH_AP0R1_EL2, ap0[1]);
        WRITE_SYSREG(ICH_AP1R1_EL2, ap1[1]);
        /* fall through */
    default:
        WRITE_SYSREG(ICH_AP0R0_EL2, ap0[0]);
        WRITE_SYSREG(ICH_AP1R0_EL2, ap1[0]);
        break;
    }
}

void vgic_lr_save_ctx(struct vgic_hw_ctx *c)
{
    c->vmcr = READ_SYSREG(ICH_VMCR_EL2);
    save_aprs(c->ap0r, c->ap1r);
    /* Nothing of this vCPU may raise a maintenance interrupt any more. */
    WRITE_SYSREG(ICH_HCR_EL2, 0U);
    isb();
}

void vgic_lr_restore_ctx(const struct vgic_hw_ctx *c)
{
    WRITE_SYSREG(ICH_VMCR_EL2, c->vmcr);
    restore_aprs(c->ap0r, c->ap1r);
    WRITE_SYSREG(ICH_HCR_EL2, c->hcr);
    isb();
}

/* The maintenance interrupt is level-sensitive and stays asserted while
 * its condition holds, and the host driver EOIs and looks again right
 * after this returns: so take away every condition flush may have asked
 * for. The real work (refilling the LRs, re-examining a level line) is
 * done by sync and flush on the way back into the guest, which read the
 * LRs as the guest left them: an LR emptied here reads as deactivated,
 * which is what EISR says it is. */
static void maintenance_irq(unsigned int irq, void *data)
{
    uint64_t misr = READ_SYSREG(ICH_MISR_EL2);
    uint64_t hcr = READ_SYSREG(ICH_HCR_EL2);

    (void)irq;
    (void)data;
    if ((misr & MISR_EOI) != 0U) {
        uint64_t eisr = READ_SYSREG(ICH_EISR_EL2);

        for (unsigned int n = 0U; n < nr_lrs; n++) {
            if ((eisr & (1ULL << n)) != 0U) {
                vgic_lr_write(n, 0U);
            }
        }
    }
    WRITE_SYSREG(ICH_HCR_EL2, hcr & ~(ICH_HCR_UIE | ICH_HCR_NPIE | ICH_HCR_LRENPIE));
    isb();
}

void vgic_hw_cpu_init(void)
{
    uint64_t vtr = READ_SYSREG(ICH_VTR_EL2);
    unsigned int lrs = MIN(VTR_LISTREGS(vtr), VGIC_MAX_LRS);
    unsigned int pre = VTR_PREBITS(vtr);
    struct vgic_hw_ctx zero = { 0 };
    int rc;

    if ((nr_lrs == 0U) || (lrs < nr_lrs)) {
        nr_lrs = lrs;
    }
    nr_aprs = (pre >= 7U) ? 4U : ((pre == 6U) ? 2U : 1U);
    for (unsigned int n = 0U; n < lrs; n++) {
        vgic_lr_write(n, 0U);
    }
    vgic_lr_restore_ctx(&zero);     /* VMCR, APRs and HCR all zero */
    rc = arch_irq_request(VGIC_MAINT_PPI, maintenance_irq, NULL);
    if (rc != 0) {
        pr_err("vGIC: CPU %u cannot take the maintenance interrupt (%d)\n", arch_cpu_id(), rc);
    } else if (arch_cpu_id() == 0U) {
        pr_info("vGIC: %u list registers, %u preemption bits\n", lrs, pre);
    } else {
        /* One line for the machine is enough. */
    }
}
