/* What an MMIO access does, from its syndrome or its instruction word
 * (asm/mmio_decode.h). The instruction form is the Arm ARM's "load/store
 * register (immediate post-indexed)" class (C4.1.4):
 *
 *   31-30 size | 29-27 111 | 26 V | 25-24 00 | 23-22 opc | 21 0 |
 *   20-12 imm9 | 11-10 01 | 9-5 Rn | 4-0 Rt
 */
#include <asm/esr.h>
#include <asm/mmio_decode.h>
#include <proxenos/errno.h>

/* The bits that name the class, and their values in it. */
#define POST_INDEX_MASK   0x3b200c00U
#define POST_INDEX_VALUE  0x38000400U

#define INSN_VECTOR       (1U << 26)   /* V: a SIMD&FP register */
#define OPC_STORE         0U
#define OPC_LOAD          1U           /* zero-extending; 2 and 3 sign-extend or prefetch */
#define REG_SP_OR_ZR      31U

/* imm9 is a two's complement byte offset. */
static int64_t imm9_value(uint32_t insn)
{
    int64_t imm = (int64_t)((insn >> 12) & 0x1ffU);

    return (imm >= 0x100) ? (imm - 0x200) : imm;
}

int mmio_insn_decode(uint32_t insn, struct mmio_insn *m)
{
    unsigned int size = (insn >> 30) & 3U;
    unsigned int opc = (insn >> 22) & 3U;
    unsigned int rn = (insn >> 5) & 0x1fU;
    unsigned int rt = insn & 0x1fU;

    if (((insn & POST_INDEX_MASK) != POST_INDEX_VALUE) || ((insn & INSN_VECTOR) != 0U)) {
        return -EOPNOTSUPP;
    }
    if ((opc != OPC_STORE) && (opc != OPC_LOAD)) {
        return -EOPNOTSUPP;
    }
    /* Writing back into the register just loaded or stored: the Arm ARM
     * lets the CPU do one of several things; Xen refuses it too. */
    if ((rn == rt) && (rn != REG_SP_OR_ZR)) {
        return -EOPNOTSUPP;
    }
    *m = (struct mmio_insn){
        .bytes = 1U << size,
        .rt = rt,
        .write = (opc == OPC_STORE),
        .sign_extend = false,
        .rt64 = (size == 3U),
        .writeback = true,
        .rn = rn,
        .offset = imm9_value(insn),
    };
    return 0;
}
