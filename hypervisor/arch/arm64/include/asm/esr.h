/* The syndrome of a trap from a guest (ESR_EL2), taken apart by name, so
 * that each decoder reads fields rather than shifts and masks. Field
 * positions are the Arm ARM's (D17.2.37, ESR_ELx); only the classes and
 * fields Proxenos decodes are here. */
#ifndef ASM_ESR_H
#define ASM_ESR_H

#include <proxenos/types.h>

/* ---- All classes ---------------------------------------------------------- */

static inline unsigned int esr_ec(uint64_t esr)
{
    return (unsigned int)(esr >> 26) & 0x3fU;
}

/* The trapped instruction was 32 bits long (IL). */
static inline bool esr_il32(uint64_t esr)
{
    return ((esr >> 25) & 1U) != 0U;
}

static inline uint32_t esr_iss(uint64_t esr)
{
    return (uint32_t)esr & 0x1ffffffU;
}

/* ---- Data and instruction aborts (EC 0x24, 0x20) --------------------------- */

/* The fields below describe the access (ISV): a device model can emulate it. */
static inline bool abort_isv(uint32_t iss)
{
    return (iss & (1U << 24)) != 0U;
}

/* Bytes accessed: 1, 2, 4 or 8 (SAS). */
static inline unsigned int abort_access_bytes(uint32_t iss)
{
    return 1U << ((iss >> 22) & 3U);
}

/* A load sign-extends its value (SSE). */
static inline bool abort_sign_extend(uint32_t iss)
{
    return (iss & (1U << 21)) != 0U;
}

/* The register loaded or stored, 31 meaning XZR (SRT). */
static inline unsigned int abort_reg(uint32_t iss)
{
    return (iss >> 16) & 0x1fU;
}

/* The register is 64 bits wide (SF). */
static inline bool abort_reg64(uint32_t iss)
{
    return (iss & (1U << 15)) != 0U;
}

/* The fault was on a stage-1 table walk, not on the access (S1PTW). */
static inline bool abort_on_walk(uint32_t iss)
{
    return (iss & (1U << 7)) != 0U;
}

/* A cache maintenance or address translation instruction, not a load or
 * store (CM). */
static inline bool abort_cache_maint(uint32_t iss)
{
    return (iss & (1U << 8)) != 0U;
}

/* A write (WnR). */
static inline bool abort_write(uint32_t iss)
{
    return (iss & (1U << 6)) != 0U;
}

/* Fault status codes without their level (DFSC/IFSC bits [5:2]). */
#define FSC_TRANSLATION     0x04U
#define FSC_ACCESS_FLAG     0x08U
#define FSC_PERMISSION      0x0cU

static inline uint32_t abort_fsc_kind(uint32_t iss)
{
    return iss & 0x3cU;
}

/* The faulting IPA from HPFAR_EL2 (page) and FAR (offset in the page). */
static inline paddr_t abort_ipa(uint64_t hpfar, uint64_t far)
{
    return ((hpfar & 0x00000ffffffffff0ULL) << 8) | (far & 0xfffU);
}

/* ---- Trapped MSR/MRS (EC 0x18) ------------------------------------------------ */

struct sysreg_access {
    unsigned int op0, op1, crn, crm, op2;
    unsigned int reg;       /* Rt, 31 meaning XZR */
    bool read;              /* MRS */
};

static inline struct sysreg_access sysreg_decode(uint32_t iss)
{
    return (struct sysreg_access){
        .op0 = (iss >> 20) & 3U,
        .op2 = (iss >> 17) & 7U,
        .op1 = (iss >> 14) & 7U,
        .crn = (iss >> 10) & 0xfU,
        .reg = (iss >> 5) & 0x1fU,
        .crm = (iss >> 1) & 0xfU,
        .read = (iss & 1U) != 0U,
    };
}

/* ---- HVC, SMC (EC 0x16, 0x17) and WFI/WFE (EC 0x01) -------------------------- */

static inline uint32_t call_imm16(uint32_t iss)
{
    return iss & 0xffffU;
}

static inline bool wfx_is_wfe(uint32_t iss)
{
    return (iss & 1U) != 0U;
}

#endif
