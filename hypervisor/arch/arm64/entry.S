/*
 * EL2 exception vectors. Every entry saves the same frame (struct
 * trap_frame in asm/trap_frame.h) and calls one C function in traps.c,
 * which reads the syndrome once and picks the handler.
 *
 * There is one vector table per branch-history mitigation (spectre.c
 * picks one per CPU at boot and writes it to VBAR_EL2): the lower-EL slots
 * of each run their mitigation first, before any branch the guest could
 * have trained, then branch to the common stubs. No flag is tested on the
 * way in. hyp_vectors runs nothing extra.
 */
#include <asm/spectre.h>
#include <asm/trap_frame.h>

/* x0-x17 to and from their frame slots: every entry saves them first. */
.macro save_x0_x17
    stp     x0, x1, [sp, #16 * 0]
    stp     x2, x3, [sp, #16 * 1]
    stp     x4, x5, [sp, #16 * 2]
    stp     x6, x7, [sp, #16 * 3]
    stp     x8, x9, [sp, #16 * 4]
    stp     x10, x11, [sp, #16 * 5]
    stp     x12, x13, [sp, #16 * 6]
    stp     x14, x15, [sp, #16 * 7]
    stp     x16, x17, [sp, #16 * 8]
.endm

.macro load_x0_x17
    ldp     x0, x1, [sp, #16 * 0]
    ldp     x2, x3, [sp, #16 * 1]
    ldp     x4, x5, [sp, #16 * 2]
    ldp     x6, x7, [sp, #16 * 3]
    ldp     x8, x9, [sp, #16 * 4]
    ldp     x10, x11, [sp, #16 * 5]
    ldp     x12, x13, [sp, #16 * 6]
    ldp     x14, x15, [sp, #16 * 7]
    ldp     x16, x17, [sp, #16 * 8]
.endm

.macro save_frame
    sub     sp, sp, #TRAP_FRAME_SIZE
    save_x0_x17
    stp     x18, x19, [sp, #16 * 9]
    stp     x20, x21, [sp, #16 * 10]
    stp     x22, x23, [sp, #16 * 11]
    stp     x24, x25, [sp, #16 * 12]
    stp     x26, x27, [sp, #16 * 13]
    stp     x28, x29, [sp, #16 * 14]
    add     x0, sp, #TRAP_FRAME_SIZE
    stp     x30, x0, [sp, #16 * 15]
    mrs     x0, elr_el2
    mrs     x1, spsr_el2
    stp     x0, x1, [sp, #TRAP_FRAME_ELR]
    mrs     x0, esr_el2
    mrs     x1, far_el2
    stp     x0, x1, [sp, #TRAP_FRAME_ESR]
    /* A frame record so backtraces walk through the exception. */
    ldr     x0, [sp, #TRAP_FRAME_ELR]
    stp     x29, x0, [sp, #TRAP_FRAME_FP_RECORD]
    add     x29, sp, #TRAP_FRAME_FP_RECORD
.endm

.macro restore_frame_and_return
    ldp     x0, x1, [sp, #TRAP_FRAME_ELR]
    msr     elr_el2, x0
    msr     spsr_el2, x1
    load_x0_x17
    ldp     x18, x19, [sp, #16 * 9]
    ldp     x20, x21, [sp, #16 * 10]
    ldp     x22, x23, [sp, #16 * 11]
    ldp     x24, x25, [sp, #16 * 12]
    ldp     x26, x27, [sp, #16 * 13]
    ldp     x28, x29, [sp, #16 * 14]
    ldr     x30, [sp, #16 * 15]
    add     sp, sp, #TRAP_FRAME_SIZE
    eret
    dsb     nsh
    isb
.endm

/* One vector slot: 128 bytes (32 instructions), so only a branch fits,
 * or a short mitigation sequence and a branch. */
.macro vector_entry target
    .balign 128
    b       \target
.endm

/*
 * The mitigations, each run in a lower-EL slot with the guest's registers
 * live: whatever they use is saved below SP_EL2 (the top of this CPU's
 * stack, where the frame is built next) and restored. SP stays 16-aligned.
 */

/* Taken branches enough to overwrite the branch history (k = 8, 24 or 32
 * by core), then a barrier so that nothing runs ahead of the loop. */
.macro mitigate_bhb_loop k
    str     x0, [sp, #-16]!
    mov     x0, #\k
1:  b       . + 4
    subs    x0, x0, #1
    b.ne    1b
    dsb     nsh
    isb
    ldr     x0, [sp], #16
.endm

/* FEAT_CLRBHB: CLRBHB is HINT #22 (assemblers may not know the name). */
.macro mitigate_bhb_clrbhb k
    hint    #22
    isb
.endm

/* An SMCCC 1.1 firmware call (ARCH_WORKAROUND_1 or _3, fid k): it may
 * change x0-x3 only. */
.macro mitigate_fw_call k
    stp     x0, x1, [sp, #-32]!
    stp     x2, x3, [sp, #16]
    movz    w0, #((\k) & 0xffff)
    movk    w0, #((\k) >> 16), lsl #16
    smc     #0
    ldp     x2, x3, [sp, #16]
    ldp     x0, x1, [sp], #32
.endm

.macro mitigated_entry target, how, k
    .balign 128
    \how    \k
    b       \target
.endm

/* A whole table: the EL2 slots as in hyp_vectors, the guest slots with
 * the mitigation. */
.macro mitigated_vectors name, how, k
    .balign 2048
    .globl  \name
\name:
    vector_entry el2t_sync
    vector_entry el2t_irq
    vector_entry el2t_fiq
    vector_entry el2t_serror
    vector_entry el2h_sync
    vector_entry el2h_irq
    vector_entry el2h_fiq
    vector_entry el2h_serror
    mitigated_entry guest64_sync, \how, \k
    mitigated_entry guest64_irq, \how, \k
    mitigated_entry guest64_fiq, \how, \k
    mitigated_entry guest64_serror, \how, \k
    mitigated_entry guest32_sync, \how, \k
    mitigated_entry guest32_irq, \how, \k
    mitigated_entry guest32_fiq, \how, \k
    mitigated_entry guest32_serror, \how, \k
.endm

.macro trap_stub name, kind
\name:
    save_frame
    mov     x0, sp
    mov     x1, #\kind
    bl      do_trap
/* Labels only, for bench/breakdown.py: the way back out of a stub. */
\name\()_ret:
    restore_frame_and_return
.endm

    .section .text.vectors, "ax"
    .balign 2048
    .globl  hyp_vectors
hyp_vectors:
    /* Current EL with SP_EL0: we never run on SP_EL0. */
    vector_entry el2t_sync
    vector_entry el2t_irq
    vector_entry el2t_fiq
    vector_entry el2t_serror
    /* Current EL with SP_EL2: the hypervisor itself. */
    vector_entry el2h_sync
    vector_entry el2h_irq
    vector_entry el2h_fiq
    vector_entry el2h_serror
    /* Lower EL, AArch64: guests. */
    vector_entry guest64_sync
    vector_entry guest64_irq
    vector_entry guest64_fiq
    vector_entry guest64_serror
    /* Lower EL, AArch32. */
    vector_entry guest32_sync
    vector_entry guest32_irq
    vector_entry guest32_fiq
    vector_entry guest32_serror

    /* The same with a branch-history mitigation (spectre.c chooses). */
    mitigated_vectors hyp_vectors_bhb_loop8, mitigate_bhb_loop, 8
    mitigated_vectors hyp_vectors_bhb_loop24, mitigate_bhb_loop, 24
    mitigated_vectors hyp_vectors_bhb_loop32, mitigate_bhb_loop, 32
    mitigated_vectors hyp_vectors_bhb_clrbhb, mitigate_bhb_clrbhb, 0
    mitigated_vectors hyp_vectors_fw_wa1, mitigate_fw_call, SMCCC_ARCH_WORKAROUND_1
    mitigated_vectors hyp_vectors_fw_wa3, mitigate_fw_call, SMCCC_ARCH_WORKAROUND_3

    .text
trap_stub el2t_sync, TRAP_HYP_BAD
trap_stub el2t_irq, TRAP_HYP_BAD
trap_stub el2t_fiq, TRAP_HYP_BAD
trap_stub el2t_serror, TRAP_HYP_BAD
trap_stub el2h_sync, TRAP_HYP_SYNC
trap_stub el2h_irq, TRAP_HYP_IRQ
trap_stub el2h_fiq, TRAP_HYP_BAD
trap_stub el2h_serror, TRAP_HYP_SERROR
trap_stub guest64_irq, TRAP_GUEST_IRQ
trap_stub guest64_fiq, TRAP_HYP_BAD
trap_stub guest64_serror, TRAP_GUEST_SERROR
trap_stub guest32_sync, TRAP_GUEST_SYNC
trap_stub guest32_irq, TRAP_GUEST_IRQ
trap_stub guest32_fiq, TRAP_HYP_BAD
trap_stub guest32_serror, TRAP_GUEST_SERROR

/*
 * A synchronous exit of a 64-bit guest: first the fast path (trap_fast.c),
 * with only the registers a C call may clobber saved (x0-x18, x29, x30;
 * the callee-saved x19-x28 survive the call in place). x29 is zeroed so a
 * backtrace taken in there ends at this frame. When guest_sync_fast()
 * answers TRAP_FAST_DONE, those registers come back and the guest
 * continues: ELR_EL2 and SPSR_EL2 were never touched. Otherwise the frame
 * is completed as save_frame would have made it (x19-x28 still hold the
 * guest's values; ELR, SPSR, ESR and FAR are still those of this
 * exception: interrupts are masked and an EL2 fault is fatal) and the
 * ordinary path goes on from where the fast one stopped.
 */
guest64_sync:
    sub     sp, sp, #TRAP_FRAME_SIZE
    save_x0_x17
    str     x18, [sp, #8 * 18]
    stp     x29, x30, [sp, #8 * 29]
    mov     x29, xzr
    mov     x0, sp
    mrs     x1, esr_el2
    bl      guest_sync_fast
    cbnz    w0, 2f
/* The labels guest64_sync_*: no code, only names for bench/breakdown.py
 * (the save, the fast path's return, its load of x19-x28, the frame's
 * completion, the return). */
guest64_sync_fast_ret:
3:  load_x0_x17
    ldr     x18, [sp, #8 * 18]
    ldp     x29, x30, [sp, #8 * 29]
    add     sp, sp, #TRAP_FRAME_SIZE
    eret
    dsb     nsh
    isb
    /* TRAP_FAST_LOADED: load x<n> (19-28, bits 8-15) from its slot, through
     * a table of two-instruction entries, then return as above. */
guest64_sync_loaded:
2:  and     w1, w0, #TRAP_FAST_HOW_MASK
    cmp     w1, #TRAP_FAST_LOADED
    b.ne    1f
    ubfx    x1, x0, #TRAP_FAST_REG_SHIFT, #8
    sub     x1, x1, #19
    adr     x2, 4f
    add     x2, x2, x1, lsl #3
    br      x2
4:
    .irp    n, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28
    ldr     x\n, [sp, #8 * \n]
    b       3b
    .endr
guest64_sync_full:
1:  str     x19, [sp, #8 * 19]
    stp     x20, x21, [sp, #8 * 20]
    stp     x22, x23, [sp, #8 * 22]
    stp     x24, x25, [sp, #8 * 24]
    stp     x26, x27, [sp, #8 * 26]
    str     x28, [sp, #8 * 28]
    add     x2, sp, #TRAP_FRAME_SIZE
    str     x2, [sp, #8 * 31]
    mrs     x2, elr_el2
    mrs     x3, spsr_el2
    stp     x2, x3, [sp, #TRAP_FRAME_ELR]
    mrs     x3, esr_el2
    mrs     x4, far_el2
    stp     x3, x4, [sp, #TRAP_FRAME_ESR]
    stp     xzr, x2, [sp, #TRAP_FRAME_FP_RECORD]
    add     x29, sp, #TRAP_FRAME_FP_RECORD
    mov     w1, w0
    mov     x0, sp
    bl      guest_sync_finish
guest64_sync_ret:
    restore_frame_and_return

/* Enter the guest whose registers are in the frame at x0 (the frame slot at
 * the top of this CPU's stack). Does not return: the next trap from the
 * guest saves its frame at the same place. */
    .globl  guest_enter
guest_enter:
    mov     sp, x0
    restore_frame_and_return

/* Continue in fn (x1) on a fresh stack whose top is x0: the current stack
 * is abandoned (used to go idle from a trap handler). */
    .globl  reset_stack_and_call
reset_stack_and_call:
    mov     sp, x0
    mov     x29, xzr
    blr     x1
    b       halt_forever

/* Copy the trap frame at x1 to x0 (both 8-byte aligned, in normal
 * memory): what a vCPU switch does twice, unrolled in pairs so that it
 * costs 38 loads and stores rather than a general memcpy's loop. */
.if TRAP_FRAME_SIZE != 304
    .error "trap_frame_copy copies 304 bytes"
.endif
    .globl  trap_frame_copy
trap_frame_copy:
    .irp    off, 0, 16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 272, 288
    ldp     x2, x3, [x1, #\off]
    stp     x2, x3, [x0, #\off]
    .endr
    ret
