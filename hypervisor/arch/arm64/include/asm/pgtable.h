/* Stage-1 EL2 translation table descriptors and the memory attributes the
 * hypervisor uses (4 KiB granule). */
#ifndef ASM_PGTABLE_H
#define ASM_PGTABLE_H

#ifdef __ASSEMBLY__
#define UL(x) x
#else
#define UL(x) x##UL
#endif

/* Descriptor bits are unsigned 64-bit values in C, like the pte_t they
 * build, so mixing them never involves signed arithmetic (MISRA 10.1). */
#define PT_VALID        UL(0x1)
#define PT_TABLE        UL(0x3)     /* table at levels 0-2 */
#define PT_BLOCK        UL(0x1)     /* block at levels 1-2 */
#define PT_PAGE         UL(0x3)     /* page at level 3 */
#define PT_ATTR(n)      ((n) << 2)
#define PT_AP_RES1      (UL(1) << 6)    /* AP[1] is RES1 in the EL2 regime */
#define PT_AP_RO        (UL(1) << 7)
#define PT_SH_INNER     (UL(3) << 8)
#define PT_AF           (UL(1) << 10)
#define PT_XN           (UL(1) << 54)
#define PT_ADDR_MASK    UL(0x0000fffffffff000)

/* MAIR_EL2 slots. */
#define MT_NORMAL       UL(0)   /* 0xff: write-back, read/write-allocate */
#define MT_DEVICE_nGnRE UL(1)   /* 0x04 */
#define MT_DEVICE_nGnRnE UL(2)  /* 0x00 */
#define MT_NORMAL_NC    UL(3)   /* 0x44 */
#define MAIR_EL2_VALUE  0x440004ff

#define PTE_NORMAL_RW   (PT_ATTR(MT_NORMAL) | PT_AP_RES1 | PT_SH_INNER | PT_AF)
#define PTE_NORMAL_RWX  PTE_NORMAL_RW
#define PTE_NORMAL_RO_XN (PTE_NORMAL_RW | PT_AP_RO | PT_XN)
#define PTE_DEVICE      (PT_ATTR(MT_DEVICE_nGnRE) | PT_AP_RES1 | PT_AF | PT_XN)

#define PT_ENTRIES      512
#define PT_LEVEL_SHIFT(l) (39 - 9 * (l))

/* TCR_EL2: T0SZ=16 (48-bit VA), write-back walks, inner shareable, 4 KiB
 * granule; PS is filled in from ID_AA64MMFR0_EL1 at boot. */
#define TCR_EL2_RES1    ((1 << 31) | (1 << 23))
#define TCR_EL2_VALUE   (TCR_EL2_RES1 | (3 << 12) | (1 << 10) | (1 << 8) | 16)
#define TCR_PS_SHIFT    16

#endif
