/* Stage 2 on each CPU at bring-up: the boot CPU chooses the tables'
 * geometry (p2m.c) and the VMID width from its ID registers, every CPU
 * programs VTCR_EL2. Apart from p2m_hw.c, which p2m.c calls for TLB
 * maintenance: this file calls p2m.c, never the reverse. */
#include <asm/p2m.h>
#include <asm/sysregs.h>
#include <proxenos/arch/cpu.h>
#include <proxenos/printk.h>

#define ID_AA64MMFR0_PARANGE_MASK   0xfU
#define ID_AA64MMFR1_VMIDBITS_SHIFT 4U
#define ID_AA64MMFR1_VMIDBITS_MASK  0xfU
#define ID_AA64MMFR1_VMIDBITS_16    2U

static unsigned int cpu_parange(void)
{
    return (unsigned int)(READ_SYSREG(id_aa64mmfr0_el1) & ID_AA64MMFR0_PARANGE_MASK);
}

static bool cpu_has_vmid16(void)
{
    uint64_t v = (READ_SYSREG(id_aa64mmfr1_el1) >> ID_AA64MMFR1_VMIDBITS_SHIFT) &
                 ID_AA64MMFR1_VMIDBITS_MASK;

    return v == ID_AA64MMFR1_VMIDBITS_16;
}

/* The boot CPU runs this first, alone; secondaries only after it. */
void p2m_hw_cpu_init(void)
{
    unsigned int parange = cpu_parange();
    bool vmid16 = cpu_has_vmid16();

    if (!p2m_configured()) {
        const struct p2m_geometry *g;

        if (p2m_configure(parange) != 0) {
            panic("P2M: ID_AA64MMFR0_EL1.PARange %u is reserved", parange);
        }
        vmid_init(vmid16 ? 16U : 8U);
        g = p2m_geometry();
        pr_info("P2M: %u-bit IPA, %u-bit PA, %u-bit VMID, walks start at level %u "
                "(%u root page(s))\n", g->ipa_bits, g->pa_bits, vmid_bits(), g->root_level,
                1U << g->root_order);
    } else {
        /* Every domain's tables and VMID must work on every CPU. */
        if (parange < p2m_geometry()->parange) {
            panic("P2M: CPU%u has PARange %u, below the boot CPU's", arch_cpu_id(), parange);
        }
        if ((vmid_bits() == 16U) && !vmid16) {
            panic("P2M: CPU%u lacks the boot CPU's 16-bit VMIDs", arch_cpu_id());
        }
    }
    WRITE_SYSREG(vtcr_el2, p2m_vtcr(vmid_bits() == 16U));
    /* VMID 0, no tables: what VTTBR_EL2 holds while no guest has run. */
    WRITE_SYSREG(vttbr_el2, 0U);
    isb();
}
