/*
 * Entry points of every test guest.
 *
 * The image starts with the 64-byte arm64 Linux Image header, so a
 * hypervisor loads the guest exactly as it loads Linux: at the start of
 * RAM bank 0 plus text_offset, entered at EL1 with the MMU off and
 * x0 = guest-physical address of the device tree.
 *
 * Secondary vCPUs come in through secondary_entry (the PSCI CPU_ON entry
 * point) with x0 = the context id, which the library sets to the vCPU's
 * index so it can pick its stack without touching memory first.
 */
#include "config.h"

/*
 * Only code0 is here; guest.lds writes the other 60 bytes of the header
 * (text_offset 0, image_size, flags 0xa, magic "ARM\x64") right after it,
 * because image_size is a link-time value that the assembler cannot emit
 * without a relocation, and this is a PIE.
 */
    .section .text.head, "ax"
    .global _start
_start:
    b       primary_entry           /* code0 */

/*
 * Per-vCPU setup shared by both entries: TPIDR_EL1 = index, SP = top of
 * this vCPU's stack, VBAR_EL1 = our vectors. \idx must not be x1/x2.
 */
.macro cpu_setup idx
    msr     tpidr_el1, \idx
    adrp    x1, guest_stacks
    add     x1, x1, :lo12:guest_stacks
    add     x2, \idx, #1
    lsl     x2, x2, #GUEST_STACK_SHIFT
    add     x1, x1, x2
    mov     sp, x1
    adrp    x1, exception_vectors
    add     x1, x1, :lo12:exception_vectors
    msr     vbar_el1, x1
    isb
.endm

    .text
primary_entry:
    mov     x19, x0                 /* keep the DTB address out of memory */
    bl      mmu_enable              /* before any store: see mmu.S */
    bl      relocate

    /* Zero .bss (16-byte aligned by the linker script); stacks live there. */
    adrp    x0, __bss_start
    add     x0, x0, :lo12:__bss_start
    adrp    x1, __bss_end
    add     x1, x1, :lo12:__bss_end
1:  cmp     x0, x1
    b.hs    2f
    stp     xzr, xzr, [x0], #16
    b       1b
2:
    mov     x20, #0
    cpu_setup x20
    mov     x0, x19
    adr     x1, _start              /* where we run, for the record */
    bl      guest_boot              /* does not return */
    b       park

/*
 * The image is linked as a static PIE, so it runs wherever it is loaded
 * (Image header flag bit 3): Xen 4.17 puts it at RAM base + text_offset,
 * QEMU's own loader 2 MiB higher. Apply every R_AARCH64_RELATIVE entry of
 * .rela.dyn with the load offset; always, since the linker may leave the
 * places zero. x0-x7 only, no stack.
 */
#define R_AARCH64_RELATIVE 1027
relocate:
    adr     x0, _start
    ldr     x1, =GUEST_LOAD_ADDR
    sub     x0, x0, x1              /* load offset */
    adrp    x2, __rela_start
    add     x2, x2, :lo12:__rela_start
    adrp    x3, __rela_end
    add     x3, x3, :lo12:__rela_end
1:  cmp     x2, x3
    b.hs    3f
    ldp     x4, x5, [x2]            /* r_offset, r_info */
    ldr     x6, [x2, #16]           /* r_addend */
    add     x2, x2, #24
    cmp     x5, #R_AARCH64_RELATIVE
    b.ne    1b                      /* nothing else is expected in a static PIE */
    add     x4, x4, x0
    add     x6, x6, x0
    str     x6, [x4]
    b       1b
3:  ret

    .global secondary_entry
secondary_entry:
    mov     x19, x0                 /* context id = vCPU index */
    bl      mmu_enable
    cmp     x19, #GUEST_LIB_MAX_VCPUS
    b.hs    park                    /* no stack for it: stay parked */
    cpu_setup x19
    mov     x0, x19
    bl      secondary_boot          /* does not return */

park:
    wfi
    b       park
