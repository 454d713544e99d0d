/* What guests are told of the speculation mitigations (SMCCC_ARCH_FEATURES)
 * and their workaround calls. Apart from spectre.c, which installs entry.S's
 * vector tables: guests reach this file from the trap path (vsmccc.c), so
 * it must not lead back to entry.S. spectre.c tells it what each CPU
 * offers as the CPUs come up, one at a time. */
#include <asm/spectre.h>

static enum ssbd_state ssbd = SSBD_RUNTIME;
static bool guest_wa1;
static bool guest_wa3;

bool spectre_guest_offer(bool wa1, bool wa3, enum ssbd_state state)
{
    bool changed = (wa1 && !guest_wa1) || (wa3 && !guest_wa3);

    guest_wa1 = guest_wa1 || wa1;
    guest_wa3 = guest_wa3 || wa3;
    ssbd = state;
    return changed;
}

int32_t spectre_guest_arch_features(uint32_t fid)
{
    switch (fid) {
    case SMCCC_ARCH_WORKAROUND_1:
        return guest_wa1 ? SMCCC_RET_SUCCESS : SMCCC_RET_NOT_SUPPORTED;
    case SMCCC_ARCH_WORKAROUND_2:
        return spectre_ssbd_guest_answer(ssbd);
    case SMCCC_ARCH_WORKAROUND_3:
        return guest_wa3 ? SMCCC_RET_SUCCESS : SMCCC_RET_NOT_SUPPORTED;
    default:
        return SMCCC_RET_NOT_SUPPORTED;
    }
}

void spectre_guest_workaround(uint32_t fid, uint64_t arg)
{
    (void)arg;
    switch (fid) {
    case SMCCC_ARCH_WORKAROUND_1:
    case SMCCC_ARCH_WORKAROUND_3:
        /* Done already: the exception entry that brought this call here ran
         * this CPU's mitigation in its vector slot. */
        break;
    case SMCCC_ARCH_WORKAROUND_2:
        /* In the runtime state with a dynamic firmware mitigation, Xen lets
         * a guest switch it off for itself (and flips it on every entry and
         * exit). Proxenos keeps it on for every guest: safe, only slower
         * for a guest that asked to go without. Everywhere else there is
         * nothing to switch. */
        break;
    default:
        break;
    }
}
