/*
 * System register access for AArch64 EL1 guests.
 *
 * The GICv3 CPU-interface registers are named by their encoding
 * (s3_0_c12_...) so that any assembler accepts them without -march tweaks.
 */
#ifndef GUEST_SYSREG_H
#define GUEST_SYSREG_H

#include <stdint.h>

#define SYSREG_READ(reg) ({                                     \
        uint64_t sysreg_val_;                                   \
        __asm__ volatile("mrs %0, " #reg : "=r"(sysreg_val_));  \
        sysreg_val_; })

#define SYSREG_WRITE(reg, val) \
    __asm__ volatile("msr " #reg ", %0" : : "r"((uint64_t)(val)) : "memory")

/* GICv3 CPU interface (ICC_*_EL1); under a hypervisor these reach ICV_*. */
#define ICC_PMR_EL1     s3_0_c4_c6_0
#define ICC_IAR1_EL1    s3_0_c12_c12_0
#define ICC_EOIR1_EL1   s3_0_c12_c12_1
#define ICC_BPR1_EL1    s3_0_c12_c12_3
#define ICC_CTLR_EL1    s3_0_c12_c12_4
#define ICC_SRE_EL1     s3_0_c12_c12_5
#define ICC_IGRPEN1_EL1 s3_0_c12_c12_7
#define ICC_SGI1R_EL1   s3_0_c12_c11_5

static inline void isb(void)
{
    __asm__ volatile("isb" : : : "memory");
}

static inline void dsb_sy(void)
{
    __asm__ volatile("dsb sy" : : : "memory");
}

static inline void cpu_relax(void)
{
    __asm__ volatile("yield" : : : "memory");
}

static inline void wfi(void)
{
    __asm__ volatile("wfi" : : : "memory");
}

/* Mask / unmask IRQs at the PE (PSTATE.I). */
static inline void irq_disable(void)
{
    __asm__ volatile("msr daifset, #2" : : : "memory");
}

static inline void irq_enable(void)
{
    __asm__ volatile("msr daifclr, #2" : : : "memory");
}

/* The affinity fields of MPIDR_EL1 (Aff3 in bits 39:32, Aff2..0 in 23:0). */
#define MPIDR_AFF_MASK UINT64_C(0xff00ffffff)

static inline uint64_t mpidr_affinity(void)
{
    return SYSREG_READ(mpidr_el1) & MPIDR_AFF_MASK;
}

#endif
