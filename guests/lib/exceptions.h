/*
 * EL1 exception handling. IRQs go to irq_dispatch; any other exception
 * is offered to the guest's sync hook, and when nobody claims it the
 * library prints a register dump, reports a failed test and powers off.
 */
#ifndef GUEST_EXCEPTIONS_H
#define GUEST_EXCEPTIONS_H

#include <stdbool.h>
#include <stdint.h>

/* Saved by vectors.S; a hook may change elr (e.g. to skip an instruction). */
struct exc_frame {
    uint64_t x[31];
    uint64_t elr;
    uint64_t spsr;
    uint64_t pad;
};

/* Exception kinds = vector index: 4 * group + {0 sync, 1 irq, 2 fiq, 3 serror}. */
#define EXC_SYNC_SPX    4U
#define EXC_IRQ_SPX     5U
#define EXC_FIQ_SPX     6U
#define EXC_SERROR_SPX  7U

/* ESR_EL1 exception classes the guests look at. */
#define ESR_EC_SHIFT    26U
#define ESR_EC_DABT_CUR 0x25U   /* data abort taken without a change of EL */
#define ESR_EC_IABT_CUR 0x21U

/* Return true when the exception is handled (the frame is then restored). */
typedef bool (*exc_hook_t)(struct exc_frame *f, uint64_t kind, uint64_t esr, uint64_t far);

void exceptions_set_hook(exc_hook_t hook);

const char *exception_kind_name(uint64_t kind);

/* Prints ESR/FAR/ELR/SPSR and x0-x30, a few registers a line. */
void exception_dump(const struct exc_frame *f, uint64_t kind, uint64_t esr, uint64_t far);

/* Called from vectors.S. */
void exception_entry(struct exc_frame *f, uint64_t kind);

#endif
