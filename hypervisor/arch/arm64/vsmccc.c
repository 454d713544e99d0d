/* PSCI 1.1 and the SMCCC 1.1 architecture calls as a guest sees them.
 * vCPUs are named by the MPIDR affinity Xen gives them (vcpu_vaffinity). */
#include <asm/domain.h>
#include <asm/spectre.h>
#include <asm/traps.h>
#include <proxenos/arch/domain.h>
#include <proxenos/domain.h>
#include <proxenos/nospec.h>
#include <proxenos/sched.h>

#define PSCI_VERSION_FN         0x84000000U
#define PSCI_CPU_SUSPEND_32     0x84000001U
#define PSCI_CPU_SUSPEND_64     0xc4000001U
#define PSCI_CPU_OFF            0x84000002U
#define PSCI_CPU_ON_32          0x84000003U
#define PSCI_CPU_ON_64          0xc4000003U
#define PSCI_AFFINITY_INFO_32   0x84000004U
#define PSCI_AFFINITY_INFO_64   0xc4000004U
#define PSCI_MIGRATE_INFO_TYPE  0x84000006U
#define PSCI_SYSTEM_OFF         0x84000008U
#define PSCI_SYSTEM_RESET       0x84000009U
#define PSCI_FEATURES           0x8400000aU
#define SMCCC_VERSION_FN        0x80000000U
#define SMCCC_ARCH_FEATURES     0x80000001U

#define PSCI_1_1                0x00010001U
#define SMCCC_1_1               0x00010001U
#define PSCI_SUCCESS            0
#define PSCI_NOT_SUPPORTED      (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_ALREADY_ON         (-4)
#define AFFINITY_ON             0
#define AFFINITY_OFF            1
#define MIGRATE_NOT_REQUIRED    2

#define MPIDR_AFF_MASK 0xff00ffffffULL

/* The vCPU a guest names by MPIDR (guest input): the index comes from
 * Aff0[3:0] and Aff1 (vcpu_vaffinity's numbering), any other bit set means
 * no vCPU, and the index is masked after its bounds check. */
static struct vcpu *vcpu_by_affinity(const struct domain *d, uint64_t mpidr)
{
    uint64_t aff = mpidr & MPIDR_AFF_MASK;
    uint64_t idx = (aff & 0xfU) | (((aff >> 8) & 0xffU) << 4);

    if ((idx >= d->max_vcpus) || (vcpu_vaffinity((unsigned int)idx) != aff)) {
        return NULL;
    }
    return d->vcpu[array_index_nospec(idx, d->max_vcpus)];
}

static int64_t psci_cpu_on(struct domain *d, uint64_t target, uint64_t entry, uint64_t ctx)
{
    struct vcpu *t = vcpu_by_affinity(d, target);

    if (t == NULL) {
        return PSCI_INVALID_PARAMETERS;
    }
    if (t->state != VCPU_OFFLINE) {
        return PSCI_ALREADY_ON;
    }
    arch_vcpu_set_entry(t, entry, ctx);
    vcpu_wake(t);
    return PSCI_SUCCESS;
}

static int64_t psci_affinity_info(const struct domain *d, uint64_t target, uint64_t level)
{
    const struct vcpu *t = vcpu_by_affinity(d, target);

    if ((t == NULL) || (level != 0U)) {
        return PSCI_INVALID_PARAMETERS;
    }
    return (t->state == VCPU_OFFLINE) ? AFFINITY_OFF : AFFINITY_ON;
}

static bool psci_function_known(uint32_t fn)
{
    switch (fn) {
    case PSCI_VERSION_FN:
    case PSCI_CPU_SUSPEND_32:
    case PSCI_CPU_SUSPEND_64:
    case PSCI_CPU_OFF:
    case PSCI_CPU_ON_32:
    case PSCI_CPU_ON_64:
    case PSCI_AFFINITY_INFO_32:
    case PSCI_AFFINITY_INFO_64:
    case PSCI_MIGRATE_INFO_TYPE:
    case PSCI_SYSTEM_OFF:
    case PSCI_SYSTEM_RESET:
    case PSCI_FEATURES:
    case SMCCC_VERSION_FN:
        return true;
    default:
        return false;
    }
}

bool vsmccc_handle(struct vcpu *v, struct trap_frame *f)
{
    struct domain *d = v->domain;
    uint32_t fn = (uint32_t)f->x[0];
    /* SMC32/HVC32 calls pass 32-bit arguments. */
    uint64_t mask = ((fn & 0x40000000U) != 0U) ? ~0ULL : 0xffffffffULL;
    uint64_t a1 = f->x[1] & mask;
    uint64_t a2 = f->x[2] & mask;
    uint64_t a3 = f->x[3] & mask;
    int64_t ret;

    switch (fn) {
    case PSCI_VERSION_FN:
        ret = PSCI_1_1;
        break;
    case PSCI_CPU_SUSPEND_32:
    case PSCI_CPU_SUSPEND_64:
        /* A standby suspend: wait for an interrupt like WFI. */
        vcpu_block_current();
        ret = PSCI_SUCCESS;
        break;
    case PSCI_CPU_OFF:
        vcpu_stop(v);
        ret = PSCI_SUCCESS;
        break;
    case PSCI_CPU_ON_32:
    case PSCI_CPU_ON_64:
        ret = psci_cpu_on(d, a1, a2, a3);
        break;
    case PSCI_AFFINITY_INFO_32:
    case PSCI_AFFINITY_INFO_64:
        ret = psci_affinity_info(d, a1, a2);
        break;
    case PSCI_MIGRATE_INFO_TYPE:
        ret = MIGRATE_NOT_REQUIRED;
        break;
    case PSCI_SYSTEM_OFF:
        domain_shutdown(d, SHUTDOWN_poweroff);
        ret = PSCI_SUCCESS;
        break;
    case PSCI_SYSTEM_RESET:
        domain_shutdown(d, SHUTDOWN_reboot);
        ret = PSCI_SUCCESS;
        break;
    case PSCI_FEATURES:
        ret = psci_function_known((uint32_t)a1) ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
        break;
    case SMCCC_VERSION_FN:
        ret = SMCCC_1_1;
        break;
    case SMCCC_ARCH_FEATURES:
        /* The workarounds as Xen 4.17 answers them on these CPUs; like
         * Xen, ARCH_FEATURES of ARCH_FEATURES itself is not supported. */
        ret = spectre_guest_arch_features((uint32_t)a1);
        break;
    case SMCCC_ARCH_WORKAROUND_1:
    case SMCCC_ARCH_WORKAROUND_2:
    case SMCCC_ARCH_WORKAROUND_3:
        /* No result; like Xen, x0 = 0 and x1-x3 cleared, so nothing of the
         * hypervisor's (or of firmware's) leaks back. */
        spectre_guest_workaround(fn, a1);
        f->x[1] = 0U;
        f->x[2] = 0U;
        f->x[3] = 0U;
        ret = PSCI_SUCCESS;
        break;
    default:
        return false;
    }
    f->x[0] = (uint64_t)ret;
    return true;
}
