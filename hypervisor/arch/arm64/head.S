/*
 * Entry from the boot loader and from PSCI CPU_ON.
 *
 * The boot loader enters at the first byte of the Image with the MMU off and
 * x0 = physical address of the device tree. We run from wherever we were
 * loaded: until the MMU is on, only PC-relative addressing is used. We then
 * map the image at its link address (HYP_VIRT_BASE), keep a 2 MiB identity
 * mapping of this code for the switch (and for secondary CPUs, which come up
 * with the MMU off too), and jump to C.
 *
 * Register use until C: x19 = CPU number, x21 = DTB PA, x22 = load PA,
 * x23 = link VA of _start.
 */
#include <asm/memlayout.h>
#include <asm/pgtable.h>
#include <asm/sysregs.h>

#define SZ_2M 0x200000

/* Index of va at translation level lvl into reg out. */
.macro pt_index out, va, lvl
    lsr     \out, \va, #PT_LEVEL_SHIFT(\lvl)
    and     \out, \out, #(PT_ENTRIES - 1)
.endm

/* Table entry: table[index(va, lvl)] = next | PT_TABLE. Clobbers x9, x10. */
.macro link_table table, next, va, lvl
    pt_index x9, \va, \lvl
    orr     x10, \next, #PT_TABLE
    str     x10, [\table, x9, lsl #3]
.endm

.macro adr_l reg, sym
    adrp    \reg, \sym
    add     \reg, \reg, :lo12:\sym
.endm

    .section .text.head, "ax"
    .globl  _start
_start:
    /* arm64 Image header (Linux boot protocol), 64 bytes. */
    b       primary_entry           /* code0 */
    .long   0                       /* code1 */
    .quad   0                       /* text_offset: any 2 MiB boundary */
    .quad   __image_size            /* effective size, including .bss */
    .quad   0xa                     /* little-endian, 4 KiB pages, anywhere */
    .quad   0                       /* res2 */
    .quad   0                       /* res3 */
    .quad   0                       /* res4 */
    .ascii  "ARM\x64"               /* magic */
    .long   0                       /* res5: no PE header */

primary_entry:
    msr     daifset, #0xf
    mov     x21, x0
    mov     x19, #0
    adr     x22, _start
    ldr     x23, =_start

    mrs     x0, CurrentEL
    ubfx    x0, x0, #2, #2
    cmp     x0, #2
    b.eq    1f
    /* Wrong exception level: report with the MMU off and stop. */
    adr_l   x1, cpu_stacks
    add     x1, x1, #STACK_SIZE
    mov     sp, x1
    mov     x1, x21
    bl      early_wrong_el
    b       halt_forever

1:  bl      el2_reset_state
    bl      clear_bss
    bl      build_boot_tables
    bl      enable_mmu
    ldr     x0, =primary_virt
    br      x0

/* PSCI CPU_ON lands here with x0 = the context id: our CPU number. */
secondary_entry:
    msr     daifset, #0xf
    mov     x19, x0
    bl      el2_reset_state
    bl      enable_mmu
    ldr     x0, =secondary_virt
    br      x0

/* MMU and caches off, little-endian, no traps to ourselves we don't expect. */
el2_reset_state:
    ldr     x0, =SCTLR_EL2_RES1
    msr     sctlr_el2, x0
    msr     hcr_el2, xzr
    isb
    ret

/* .bss holds the boot page tables and stacks: the loader did not zero it. */
clear_bss:
    adr_l   x0, __bss_start
    adr_l   x1, __bss_end
1:  stp     xzr, xzr, [x0], #16
    cmp     x0, x1
    b.lo    1b
    /* Caches may hold stale lines for memory we just wrote uncached. */
    adr_l   x0, __bss_start
    mrs     x2, ctr_el0
    ubfx    x2, x2, #16, #4
    mov     x3, #4
    lsl     x3, x3, x2          /* smallest D-cache line in bytes */
2:  dc      ivac, x0
    add     x0, x0, x3
    cmp     x0, x1
    b.lo    2b
    dsb     sy
    ret

/*
 * boot_l0 -> boot_l1 -> boot_l2 -> boot_l3_image[2]: the image, 4 KiB pages,
 *                               -> boot_l3_fixmap: the early UART
 *                    -> boot_l2_fdt: the DTB, two 2 MiB blocks
 * boot_l0 -> boot_l1_id -> boot_l2_id: 2 MiB identity block around _start.
 * All addresses are physical here.
 */
build_boot_tables:
    adr_l   x0, boot_l0
    adr_l   x1, boot_l1
    adr_l   x2, boot_l2
    adr_l   x3, boot_l3_image
    link_table x0, x1, x23, 0
    link_table x1, x2, x23, 1
    link_table x2, x3, x23, 2
    add     x4, x3, #4096
    add     x5, x23, #SZ_2M
    link_table x2, x4, x5, 2

    /* Image pages, read-write-execute until C tightens them. */
    ldr     x4, =PTE_NORMAL_RWX | PT_PAGE
    orr     x4, x4, x22
    mov     x5, #(HYP_IMAGE_MAX / 4096)
1:  str     x4, [x3], #8
    add     x4, x4, #4096
    subs    x5, x5, #1
    b.ne    1b

#if CONFIG_EARLY_UART_PL011 != 0
    adr_l   x3, boot_l3_fixmap
    ldr     x5, =FIXMAP_VIRT_BASE
    link_table x2, x3, x5, 2
    ldr     x4, =PTE_DEVICE | PT_PAGE | CONFIG_EARLY_UART_PL011
    str     x4, [x3, #(FIXMAP_EARLY_UART * 8)]
#endif

    /* The DTB: up to 2 MiB starting anywhere in the first block. */
    cbz     x21, 2f
    adr_l   x3, boot_l2_fdt
    ldr     x5, =BOOT_FDT_VIRT
    link_table x1, x3, x5, 1
    pt_index x6, x5, 2
    ldr     x4, =PTE_NORMAL_RO_XN | PT_BLOCK
    bic     x7, x21, #(SZ_2M - 1)
    orr     x4, x4, x7
    str     x4, [x3, x6, lsl #3]
    add     x4, x4, #SZ_2M
    add     x6, x6, #1
    str     x4, [x3, x6, lsl #3]

2:  /* Identity map for the MMU switch. */
    pt_index x6, x22, 0
    pt_index x7, x23, 0
    cmp     x6, x7
    b.eq    halt_forever            /* loaded inside our own VA window */
    adr_l   x1, boot_l1_id
    adr_l   x2, boot_l2_id
    link_table x0, x1, x22, 0
    link_table x1, x2, x22, 1
    pt_index x6, x22, 2
    ldr     x4, =PTE_NORMAL_RWX | PT_BLOCK
    bic     x7, x22, #(SZ_2M - 1)
    orr     x4, x4, x7
    str     x4, [x2, x6, lsl #3]
    dsb     sy
    ret

/* Turn on stage-1 translation for EL2 with the boot tables. Runs at the
 * physical address; returns through the identity mapping. */
enable_mmu:
    ldr     x0, =MAIR_EL2_VALUE
    msr     mair_el2, x0
    ldr     x0, =TCR_EL2_VALUE
    mrs     x1, id_aa64mmfr0_el1
    and     x1, x1, #7
    cmp     x1, #5                  /* 48 bits of PA is enough for 4 KiB */
    b.ls    1f
    mov     x1, #5
1:  bfi     x0, x1, #TCR_PS_SHIFT, #3
    msr     tcr_el2, x0
    adr_l   x0, boot_l0
    msr     ttbr0_el2, x0
    isb
    tlbi    alle2
    dsb     sy
    isb
    ldr     x0, =SCTLR_EL2_MMU_ON
    msr     sctlr_el2, x0
    isb
    ret

    .text
primary_virt:
    adr_l   x0, cpu_stacks
    add     x0, x0, #STACK_SIZE
    mov     sp, x0
    mov     x29, xzr
    adr_l   x0, hyp_vectors
    msr     vbar_el2, x0
    isb
    mov     x0, x21
    mov     x1, x22
    /* Where PSCI starts the other CPUs: handed to C, which thus never
     * names this file's symbols (the calls run one way, boot code down). */
    adr_l   x2, secondary_entry
    bl      start_hypervisor
    b       halt_forever

secondary_virt:
    adr_l   x0, cpu_stacks
    mov     x1, #STACK_SIZE
    madd    x0, x19, x1, x0
    add     x0, x0, x1
    mov     sp, x0
    mov     x29, xzr
    adr_l   x0, hyp_vectors
    msr     vbar_el2, x0
    isb
    mov     x0, x19
    bl      start_secondary
    b       halt_forever

    .ltorg

    .section .bss.pagetables, "aw", %nobits
    .balign 4096
    .globl  boot_l0
boot_l0:        .space 4096
    .globl  boot_l1
boot_l1:        .space 4096
    .globl  boot_l2
boot_l2:        .space 4096
boot_l3_image:  .space 8192
boot_l3_fixmap: .space 4096
    .globl  boot_l2_fdt
boot_l2_fdt:    .space 4096
boot_l1_id:     .space 4096
boot_l2_id:     .space 4096

    .section .bss.stacks, "aw", %nobits
    .balign 4096
    .globl  cpu_stacks
cpu_stacks:     .space STACK_SIZE * CONFIG_NR_CPUS
