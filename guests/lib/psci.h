/*
 * PSCI 0.2 / 1.x client (Arm DEN 0022). 64-bit function IDs where the
 * call takes an address or an MPIDR.
 */
#ifndef GUEST_PSCI_H
#define GUEST_PSCI_H

#include <stdint.h>

#define PSCI_VERSION                0x84000000U
#define PSCI_CPU_SUSPEND_64         0xc4000001U
#define PSCI_CPU_OFF                0x84000002U
#define PSCI_CPU_ON_64              0xc4000003U
#define PSCI_AFFINITY_INFO_64       0xc4000004U
#define PSCI_MIGRATE_64             0xc4000005U
#define PSCI_MIGRATE_INFO_TYPE      0x84000006U
#define PSCI_MIGRATE_INFO_UP_CPU_64 0xc4000007U
#define PSCI_SYSTEM_OFF             0x84000008U
#define PSCI_SYSTEM_RESET           0x84000009U
#define PSCI_FEATURES               0x8400000aU
#define PSCI_CPU_FREEZE             0x8400000bU
#define PSCI_CPU_DEFAULT_SUSPEND_64 0xc400000cU
#define PSCI_NODE_HW_STATE_64       0xc400000dU
#define PSCI_SYSTEM_SUSPEND_64      0xc400000eU
#define PSCI_SET_SUSPEND_MODE       0x8400000fU
#define PSCI_STAT_RESIDENCY_64      0xc4000010U
#define PSCI_STAT_COUNT_64          0xc4000011U
#define PSCI_SYSTEM_RESET2_64       0xc4000012U
#define PSCI_MEM_PROTECT            0x84000013U
#define PSCI_MEM_PROTECT_RANGE_64   0xc4000014U

#define PSCI_SUCCESS                0
#define PSCI_NOT_SUPPORTED          (-1)
#define PSCI_INVALID_PARAMETERS     (-2)
#define PSCI_DENIED                 (-3)
#define PSCI_ALREADY_ON             (-4)
#define PSCI_ON_PENDING             (-5)
#define PSCI_INTERNAL_FAILURE       (-6)
#define PSCI_NOT_PRESENT            (-7)
#define PSCI_DISABLED               (-8)
#define PSCI_INVALID_ADDRESS        (-9)

/* AFFINITY_INFO results */
#define PSCI_AFF_ON                 0
#define PSCI_AFF_OFF                1
#define PSCI_AFF_ON_PENDING         2

/* PSCI_VERSION: major in bits 31:16, minor in 15:0 */
uint32_t psci_version(void);
int32_t psci_features(uint32_t fid);
int32_t psci_cpu_on(uint64_t target_mpidr, uint64_t entry, uint64_t context_id);
int32_t psci_cpu_off(void);
int32_t psci_affinity_info(uint64_t target_mpidr, uint32_t lowest_level);
int32_t psci_system_reset(void);
void psci_system_off(void) __attribute__((noreturn));

const char *psci_error_name(int32_t rc);

#endif
