/* The register frame every exception entry saves on the EL2 stack. */
#ifndef ASM_TRAP_FRAME_H
#define ASM_TRAP_FRAME_H

#define TRAP_FRAME_ELR        256
#define TRAP_FRAME_ESR        272
#define TRAP_FRAME_FP_RECORD  288
#define TRAP_FRAME_SIZE       304

/* Which vector was taken (second argument of do_trap). */
#define TRAP_HYP_SYNC      0
#define TRAP_HYP_IRQ       1
#define TRAP_HYP_SERROR    2
#define TRAP_HYP_BAD       3
#define TRAP_GUEST_SYNC    4
#define TRAP_GUEST_IRQ     5
#define TRAP_GUEST_SERROR  6

/* What guest_sync_fast() answers entry.S. */
#define TRAP_FAST_DONE     0    /* handled; return with x0-x18, x29, x30 */
#define TRAP_FAST_LEAVE    1    /* handled; complete the frame, then leave_to_guest */
#define TRAP_FAST_FULL     2    /* not handled; complete the frame, then guest_trap */
#define TRAP_FAST_REFUSED  3    /* an MMIO access refused; the frame, then a data abort */
/* An emulated load into x19-x28 (register number in bits 8-15): its value
 * is in the frame's slot for that register, which entry.S loads before
 * returning; ..._LEAVE: the same, then the frame and leave_to_guest
 * (guest_sync_finish puts the value back, which completing the frame
 * overwrote with the register's old one). */
#define TRAP_FAST_LOADED        4
#define TRAP_FAST_LOADED_LEAVE  5
#define TRAP_FAST_HOW_MASK      0xff
#define TRAP_FAST_REG_SHIFT     8
/* A done code's _LEAVE is that code with TRAP_FAST_LEAVE (bit 0) added. */

#ifndef __ASSEMBLY__
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

struct trap_frame {
    uint64_t x[31];
    uint64_t sp;        /* stack pointer at the time of the exception */
    uint64_t elr;
    uint64_t spsr;
    uint64_t esr;
    uint64_t far;
    uint64_t fp_record[2];
};

_Static_assert(offsetof(struct trap_frame, elr) == TRAP_FRAME_ELR, "frame layout");
_Static_assert(offsetof(struct trap_frame, esr) == TRAP_FRAME_ESR, "frame layout");
_Static_assert(offsetof(struct trap_frame, fp_record) == TRAP_FRAME_FP_RECORD, "frame layout");
_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE, "frame layout");

void do_trap(struct trap_frame *f, unsigned int kind);
void trap_frame_copy(struct trap_frame *to, const struct trap_frame *from);
void guest_trap(struct trap_frame *f, bool is_irq);
void guest_serror(struct trap_frame *f);
unsigned int guest_sync_fast(struct trap_frame *f, uint64_t esr);
void guest_sync_finish(struct trap_frame *f, unsigned int how);
#endif

#endif
