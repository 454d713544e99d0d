/*
 * smp: PSCI CPU_ON / AFFINITY_INFO / CPU_OFF across every vCPU in /cpus.
 *
 * Each secondary prints "vcpu N up (MPIDR 0x..)", bumps a shared counter
 * and waits to be told to go; then the library calls CPU_OFF for it. One
 * vCPU is then started a second time, to show CPU_OFF left it restartable.
 */
#include "guest.h"

#define TIMEOUT_MS 5000U

static const struct platform *plat;
static volatile uint32_t up_count;
static volatile uint32_t go_off;
static volatile uint32_t mpidr_ok[GUEST_LIB_MAX_VCPUS];

static void secondary(void *arg)
{
    uint32_t me = cpu_index();
    uint64_t mpidr = mpidr_affinity();

    (void)arg;
    printf("vcpu %u up (MPIDR 0x%lx)\n", me, mpidr);
    mpidr_ok[me] = (mpidr == plat->cpu_mpidr[me]) ? 1U : 0U;
    (void)__atomic_fetch_add(&up_count, 1U, __ATOMIC_RELEASE);
    while (__atomic_load_n(&go_off, __ATOMIC_ACQUIRE) == 0U) {
        cpu_relax();
    }
    /* returning hands the vCPU to PSCI CPU_OFF */
}

struct aff_wait {
    uint32_t first;
    uint32_t last;
    int32_t want;
};

/* Do AFFINITY_INFO answers for vCPUs [first, last) all equal want? */
static bool affinity_all(const void *ctx)
{
    const struct aff_wait *w = ctx;
    uint32_t i;

    for (i = w->first; i < w->last; i++) {
        if (psci_affinity_info(plat->cpu_mpidr[i], 0U) != w->want) {
            return false;
        }
    }
    return true;
}

static void start_all(uint32_t n)
{
    uint32_t i;
    uint32_t failures = 0U;
    int32_t rc = PSCI_SUCCESS;
    uint32_t bad = 0U;

    for (i = 1U; i < n; i++) {
        int32_t r = smp_cpu_on(plat, i, secondary, NULL);

        if (r != PSCI_SUCCESS) {
            failures++;
            rc = r;
            bad = i;
        }
    }
    test_check("smp_cpu_on", failures == 0U, "vcpu %u: %s", bad, psci_error_name(rc));
    test_check("smp_all_up", wait_for_u32(&up_count, n - 1U, TIMEOUT_MS),
               "%u of %u secondaries up", up_count, n - 1U);
    failures = 0U;
    for (i = 1U; i < n; i++) {
        failures += (mpidr_ok[i] == 0U) ? 1U : 0U;
    }
    test_check("smp_mpidr", failures == 0U, "%u vCPUs read an MPIDR other than their /cpus reg",
               failures);
}

static void check_already_on_and_invalid(uint32_t n)
{
    int32_t rc;

    if (n > 1U) {
        rc = smp_cpu_on(plat, 1U, secondary, NULL);
        test_check("smp_cpu_on_already_on", rc == PSCI_ALREADY_ON, "got %s", psci_error_name(rc));
    }
    /* Aff1 = 0xff: no vCPU of a small guest has it */
    rc = psci_cpu_on(0xff00U, 0x40000000U, 0U);
    test_check("smp_cpu_on_invalid", rc == PSCI_INVALID_PARAMETERS, "got %s",
               psci_error_name(rc));
}

static void restart_one(void)
{
    struct aff_wait off = { 1U, 2U, PSCI_AFF_OFF };
    int32_t rc;

    __atomic_store_n(&go_off, 0U, __ATOMIC_RELEASE);
    __atomic_store_n(&up_count, 0U, __ATOMIC_RELEASE);
    rc = smp_cpu_on(plat, 1U, secondary, NULL);
    test_check("smp_cpu_on_again", (rc == PSCI_SUCCESS) && wait_for_u32(&up_count, 1U, TIMEOUT_MS),
               "CPU_ON %s, up %u", psci_error_name(rc), up_count);
    __atomic_store_n(&go_off, 1U, __ATOMIC_RELEASE);
    test_check("smp_cpu_off_again", wait_until(affinity_all, &off, TIMEOUT_MS),
               "vcpu 1 still on");
}

void guest_main(const struct platform *p)
{
    uint32_t n = (p->cpu_count < GUEST_LIB_MAX_VCPUS) ? p->cpu_count : GUEST_LIB_MAX_VCPUS;
    uint32_t v = psci_version();
    struct aff_wait on = { 0U, n, PSCI_AFF_ON };
    struct aff_wait off = { 1U, n, PSCI_AFF_OFF };

    plat = p;
    printf("smp: %u vCPU(s) in /cpus, PSCI %u.%u over %s\n",
           p->cpu_count, v >> 16, v & 0xffffU, p->psci_hvc ? "hvc" : "(method not hvc)");
    if (p->cpu_count > GUEST_LIB_MAX_VCPUS) {
        printf("smp: only the first %u are used\n", GUEST_LIB_MAX_VCPUS);
    }
    test_check("smp_psci_version", v >= 0x00000002U, "PSCI_VERSION 0x%x", v);
    test_check("smp_affinity_self", psci_affinity_info(mpidr_affinity(), 0U) == PSCI_AFF_ON,
               "boot vCPU not reported ON");

    start_all(n);
    check_already_on_and_invalid(n);
    test_check("smp_affinity_on", affinity_all(&on), "a started vCPU is not reported ON");

    __atomic_store_n(&go_off, 1U, __ATOMIC_RELEASE);
    test_check("smp_cpu_off", wait_until(affinity_all, &off, TIMEOUT_MS),
               "a secondary is still ON after CPU_OFF");
    if (n > 1U) {
        restart_one();
    }
}
