/*
 * Entry points of every test guest.
 *
 * The file starts with the 64-byte arm64 Linux Image header, so a
 * hypervisor loads the guest exactly as it loads Linux: at the start of
 * RAM bank 0 plus text_offset, entered at EL1 with the MMU off and
 * x0 = guest-physical address of the device tree.
 *
 * Secondary vCPUs come in through secondary_entry (the PSCI CPU_ON entry
 * point) with x0 = the context id, which the library sets to the vCPU's
 * index so it can pick its stack without touching memory first.
 */
#include "config.h"

    .section .text.head, "ax"
    .global _start
_start:
    b       primary_entry           /* code0 */
    .long   0                       /* code1 */
    .quad   0                       /* text_offset: load at RAM base */
    .quad   __image_size            /* image_size, .bss included */
    .quad   0xa                     /* flags: LE, 4K pages, anywhere */
    .quad   0                       /* res2 */
    .quad   0                       /* res3 */
    .quad   0                       /* res4 */
    .ascii  "ARM\x64"               /* magic */
    .long   0                       /* res5: no PE/COFF header */

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
    bl      guest_boot              /* does not return */
    b       park

    .global secondary_entry
secondary_entry:
    mov     x19, x0                 /* context id = vCPU index */
    bl      mmu_enable
    cmp     x19, #GUEST_MAX_VCPUS
    b.hs    park                    /* no stack for it: stay parked */
    cpu_setup x19
    mov     x0, x19
    bl      secondary_boot          /* does not return */

park:
    wfi
    b       park
