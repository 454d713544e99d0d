/* Guest virtual to guest physical for hypercall buffers: the hardware walks
 * the calling vCPU's stage-1 tables (its EL1 translation registers are
 * loaded while it traps to us) with AT S1E1R/W. The walk's own accesses
 * go through stage 2, so a table the guest placed outside its RAM makes
 * the walk fail too, reported in PAR_EL1 rather than as an abort. */
#include <proxenos/arch/guest_access.h>
#include <proxenos/errno.h>
#include <asm/sysregs.h>

#define PAR_F        (1ULL << 0)            /* the translation faulted */
#define PAR_PA_MASK  0x0000fffffffff000ULL  /* PA[47:12] on success */

int arch_guest_va_to_ipa(uint64_t gva, bool write, paddr_t *ipa)
{
    uint64_t daif = READ_SYSREG(daif);
    uint64_t saved_par;
    uint64_t par;

    /* PAR_EL1 is the guest's register: keep its value, and keep an
     * interrupt from running other translations in between. */
    __asm__ volatile("msr daifset, #2" ::: "memory");
    saved_par = READ_SYSREG(par_el1);
    if (write) {
        __asm__ volatile("at s1e1w, %0" :: "r"(gva) : "memory");
    } else {
        __asm__ volatile("at s1e1r, %0" :: "r"(gva) : "memory");
    }
    isb();
    par = READ_SYSREG(par_el1);
    WRITE_SYSREG(par_el1, saved_par);
    WRITE_SYSREG(daif, daif);
    if ((par & PAR_F) != 0U) {
        return -EFAULT;
    }
    *ipa = (par & PAR_PA_MASK) | (gva & 0xfffU);
    return 0;
}
