/*
 * SMC Calling Convention over HVC #0 (the guest DT's /psci says method
 * "hvc"). Function IDs from Arm DEN 0028 (SMCCC) and DEN 0022 (PSCI).
 */
#ifndef GUEST_SMCCC_H
#define GUEST_SMCCC_H

#include <stdint.h>

struct smccc_res {
    uint64_t a0;
    uint64_t a1;
    uint64_t a2;
    uint64_t a3;
};

/* Arm architecture calls (owner 0) */
#define SMCCC_VERSION               0x80000000U
#define SMCCC_ARCH_FEATURES         0x80000001U
#define SMCCC_ARCH_SOC_ID           0x80000002U
#define SMCCC_ARCH_WORKAROUND_1     0x80008000U
#define SMCCC_ARCH_WORKAROUND_2     0x80007fffU
#define SMCCC_ARCH_WORKAROUND_3     0x80003fffU

/*
 * The generic queries each service owner may answer: call count, UID
 * (four words), revision (major, minor). Owner 4 = standard secure
 * service (PSCI's owner), 5 = standard hypervisor service (where Xen
 * answers), 6 = vendor-specific hypervisor service.
 */
#define SMCCC_QUERY_CALL_COUNT      0xff00U
#define SMCCC_QUERY_CALL_UID        0xff01U
#define SMCCC_QUERY_REVISION        0xff03U
#define SMCCC_OWNER_STD_SECURE      0x84000000U
#define SMCCC_OWNER_STD_HYP         0x85000000U
#define SMCCC_OWNER_VENDOR_HYP      0x86000000U

/* Return values (32-bit, sign-extended by smccc_ret) */
#define SMCCC_RET_SUCCESS           0
#define SMCCC_RET_NOT_SUPPORTED     (-1)
#define SMCCC_RET_NOT_REQUIRED      (-2)

struct smccc_res smccc_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

/* w0 of a result as the signed 32-bit value the specs define. */
static inline int32_t smccc_ret(const struct smccc_res *r)
{
    return (int32_t)(uint32_t)r->a0;
}

#endif
