/* System register bits the hypervisor programs, and accessors. */
#ifndef ASM_SYSREGS_H
#define ASM_SYSREGS_H

/* SCTLR_EL2 (non-VHE layout). */
#define SCTLR_EL2_RES1  0x30c50830
#define SCTLR_M         (1 << 0)
#define SCTLR_A         (1 << 1)
#define SCTLR_C         (1 << 2)
#define SCTLR_SA        (1 << 3)
#define SCTLR_I         (1 << 12)
#define SCTLR_WXN       (1 << 19)
#define SCTLR_EL2_MMU_ON (SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I)

/* HCR_EL2 */
#define HCR_EL2_FMO     (1U << 3)
#define HCR_EL2_IMO     (1U << 4)
#define HCR_EL2_AMO     (1U << 5)

/* GICv3 CPU interface registers by encoding (assemblers differ on names). */
#define ICC_PMR_EL1     S3_0_C4_C6_0
#define ICC_IAR1_EL1    S3_0_C12_C12_0
#define ICC_EOIR1_EL1   S3_0_C12_C12_1
#define ICC_BPR1_EL1    S3_0_C12_C12_3
#define ICC_CTLR_EL1    S3_0_C12_C12_4
#define ICC_SRE_EL1     S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_SGI1R_EL1   S3_0_C12_C11_5
#define ICC_SRE_EL2     S3_4_C12_C9_5

#ifndef __ASSEMBLY__
#include <stdint.h>

#define SYSREG_STR(x) #x
#define SYSREG_NAME(x) SYSREG_STR(x)

#define READ_SYSREG(name) ({ \
    uint64_t v_; \
    __asm__ volatile("mrs %0, " SYSREG_NAME(name) : "=r"(v_)); \
    v_; })

#define WRITE_SYSREG(name, v) do { \
    uint64_t w_ = (uint64_t)(v); \
    __asm__ volatile("msr " SYSREG_NAME(name) ", %0" :: "r"(w_) : "memory"); \
} while (0)

static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }
static inline void dsb_sy(void) { __asm__ volatile("dsb sy" ::: "memory"); }
static inline void dsb_ish(void) { __asm__ volatile("dsb ish" ::: "memory"); }
static inline void dsb_ishst(void) { __asm__ volatile("dsb ishst" ::: "memory"); }
static inline void dmb_ish(void) { __asm__ volatile("dmb ish" ::: "memory"); }
static inline void wfi(void) { __asm__ volatile("wfi" ::: "memory"); }
#endif

#endif
