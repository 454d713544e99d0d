/* Stage 2, the part that touches the CPU for a domain: loading its
 * VTTBR_EL2 and TLB maintenance by VMID. The tables are built in p2m.c,
 * which calls this file; the per-CPU set-up (VTCR_EL2), which needs the
 * tables' geometry from p2m.c, is in p2m_cpu_init.c, so that calls between
 * the two files go one way. */
#include <asm/p2m.h>
#include <asm/sysregs.h>
#include <proxenos/arch/cpu.h>

void p2m_hw_load(const struct p2m_domain *p2m)
{
    WRITE_SYSREG(vttbr_el2, p2m_vttbr(p2m));
    isb();
}

void p2m_tables_sync(void)
{
    /* Table walks are not ordered by DMB: a DSB makes the stores visible. */
    dsb_ishst();
}

/* TLBI VMALLS12E1IS acts on the VMID in VTTBR_EL2, so the target domain's
 * VTTBR is loaded around it (interrupts masked, so nothing on this CPU can
 * see the borrowed value) and the previous one put back. At EL2 without
 * VHE, VTTBR_EL2 does not translate anything the hypervisor does itself.
 * (Cores with the speculative-AT errata would need more care here: not
 * the case on QEMU's cortex-a57.) */
void p2m_flush_tlb(struct p2m_domain *p2m)
{
    unsigned long flags = arch_irq_save();
    uint64_t saved = READ_SYSREG(vttbr_el2);
    uint64_t target = p2m_vttbr(p2m);
    bool borrow = (saved != target);

    /* Descriptor writes (the invalidation of break-before-make) complete
     * before the invalidation of what they replaced. */
    dsb_ishst();
    if (borrow) {
        WRITE_SYSREG(vttbr_el2, target);
        isb();
    }
    __asm__ volatile("tlbi vmalls12e1is" ::: "memory");
    /* The invalidation is done on every CPU of the inner shareable domain. */
    dsb_ish();
    if (borrow) {
        WRITE_SYSREG(vttbr_el2, saved);
    }
    isb();
    arch_irq_restore(flags);
}
