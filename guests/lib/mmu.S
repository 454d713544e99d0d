/*
 * A fixed identity map for stage 1, switched on before the first store.
 *
 * With SCTLR_EL1.M = 0 every data access is Device-nGnRnE, where
 * exclusive loads/stores (and so the spinlocks between vCPUs) are not
 * guaranteed to work. The map is a single level-1 table of 1 GiB blocks,
 * built by the assembler so that nothing has to be written with the MMU
 * off (stores made with the caches off could later be shadowed by stale
 * cache lines):
 *   0 GiB - 1 GiB   Device-nGnRE, never executable (GIC, UART, virtio...)
 *   1 GiB - 4 GiB   Normal write-back (RAM bank 0 of Xen's guest layout)
 *   4 GiB - 8 GiB   Device-nGnRE (vPCI MMIO window)
 *   8 GiB - 512 GiB Normal write-back (RAM bank 1)
 * VA = PA, 39-bit VA space through TTBR0_EL1, TTBR1_EL1 walks disabled.
 */

/* MAIR_EL1: attr0 Device-nGnRnE, attr1 Device-nGnRE, attr2 Normal WB RW-allocate. */
#define MAIR_VALUE      0x0000000000ff0400

/* Block descriptor bits: valid block, AttrIndx, SH inner, AF, PXN|UXN. */
#define BLOCK           0x1
#define ATTR_DEVICE     (1 << 2)
#define ATTR_NORMAL     (2 << 2)
#define SH_INNER        (3 << 8)
#define AF              (1 << 10)
#define XN              (3 << 53)
#define DEVICE_BLOCK    (BLOCK | ATTR_DEVICE | AF | XN)
#define NORMAL_BLOCK    (BLOCK | ATTR_NORMAL | SH_INNER | AF)

/*
 * TCR_EL1: T0SZ = 25 (39-bit VA, walk starts at level 1), IRGN0/ORGN0
 * write-back write-allocate, SH0 inner shareable, TG0 4K, EPD1 = 1.
 * IPS is filled in from ID_AA64MMFR0_EL1.PARange at run time.
 */
#define TCR_VALUE       ((25 << 0) | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23))

/* SCTLR_EL1 bits: M (MMU), A (alignment check), C (D-cache), I (I-cache). */
#define SCTLR_M         (1 << 0)
#define SCTLR_A         (1 << 1)
#define SCTLR_C         (1 << 2)
#define SCTLR_I         (1 << 12)

    .section .rodata.pgtable, "a"
    .balign 4096
    .global guest_l1_table
guest_l1_table:
    .set    blk, 0
    .rept   512
    .if     (blk == 0) || ((blk >= 4) && (blk < 8))
    .quad   (blk << 30) | DEVICE_BLOCK
    .else
    .quad   (blk << 30) | NORMAL_BLOCK
    .endif
    .set    blk, blk + 1
    .endr

/*
 * mmu_enable: uses x0-x3 only, no stack, no memory writes. Safe to call
 * with the MMU on (a CPU_ON entry after a previous run still gets a
 * clean SCTLR from the hypervisor, but this does not rely on it).
 */
    .text
    .global mmu_enable
mmu_enable:
    ldr     x0, =MAIR_VALUE
    msr     mair_el1, x0
    mrs     x1, id_aa64mmfr0_el1
    and     x1, x1, #0xf            /* PARange */
    cmp     x1, #5
    mov     x2, #5
    csel    x1, x1, x2, ls          /* at most 48 bits: no LPA */
    ldr     x0, =TCR_VALUE
    bfi     x0, x1, #32, #3         /* IPS */
    msr     tcr_el1, x0
    adrp    x0, guest_l1_table
    msr     ttbr0_el1, x0
    isb
    tlbi    vmalle1
    dsb     nsh
    isb
    mrs     x0, sctlr_el1
    mov     x2, #(SCTLR_M | SCTLR_C)
    orr     x2, x2, #SCTLR_I
    orr     x0, x0, x2
    bic     x0, x0, #SCTLR_A
    msr     sctlr_el1, x0
    isb
    ic      iallu
    dsb     nsh
    isb
    ret
