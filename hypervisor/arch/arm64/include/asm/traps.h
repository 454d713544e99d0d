/* Guest traps: the syndrome read once, and one handler per exception
 * class. */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

#include <asm/trap_frame.h>
#include <proxenos/domain.h>

struct trap_info {
    uint64_t esr;
    unsigned int ec;        /* exception class, ESR[31:26] */
    uint32_t iss;           /* ESR[24:0] */
    bool il32;              /* 32-bit instruction (advance PC by 4) */
    uint64_t far;
    paddr_t gpa;            /* faulting IPA for stage-2 aborts */
};

#define EC_UNKNOWN   0x00U
#define EC_WFX       0x01U
#define EC_HVC64     0x16U
#define EC_SMC64     0x17U
#define EC_SYSREG    0x18U
#define EC_IABT_LOW  0x20U
#define EC_DABT_LOW  0x24U

typedef void (*trap_handler_t)(struct vcpu *v, struct trap_frame *f, const struct trap_info *t);

void trap_wfx(struct vcpu *v, struct trap_frame *f, const struct trap_info *t);
void trap_hvc(struct vcpu *v, struct trap_frame *f, const struct trap_info *t);
void trap_smc(struct vcpu *v, struct trap_frame *f, const struct trap_info *t);
void trap_sysreg(struct vcpu *v, struct trap_frame *f, const struct trap_info *t);
void trap_dabt(struct vcpu *v, struct trap_frame *f, const struct trap_info *t);
void trap_iabt(struct vcpu *v, struct trap_frame *f, const struct trap_info *t);

/* Step over the trapped instruction. */
static inline void advance_pc(struct trap_frame *f, const struct trap_info *t)
{
    f->elr += t->il32 ? 4U : 2U;
}

/* Deliver an exception to the guest's own EL1 vectors. */
void inject_undef(struct vcpu *v, struct trap_frame *f);
void inject_dabt(struct vcpu *v, struct trap_frame *f, uint64_t addr);
void inject_iabt(struct vcpu *v, struct trap_frame *f, uint64_t addr);

/* Guest-physical frame slot at the top of this CPU's stack. */
struct trap_frame *guest_frame(void);

/* HVC #imm from a 64-bit guest: a Xen hypercall (#0xEA1) or an SMCCC
 * call (#0), answered in f->x[]. Reads and writes only x0-x5 and x16 of
 * the frame, so it may run on the fast path (trap_fast.c). False for any
 * other immediate (the caller injects an undefined instruction); *rewind
 * true when the guest must execute the HVC again (a continuation). */
bool hvc_call(struct vcpu *v, struct trap_frame *f, uint32_t imm, bool *rewind);

/* The highest x<n> entry.S saves before guest_sync_fast() runs. */
#define FAST_SAVED_LAST_REG 18U
/* Emulated loads into x19 up to this one take the fast path too: entry.S
 * loads the one register from the frame (TRAP_FAST_LOADED). */
#define FAST_LOADED_LAST_REG 28U

enum fast_dabt {
    FAST_DABT_NO,           /* not for the fast path; nothing done */
    FAST_DABT_DONE,         /* emulated, PC stepped */
    FAST_DABT_LOADED,       /* emulated, a load into x19-x28: its frame slot */
    FAST_DABT_REFUSED,      /* the device model refused: a data abort is due */
};

/* A data abort on the fast path (trap_dabt.c; see there), and the data
 * abort for one it found refused, once the frame is whole. */
enum fast_dabt trap_dabt_fast(struct vcpu *v, struct trap_frame *f, const struct trap_info *t);
void trap_dabt_refused(struct vcpu *v, struct trap_frame *f, const struct trap_info *t);

/* SMCCC/PSCI calls from a guest (HVC #0 or SMC #0): 0 if handled. */
bool vsmccc_handle(struct vcpu *v, struct trap_frame *f);

#endif
