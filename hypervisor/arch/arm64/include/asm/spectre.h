/* Branch-history injection (Spectre-BHB), branch target injection
 * (Spectre v2) on guest exit, and speculative store bypass (SSBD): what
 * each CPU needs, chosen once at boot, and what guests are told.
 *
 * spectre_policy.c holds the decisions as plain functions of the ID
 * registers and the firmware's answers (host unit tests run them);
 * spectre.c reads the registers, asks the firmware, installs the vector
 * table of the chosen mitigation on each CPU and answers guests. The
 * mitigation itself runs in the lower-EL vector slots (entry.S). */
#ifndef ASM_SPECTRE_H
#define ASM_SPECTRE_H

/* Function IDs are unsigned 32-bit values in C; entry.S uses two. */
#ifdef __ASSEMBLY__
#define SMCCC_FID(x) x
#else
#define SMCCC_FID(x) x##U
#endif

/* SMCCC function IDs and the answers of SMCCC_ARCH_FEATURES. */
#define SMCCC_VERSION_FID          SMCCC_FID(0x80000000)
#define SMCCC_ARCH_FEATURES_FID    SMCCC_FID(0x80000001)
#define SMCCC_ARCH_WORKAROUND_1    SMCCC_FID(0x80008000)
#define SMCCC_ARCH_WORKAROUND_2    SMCCC_FID(0x80007fff)
#define SMCCC_ARCH_WORKAROUND_3    SMCCC_FID(0x80003fff)
#define SMCCC_PSCI_FEATURES_FID    SMCCC_FID(0x8400000a)

#ifndef __ASSEMBLY__
#include <proxenos/types.h>

#define SMCCC_RET_SUCCESS          0
#define SMCCC_RET_NOT_SUPPORTED    (-1)
#define SMCCC_RET_NOT_REQUIRED     (-2)
#define SMCCC_WA2_NOT_ON_THIS_CPU  1      /* ARCH_FEATURES(WORKAROUND_2) only */

/* ID register fields the choice reads. */
#define ID_AA64PFR0_CSV2_SHIFT     56U    /* 3: FEAT_CSV2_3, no BHB problem */
#define ID_AA64MMFR1_ECBHB_SHIFT   60U    /* 1: exception entry clears BHB */
#define ID_AA64ISAR2_CLRBHB_SHIFT  28U    /* 1: the CLRBHB instruction */

/* What runs on exception entry from a guest. */
enum bhb_kind {
    BHB_NOT_AFFECTED,       /* no core we know to be affected */
    BHB_NONE_CSV2_3,        /* FEAT_CSV2_3: branch history cannot be injected */
    BHB_NONE_ECBHB,         /* the CPU clears the history itself (ECBHB) */
    BHB_CLRBHB,             /* CLRBHB (FEAT_CLRBHB) */
    BHB_LOOP,               /* a loop of taken branches, loops times */
    BHB_FW_WA3,             /* SMCCC_ARCH_WORKAROUND_3 to firmware */
    BHB_FW_WA1,             /* SMCCC_ARCH_WORKAROUND_1 to firmware (on cores
                               without CSV2 it clears the history too) */
    BHB_UNMITIGATED,        /* affected, but nothing is available */
};

struct bhb_choice {
    enum bhb_kind kind;
    uint32_t loops;         /* BHB_LOOP only */
};

/* The registers of one CPU that the choice depends on. */
struct spectre_cpu_regs {
    uint64_t midr;
    uint64_t pfr0;          /* ID_AA64PFR0_EL1 */
    uint64_t mmfr1;         /* ID_AA64MMFR1_EL1 */
    uint64_t isar2;         /* ID_AA64ISAR2_EL1 */
};

/* What firmware (EL3) offers, as SMCCC_ARCH_FEATURES answers; all
 * SMCCC_RET_NOT_SUPPORTED when there is no SMCCC 1.1 to ask. */
struct spectre_fw {
    bool smccc_1_1;
    int32_t wa1;
    int32_t wa2;
    int32_t wa3;
};

/* Speculative store bypass, Xen 4.17's states (spec-ctrl=ssbd=...). */
enum ssbd_state {
    SSBD_UNKNOWN,           /* firmware cannot tell or change it */
    SSBD_FORCE_DISABLE,
    SSBD_RUNTIME,           /* the default */
    SSBD_FORCE_ENABLE,
    SSBD_MITIGATED,         /* firmware: always on, nothing to do */
};

/* What the boot of one CPU must do about SSBD. */
struct ssbd_action {
    bool call_firmware;     /* SMCCC_ARCH_WORKAROUND_2 with arg */
    uint64_t arg;
    bool runtime_callback;  /* firmware's mitigation is dynamic on this CPU */
};

/* ---- spectre_policy.c: decisions, no hardware access ------------------- */

/* "Cortex-A72" etc., or NULL for a core the tables do not name. */
const char *spectre_core_name(uint64_t midr);

/* The branch-history mitigation for a CPU. In order: CSV2_3 or ECBHB need
 * nothing; CLRBHB where the CPU has it; on Cortex-A57/A72 the firmware's
 * WORKAROUND_1 when offered (it covers Spectre v2 too), else the loop; the
 * loop for the other listed cores (8, 24 or 32 as Arm gives them);
 * WORKAROUND_3 when firmware offers it; WORKAROUND_1 for the cores whose
 * only mitigation is firmware (Cortex-A73/A75) when WORKAROUND_3 is
 * missing. */
struct bhb_choice spectre_bhb_choose(const struct spectre_cpu_regs *r, const struct spectre_fw *fw);

/* Short text for the boot line: "loop x24", "clrbhb", ... */
const char *spectre_bhb_kind_name(enum bhb_kind kind);

/* Whether Xen 4.17 would tell guests ARCH_WORKAROUND_1 and _3 are
 * implemented on a CPU with this MIDR (its tables decide by MIDR alone). */
void spectre_xen_guest_caps(uint64_t midr, bool *wa1, bool *wa3);

/* "ssbd=force-disable|runtime|force-enable", comma-separated items, as
 * Xen's spec-ctrl. Every item is applied; -EINVAL if any is not known. */
int spectre_parse_spec_ctrl(const char *s, enum ssbd_state *state);

/* One CPU's firmware answer folded into the global state (Xen's
 * has_ssbd_mitigation), and what that CPU must do. */
struct ssbd_action spectre_ssbd_cpu(enum ssbd_state *state, const struct spectre_fw *fw);

/* ARCH_FEATURES(ARCH_WORKAROUND_2) as a guest sees it. */
int32_t spectre_ssbd_guest_answer(enum ssbd_state state);

const char *spectre_ssbd_name(enum ssbd_state state);

/* ---- spectre.c: the running system ------------------------------------- */

/* The boot CPU, once PSCI is known: firmware is called through SMC only
 * (an HVC from EL2 would come back to us). Chooses and installs CPU 0's
 * mitigation and prints the SSBD state. */
void spectre_init(bool firmware_smc);

/* Each secondary CPU, early in its start: choose, install, print. */
void spectre_cpu_init(unsigned int cpu);

/* ---- spectre_guest.c: what guests see ---------------------------------- */

/* A CPU came up offering guests WORKAROUND_1 (wa1) and _3 (wa3), with the
 * system's SSBD state now state: guests are offered a workaround once any
 * CPU needs it. Returns whether WORKAROUND_1 or _3 is newly offered. */
bool spectre_guest_offer(bool wa1, bool wa3, enum ssbd_state state);

/* SMCCC_ARCH_FEATURES for the three workarounds, as Xen 4.17 answers on
 * the same CPUs; SMCCC_RET_NOT_SUPPORTED for any other fid. */
int32_t spectre_guest_arch_features(uint32_t fid);

/* A guest's ARCH_WORKAROUND_1/2/3 call (arg: x1, WORKAROUND_2 only). */
void spectre_guest_workaround(uint32_t fid, uint64_t arg);

/* The vector tables of entry.S, one per mitigation, 2 KiB each, beside
 * hyp_vectors (asm/arm64.h), which runs nothing extra. */
extern char hyp_vectors_bhb_loop8[];
extern char hyp_vectors_bhb_loop24[];
extern char hyp_vectors_bhb_loop32[];
extern char hyp_vectors_bhb_clrbhb[];
extern char hyp_vectors_fw_wa1[];
extern char hyp_vectors_fw_wa3[];

#endif /* !__ASSEMBLY__ */

#endif
