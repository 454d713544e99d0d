/* Which speculation mitigations a CPU gets, and what guests are told, as
 * plain functions of its ID registers and of its firmware's answers.
 *
 * Sources of the facts: Arm's Spectre-BHB whitepaper (affected cores, loop
 * counts, CLRBHB, ECBHB, SMCCC_ARCH_WORKAROUND_3) and Xen 4.17's errata
 * table, whose per-MIDR choices we follow for the loop counts and whose
 * guest-visible answers we reproduce exactly. */
#include <asm/spectre.h>
#include <proxenos/cmdline.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/string.h>

#define MIDR_IMPLEMENTER_SHIFT  24U
#define MIDR_VARIANT_SHIFT      20U
#define MIDR_ARCH_SHIFT         16U
#define MIDR_PARTNUM_SHIFT      4U
#define MIDR_IMPL_ARM           0x41U
#define MIDR_ARCH_BY_ID         0xfU      /* architecture: see the ID registers */

#define PART_CORTEX_A35    0xd04U
#define PART_CORTEX_A53    0xd03U
#define PART_CORTEX_A55    0xd05U
#define PART_CORTEX_A57    0xd07U
#define PART_CORTEX_A72    0xd08U
#define PART_CORTEX_A73    0xd09U
#define PART_CORTEX_A75    0xd0aU
#define PART_CORTEX_A76    0xd0bU
#define PART_NEOVERSE_N1   0xd0cU
#define PART_CORTEX_A77    0xd0dU
#define PART_NEOVERSE_V1   0xd40U
#define PART_CORTEX_A78    0xd41U
#define PART_CORTEX_A78AE  0xd42U
#define PART_CORTEX_X1     0xd44U
#define PART_CORTEX_A710   0xd47U
#define PART_CORTEX_X2     0xd48U
#define PART_NEOVERSE_N2   0xd49U
#define PART_CORTEX_A78C   0xd4bU

/* How a core is mitigated when its ID registers offer nothing better. */
enum core_bhb {
    CORE_UNAFFECTED,
    CORE_LOOP,          /* the branch loop, core_info.loops times */
    CORE_LOOP_OR_WA1,   /* no CSV2: firmware WORKAROUND_1 when offered, else the loop */
    CORE_FIRMWARE,      /* firmware only: WORKAROUND_3, else WORKAROUND_1 */
};

struct core_info {
    uint32_t part;
    const char *name;
    enum core_bhb bhb;
    uint32_t loops;
};

/* Arm cores by part number. The loop counts are Xen 4.17's (Arm's): 8 for
 * Cortex-A72 and A57 (Xen 4.17 loops on A72 r1p0 and later only, and
 * relies on WORKAROUND_1 from firmware for A57 and older A72s; without
 * that firmware it leaves them unmitigated, so we loop there), 24 for
 * Cortex-A76, A77 and Neoverse N1, 32 for the later big cores. Cortex-A78AE
 * is in Arm's list, not in Xen 4.17's. */
static const struct core_info cores[] = {
    { PART_CORTEX_A35, "Cortex-A35", CORE_UNAFFECTED, 0U },
    { PART_CORTEX_A53, "Cortex-A53", CORE_UNAFFECTED, 0U },
    { PART_CORTEX_A55, "Cortex-A55", CORE_UNAFFECTED, 0U },
    { PART_CORTEX_A57, "Cortex-A57", CORE_LOOP_OR_WA1, 8U },
    { PART_CORTEX_A72, "Cortex-A72", CORE_LOOP_OR_WA1, 8U },
    { PART_CORTEX_A73, "Cortex-A73", CORE_FIRMWARE, 0U },
    { PART_CORTEX_A75, "Cortex-A75", CORE_FIRMWARE, 0U },
    { PART_CORTEX_A76, "Cortex-A76", CORE_LOOP, 24U },
    { PART_CORTEX_A77, "Cortex-A77", CORE_LOOP, 24U },
    { PART_NEOVERSE_N1, "Neoverse-N1", CORE_LOOP, 24U },
    { PART_CORTEX_A78, "Cortex-A78", CORE_LOOP, 32U },
    { PART_CORTEX_A78AE, "Cortex-A78AE", CORE_LOOP, 32U },
    { PART_CORTEX_A78C, "Cortex-A78C", CORE_LOOP, 32U },
    { PART_CORTEX_X1, "Cortex-X1", CORE_LOOP, 32U },
    { PART_CORTEX_X2, "Cortex-X2", CORE_LOOP, 32U },
    { PART_CORTEX_A710, "Cortex-A710", CORE_LOOP, 32U },
    { PART_NEOVERSE_N2, "Neoverse-N2", CORE_LOOP, 32U },
    { PART_NEOVERSE_V1, "Neoverse-V1", CORE_LOOP, 32U },
};

static uint32_t midr_part(uint64_t midr)
{
    return (uint32_t)(midr >> MIDR_PARTNUM_SHIFT) & 0xfffU;
}

/* Variant and revision as one number: r1p0 is 0x10. */
static uint32_t midr_rv(uint64_t midr)
{
    return (((uint32_t)(midr >> MIDR_VARIANT_SHIFT) & 0xfU) << 4U) | ((uint32_t)midr & 0xfU);
}

static const struct core_info *find_core(uint64_t midr)
{
    uint32_t impl = (uint32_t)(midr >> MIDR_IMPLEMENTER_SHIFT) & 0xffU;
    uint32_t arch = (uint32_t)(midr >> MIDR_ARCH_SHIFT) & 0xfU;

    if ((impl != MIDR_IMPL_ARM) || (arch != MIDR_ARCH_BY_ID)) {
        return NULL;
    }
    for (size_t i = 0U; i < ARRAY_SIZE(cores); i++) {
        if (cores[i].part == midr_part(midr)) {
            return &cores[i];
        }
    }
    return NULL;
}

const char *spectre_core_name(uint64_t midr)
{
    const struct core_info *c = find_core(midr);

    return (c != NULL) ? c->name : NULL;
}

static uint32_t id_field(uint64_t reg, uint32_t shift)
{
    return (uint32_t)(reg >> shift) & 0xfU;
}

static struct bhb_choice choice(enum bhb_kind kind, uint32_t loops)
{
    struct bhb_choice c = { kind, loops };

    return c;
}

struct bhb_choice spectre_bhb_choose(const struct spectre_cpu_regs *r, const struct spectre_fw *fw)
{
    const struct core_info *c = find_core(r->midr);
    enum core_bhb bhb = (c != NULL) ? c->bhb : CORE_UNAFFECTED;
    uint32_t csv2 = id_field(r->pfr0, ID_AA64PFR0_CSV2_SHIFT);

    if (csv2 >= 3U) {
        return choice(BHB_NONE_CSV2_3, 0U);
    }
    if (id_field(r->mmfr1, ID_AA64MMFR1_ECBHB_SHIFT) != 0U) {
        return choice(BHB_NONE_ECBHB, 0U);
    }
    if (id_field(r->isar2, ID_AA64ISAR2_CLRBHB_SHIFT) != 0U) {
        return choice(BHB_CLRBHB, 0U);
    }
    switch (bhb) {
    case CORE_LOOP_OR_WA1:
        /* One firmware call on entry covers Spectre v2 and the history. */
        if ((csv2 == 0U) && (fw->wa1 == SMCCC_RET_SUCCESS)) {
            return choice(BHB_FW_WA1, 0U);
        }
        return choice(BHB_LOOP, c->loops);
    case CORE_LOOP:
        return choice(BHB_LOOP, c->loops);
    case CORE_FIRMWARE:
        if (fw->wa3 == SMCCC_RET_SUCCESS) {
            return choice(BHB_FW_WA3, 0U);
        }
        if (fw->wa3 == SMCCC_RET_NOT_REQUIRED) {
            return choice(BHB_NOT_AFFECTED, 0U);
        }
        if (fw->wa1 == SMCCC_RET_SUCCESS) {
            return choice(BHB_FW_WA1, 0U);
        }
        return choice(BHB_UNMITIGATED, 0U);
    case CORE_UNAFFECTED:
    default:
        /* A core our tables do not list, which firmware knows needs it. */
        if (fw->wa3 == SMCCC_RET_SUCCESS) {
            return choice(BHB_FW_WA3, 0U);
        }
        return choice(BHB_NOT_AFFECTED, 0U);
    }
}

const char *spectre_bhb_kind_name(enum bhb_kind kind)
{
    switch (kind) {
    case BHB_NOT_AFFECTED: return "none, not a known affected core";
    case BHB_NONE_CSV2_3: return "none, CSV2_3";
    case BHB_NONE_ECBHB: return "none, ECBHB";
    case BHB_CLRBHB: return "clrbhb";
    case BHB_LOOP: return "loop";
    case BHB_FW_WA3: return "firmware SMCCC_ARCH_WORKAROUND_3";
    case BHB_FW_WA1: return "firmware SMCCC_ARCH_WORKAROUND_1";
    case BHB_UNMITIGATED: return "NONE AVAILABLE, affected but firmware offers no workaround";
    default: return "?";
    }
}

/* Xen 4.17 sets ARM_HARDEN_BRANCH_PREDICTOR for Cortex-A57 (all) and
 * Cortex-A72 r0p0-r1p0, and ARM_WORKAROUND_BHB_SMCC_3 for Cortex-A73 and
 * A75 (all), by MIDR alone, whatever firmware offers; WORKAROUND_1 is
 * advertised for either, WORKAROUND_3 for the second. */
void spectre_xen_guest_caps(uint64_t midr, bool *wa1, bool *wa3)
{
    const struct core_info *c = find_core(midr);
    uint32_t part = (c != NULL) ? c->part : 0U;
    bool harden = (part == PART_CORTEX_A57) ||
                  ((part == PART_CORTEX_A72) && (midr_rv(midr) <= 0x10U));
    bool smcc3 = (part == PART_CORTEX_A73) || (part == PART_CORTEX_A75);

    *wa1 = harden || smcc3;
    *wa3 = smcc3;
}

int spectre_parse_spec_ctrl(const char *s, enum ssbd_state *state)
{
    const char *item = s;
    int rc = 0;

    for (;;) {
        const char *end = strchr(item, ',');

        if (end == NULL) {
            end = item + strlen(item);
        }
        if (strncmp(item, "ssbd=", 5U) == 0) {
            const char *v = item + 5;

            if (cmdline_strcmp(v, "force-disable") == 0) {
                *state = SSBD_FORCE_DISABLE;
            } else if (cmdline_strcmp(v, "runtime") == 0) {
                *state = SSBD_RUNTIME;
            } else if (cmdline_strcmp(v, "force-enable") == 0) {
                *state = SSBD_FORCE_ENABLE;
            } else {
                rc = -EINVAL;
            }
        } else {
            rc = -EINVAL;
        }
        if (*end == '\0') {
            break;
        }
        item = end + 1;
    }
    return rc;
}

struct ssbd_action spectre_ssbd_cpu(enum ssbd_state *state, const struct spectre_fw *fw)
{
    struct ssbd_action a = { false, 0U, false };
    bool required;

    /* Without SMCCC 1.1 nothing can be asked: the state stays as the
     * command line set it. */
    if (!fw->smccc_1_1) {
        return a;
    }
    switch (fw->wa2) {
    case SMCCC_RET_SUCCESS:
        required = true;
        break;
    case SMCCC_WA2_NOT_ON_THIS_CPU:
        required = false;
        break;
    case SMCCC_RET_NOT_REQUIRED:
        *state = SSBD_MITIGATED;
        return a;
    case SMCCC_RET_NOT_SUPPORTED:
        *state = SSBD_UNKNOWN;
        return a;
    default:
        /* No answer SMCCC defines: leave everything as it is (Xen too). */
        return a;
    }
    switch (*state) {
    case SSBD_FORCE_DISABLE:
        a.call_firmware = true;
        a.arg = 0U;
        break;
    case SSBD_RUNTIME:
        if (required) {
            a.call_firmware = true;
            a.arg = 1U;
            a.runtime_callback = true;
        }
        break;
    case SSBD_FORCE_ENABLE:
        a.call_firmware = true;
        a.arg = 1U;
        break;
    case SSBD_UNKNOWN:
    case SSBD_MITIGATED:
    default:
        /* An earlier CPU settled it: nothing for this one to change. */
        break;
    }
    return a;
}

int32_t spectre_ssbd_guest_answer(enum ssbd_state state)
{
    switch (state) {
    case SSBD_RUNTIME:
        return SMCCC_RET_SUCCESS;
    case SSBD_FORCE_ENABLE:
    case SSBD_MITIGATED:
        return SMCCC_RET_NOT_REQUIRED;
    case SSBD_UNKNOWN:
    case SSBD_FORCE_DISABLE:
    default:
        return SMCCC_RET_NOT_SUPPORTED;
    }
}

const char *spectre_ssbd_name(enum ssbd_state state)
{
    switch (state) {
    case SSBD_UNKNOWN: return "unknown (firmware cannot change it)";
    case SSBD_FORCE_DISABLE: return "force-disable";
    case SSBD_RUNTIME: return "runtime";
    case SSBD_FORCE_ENABLE: return "force-enable";
    case SSBD_MITIGATED: return "mitigated (always on in firmware)";
    default: return "?";
    }
}
