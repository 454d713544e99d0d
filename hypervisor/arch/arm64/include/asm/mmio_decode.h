/* The load or store behind a stage-2 data abort on an emulated device,
 * as trap_dabt.c emulates it: read from the syndrome when the hardware
 * describes the access (ISV), or decoded from the instruction for the one
 * form Xen 4.17 also decodes when it does not: LDR/STR of a general
 * register, immediate post-indexed. Anything else gets a data abort
 * injected, as on Xen. */
#ifndef ASM_MMIO_DECODE_H
#define ASM_MMIO_DECODE_H

#include <asm/esr.h>
#include <proxenos/types.h>

struct mmio_insn {
    unsigned int bytes;     /* 1, 2, 4 or 8 */
    unsigned int rt;        /* register loaded or stored, 31 meaning XZR */
    bool write;
    bool sign_extend;       /* a load sign-extends its value */
    bool rt64;              /* rt is written as a 64-bit register */
    bool writeback;         /* post-indexed: rn += offset once the access is done */
    unsigned int rn;        /* base register, 31 meaning the guest's SP */
    int64_t offset;
};

/* The access an abort syndrome with ISV set describes. Inline: every
 * emulated MMIO access with a syndrome passes here. */
static inline void mmio_insn_from_syndrome(uint32_t iss, struct mmio_insn *m)
{
    *m = (struct mmio_insn){
        .bytes = abort_access_bytes(iss),
        .rt = abort_reg(iss),
        .write = abort_write(iss),
        .sign_extend = abort_sign_extend(iss),
        .rt64 = abort_reg64(iss),
        .writeback = false,
        .rn = 0U,
        .offset = 0,
    };
}

/* Decode the AArch64 instruction word insn: 0, or -EOPNOTSUPP for every
 * instruction but the post-indexed LDR/STR (immediate) of a general
 * register, and for the form of it whose result the architecture leaves
 * unpredictable (base and transfer register the same, not SP). *m is
 * written only on success. */
int mmio_insn_decode(uint32_t insn, struct mmio_insn *m);

struct trap_frame;

/* Once the device answered a load of m: the value into m's register, cut
 * to the access size and sign- or zero-extended as the instruction says
 * (mmio_complete.c). */
void mmio_set_loaded(struct trap_frame *f, const struct mmio_insn *m, uint64_t val);
/* Once a post-indexed access of m is done: its base register update. */
void mmio_write_back(struct trap_frame *f, const struct mmio_insn *m);

#endif
