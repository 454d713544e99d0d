/*
 * EL1 exception vectors. Every entry saves the full register file into an
 * exc_frame on the current stack (layout in exceptions.h) and calls
 * exception_entry(frame, kind); returning from it restores the frame, so
 * a handler may change frame->elr or registers before the ERET.
 */
#define FRAME_SIZE  272     /* x0-x30, ELR, SPSR, pad: 34 * 8 */

.macro ventry kind
    .balign 0x80
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #0]
    mov     x0, #\kind
    b       exc_save
.endm

    .text
    .balign 0x800
    .global exception_vectors
exception_vectors:
    /* Current EL with SP_EL0: kinds 0-3 (sync, irq, fiq, serror) */
    ventry 0
    ventry 1
    ventry 2
    ventry 3
    /* Current EL with SP_ELx: kinds 4-7, the ones a guest kernel takes */
    ventry 4
    ventry 5
    ventry 6
    ventry 7
    /* Lower EL, AArch64: kinds 8-11 (we never run EL0) */
    ventry 8
    ventry 9
    ventry 10
    ventry 11
    /* Lower EL, AArch32: kinds 12-15 */
    ventry 12
    ventry 13
    ventry 14
    ventry 15

exc_save:
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    mrs     x2, elr_el1
    stp     x30, x2, [sp, #240]
    mrs     x3, spsr_el1
    str     x3, [sp, #256]

    mov     x1, x0                  /* kind */
    mov     x0, sp                  /* frame */
    bl      exception_entry

    ldr     x3, [sp, #256]
    msr     spsr_el1, x3
    ldp     x30, x2, [sp, #240]
    msr     elr_el1, x2
    ldp     x28, x29, [sp, #224]
    ldp     x26, x27, [sp, #208]
    ldp     x24, x25, [sp, #192]
    ldp     x22, x23, [sp, #176]
    ldp     x20, x21, [sp, #160]
    ldp     x18, x19, [sp, #144]
    ldp     x16, x17, [sp, #128]
    ldp     x14, x15, [sp, #112]
    ldp     x12, x13, [sp, #96]
    ldp     x10, x11, [sp, #80]
    ldp     x8, x9, [sp, #64]
    ldp     x6, x7, [sp, #48]
    ldp     x4, x5, [sp, #32]
    ldp     x2, x3, [sp, #16]
    ldp     x0, x1, [sp, #0]
    add     sp, sp, #FRAME_SIZE
    eret
