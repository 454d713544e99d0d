#include "psci.h"
#include "smccc.h"
#include "sysreg.h"

uint32_t psci_version(void)
{
    struct smccc_res r = smccc_call(PSCI_VERSION, 0U, 0U, 0U);

    return (uint32_t)r.a0;
}

int32_t psci_features(uint32_t fid)
{
    struct smccc_res r = smccc_call(PSCI_FEATURES, fid, 0U, 0U);

    return smccc_ret(&r);
}

int32_t psci_cpu_on(uint64_t target_mpidr, uint64_t entry, uint64_t context_id)
{
    struct smccc_res r;

    /* whatever the new vCPU reads must be in memory before it starts */
    __asm__ volatile("dsb ish" : : : "memory");
    r = smccc_call(PSCI_CPU_ON_64, target_mpidr, entry, context_id);
    return smccc_ret(&r);
}

int32_t psci_cpu_off(void)
{
    struct smccc_res r = smccc_call(PSCI_CPU_OFF, 0U, 0U, 0U);

    return smccc_ret(&r);     /* only on failure */
}

int32_t psci_affinity_info(uint64_t target_mpidr, uint32_t lowest_level)
{
    struct smccc_res r = smccc_call(PSCI_AFFINITY_INFO_64, target_mpidr, lowest_level, 0U);

    return smccc_ret(&r);
}

int32_t psci_system_reset(void)
{
    struct smccc_res r = smccc_call(PSCI_SYSTEM_RESET, 0U, 0U, 0U);

    return smccc_ret(&r);     /* only on failure */
}

void psci_system_off(void)
{
    (void)smccc_call(PSCI_SYSTEM_OFF, 0U, 0U, 0U);
    /* Not expected to return; if it does, park this vCPU. */
    for (;;) {
        irq_disable();
        wfi();
    }
}

const char *psci_error_name(int32_t rc)
{
    static const char *const names[] = {
        "SUCCESS", "NOT_SUPPORTED", "INVALID_PARAMETERS", "DENIED",
        "ALREADY_ON", "ON_PENDING", "INTERNAL_FAILURE", "NOT_PRESENT",
        "DISABLED", "INVALID_ADDRESS",
    };

    if ((rc <= 0) && (rc >= -9)) {
        return names[-rc];
    }
    return "?";
}
