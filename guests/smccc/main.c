/*
 * smccc: what the hypervisor answers through the SMC Calling Convention,
 * printed raw for later comparison (Spectre-BHB work), then checked.
 *
 * Every answer is one line "SMCCC <name> = <value>", the value being w0
 * as 0x%08x (so -1 NOT_SUPPORTED reads 0xffffffff); CALL_UID prints the
 * four words w0-w3. After the queries, each ARCH_WORKAROUND_n that
 * ARCH_FEATURES reported as implemented (0) is called once, and the same
 * PSCI_VERSION call is made through SMC #0 to check that conduit too.
 */
#include "guest.h"

struct fn {
    const char *name;
    uint32_t fid;
    bool mandatory;     /* PSCI 1.0 functions a hypervisor must implement for our guests */
};

static const struct fn psci_fns[] = {
    { "PSCI_VERSION", PSCI_VERSION, true },
    { "CPU_SUSPEND", PSCI_CPU_SUSPEND_64, false },
    { "CPU_OFF", PSCI_CPU_OFF, true },
    { "CPU_ON", PSCI_CPU_ON_64, true },
    { "AFFINITY_INFO", PSCI_AFFINITY_INFO_64, true },
    { "MIGRATE", PSCI_MIGRATE_64, false },
    { "MIGRATE_INFO_TYPE", PSCI_MIGRATE_INFO_TYPE, false },
    { "MIGRATE_INFO_UP_CPU", PSCI_MIGRATE_INFO_UP_CPU_64, false },
    { "SYSTEM_OFF", PSCI_SYSTEM_OFF, true },
    { "SYSTEM_RESET", PSCI_SYSTEM_RESET, true },
    { "PSCI_FEATURES", PSCI_FEATURES, true },
    { "CPU_FREEZE", PSCI_CPU_FREEZE, false },
    { "CPU_DEFAULT_SUSPEND", PSCI_CPU_DEFAULT_SUSPEND_64, false },
    { "NODE_HW_STATE", PSCI_NODE_HW_STATE_64, false },
    { "SYSTEM_SUSPEND", PSCI_SYSTEM_SUSPEND_64, false },
    { "PSCI_SET_SUSPEND_MODE", PSCI_SET_SUSPEND_MODE, false },
    { "PSCI_STAT_RESIDENCY", PSCI_STAT_RESIDENCY_64, false },
    { "PSCI_STAT_COUNT", PSCI_STAT_COUNT_64, false },
    { "SYSTEM_RESET2", PSCI_SYSTEM_RESET2_64, false },
    { "MEM_PROTECT", PSCI_MEM_PROTECT, false },
    { "MEM_PROTECT_CHECK_RANGE", PSCI_MEM_PROTECT_RANGE_64, false },
    { "SMCCC_VERSION", SMCCC_VERSION, false },
};

static const struct fn arch_fns[] = {
    { "SMCCC_VERSION", SMCCC_VERSION, false },
    { "ARCH_FEATURES", SMCCC_ARCH_FEATURES, false },
    { "ARCH_SOC_ID", SMCCC_ARCH_SOC_ID, false },
    { "ARCH_WORKAROUND_1", SMCCC_ARCH_WORKAROUND_1, false },
    { "ARCH_WORKAROUND_2", SMCCC_ARCH_WORKAROUND_2, false },
    { "ARCH_WORKAROUND_3", SMCCC_ARCH_WORKAROUND_3, false },
};

#define NFNS(a) (sizeof(a) / sizeof((a)[0]))

/* An unallocated ID in the PSCI range: every implementation must refuse it. */
#define UNKNOWN_FID 0x8400001fU

static void show(const char *name, uint64_t w0)
{
    printf("SMCCC %s = 0x%08x\n", name, (uint32_t)w0);
}

static void query_psci(void)
{
    char name[48];
    uint32_t version = psci_version();
    uint32_t missing = 0U;
    const char *first_missing = "";
    size_t i;

    show("PSCI_VERSION", version);
    test_check("psci_version", version >= 0x00010000U, "PSCI %u.%u, want 1.0+ (PSCI_FEATURES)",
               version >> 16, version & 0xffffU);
    for (i = 0U; i < NFNS(psci_fns); i++) {
        int32_t rc = psci_features(psci_fns[i].fid);

        (void)snprintf(name, sizeof(name), "PSCI_FEATURES(%s)", psci_fns[i].name);
        show(name, (uint32_t)rc);
        if (psci_fns[i].mandatory && (rc < 0)) {
            missing++;
            first_missing = psci_fns[i].name;
        }
    }
    test_check("psci_features_mandatory", missing == 0U, "%u missing, e.g. %s", missing,
               first_missing);
    {
        int32_t rc = psci_features(UNKNOWN_FID);

        show("PSCI_FEATURES(0x8400001f)", (uint32_t)rc);
        test_check("psci_features_unknown", rc == PSCI_NOT_SUPPORTED, "got %d", rc);
    }
    show("MIGRATE_INFO_TYPE", smccc_call(PSCI_MIGRATE_INFO_TYPE, 0U, 0U, 0U).a0);
}

/* Returns ARCH_FEATURES answers for WORKAROUND_1..3 in w[0..2]. */
static void query_arch(int32_t w[3])
{
    char name[48];
    struct smccc_res r = smccc_call(SMCCC_VERSION, 0U, 0U, 0U);
    int32_t version = smccc_ret(&r);
    uint32_t odd = 0U;
    size_t i;

    show("SMCCC_VERSION", r.a0);
    /* SMCCC 1.1+: PSCI_FEATURES(SMCCC_VERSION) = 0 and a version >= 1.1; 1.0: neither */
    if (psci_features(SMCCC_VERSION) == PSCI_SUCCESS) {
        test_check("smccc_version", version >= 0x10001, "SMCCC_VERSION 0x%x, want 1.1+",
                   (uint32_t)version);
    } else {
        test_check("smccc_version", version == SMCCC_RET_NOT_SUPPORTED,
                   "SMCCC_VERSION 0x%x but PSCI_FEATURES says it is absent", (uint32_t)version);
    }
    for (i = 0U; i < NFNS(arch_fns); i++) {
        int32_t rc;

        r = smccc_call(SMCCC_ARCH_FEATURES, arch_fns[i].fid, 0U, 0U);
        rc = smccc_ret(&r);
        (void)snprintf(name, sizeof(name), "ARCH_FEATURES(%s)", arch_fns[i].name);
        show(name, r.a0);
        if (i >= 3U) {
            w[i - 3U] = rc;
            /* SMCCC: 0 implemented, 1 (WORKAROUND_2) not affected, -1, -2 not required */
            if ((rc < -2) || (rc > 1)) {
                odd++;
            }
        }
    }
    test_check("smccc_arch_features", odd == 0U, "%u answers outside {-2,-1,0,1}", odd);
    r = smccc_call(UNKNOWN_FID, 0U, 0U, 0U);
    show("CALL(0x8400001f)", r.a0);
    test_check("smccc_unknown_fid", smccc_ret(&r) == SMCCC_RET_NOT_SUPPORTED, "got 0x%08x",
               (uint32_t)r.a0);
}

/* The generic queries of one service owner: "SMCCC <owner>_CALL_COUNT = ..." etc. */
static void query_owner(const char *owner, uint32_t base)
{
    struct smccc_res r = smccc_call(base | SMCCC_QUERY_CALL_COUNT, 0U, 0U, 0U);

    printf("SMCCC %s_CALL_COUNT = 0x%08x\n", owner, (uint32_t)r.a0);
    r = smccc_call(base | SMCCC_QUERY_CALL_UID, 0U, 0U, 0U);
    printf("SMCCC %s_CALL_UID = 0x%08x 0x%08x 0x%08x 0x%08x\n", owner, (uint32_t)r.a0,
           (uint32_t)r.a1, (uint32_t)r.a2, (uint32_t)r.a3);
    r = smccc_call(base | SMCCC_QUERY_REVISION, 0U, 0U, 0U);
    printf("SMCCC %s_REVISION = 0x%08x 0x%08x\n", owner, (uint32_t)r.a0, (uint32_t)r.a1);
}

/* Calls every workaround reported as implemented; none may fault or hang. */
static void call_workarounds(const int32_t w[3])
{
    static const uint32_t fids[3] = {
        SMCCC_ARCH_WORKAROUND_1, SMCCC_ARCH_WORKAROUND_2, SMCCC_ARCH_WORKAROUND_3,
    };
    char name[40];
    uint32_t i;

    for (i = 0U; i < 3U; i++) {
        if (w[i] == 0) {
            /* WORKAROUND_2 takes x1 = 1: enable the mitigation for this vCPU */
            struct smccc_res r = smccc_call(fids[i], (i == 1U) ? 1U : 0U, 0U, 0U);

            (void)snprintf(name, sizeof(name), "ARCH_WORKAROUND_%u call", i + 1U);
            show(name, r.a0);
        }
    }
    test_pass("smccc_workaround_calls");
}

static volatile uint32_t smc_undefined;

/* SMC may be UNDEFINED for the guest (no EL2/EL3 to take it): note it and skip the instruction. */
static bool smc_hook(struct exc_frame *f, uint64_t kind, uint64_t esr, uint64_t far)
{
    (void)far;
    if ((kind == EXC_SYNC_SPX) && (((esr >> ESR_EC_SHIFT) & 0x3fU) == 0U)) {
        smc_undefined = 1U;
        f->elr += 4U;
        return true;
    }
    return false;
}

/* PSCI_VERSION through SMC #0: x0 is set right before the instruction, after every call. */
static uint64_t smc_psci_version(void)
{
    register uint64_t x0 __asm__("x0") = PSCI_VERSION;

    __asm__ volatile("smc #0"
                     : "+r"(x0)
                     :
                     : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
                       "x12", "x13", "x14", "x15", "x16", "x17", "memory");
    return x0;
}

static void check_smc_conduit(void)
{
    uint32_t via_hvc = psci_version();
    uint64_t via_smc;

    exceptions_set_hook(smc_hook);
    via_smc = smc_psci_version();
    exceptions_set_hook(NULL);
    if (smc_undefined != 0U) {
        printf("SMCCC PSCI_VERSION via SMC = undefined instruction\n");
    } else {
        show("PSCI_VERSION via SMC", via_smc);
    }
    test_check("smccc_smc_conduit", (smc_undefined == 0U) && ((uint32_t)via_smc == via_hvc),
               "SMC gave %s, HVC 0x%08x", (smc_undefined != 0U) ? "UNDEF" : "another answer",
               via_hvc);
}

void guest_main(const struct platform *p)
{
    int32_t w[3] = { -1, -1, -1 };

    printf("smccc: PSCI conduit from the device tree: %s\n", p->psci_hvc ? "hvc" : "not hvc");
    query_psci();
    query_arch(w);
    query_owner("STD", SMCCC_OWNER_STD_SECURE);
    query_owner("HYP", SMCCC_OWNER_STD_HYP);
    query_owner("VENDOR_HYP", SMCCC_OWNER_VENDOR_HYP);
    call_workarounds(w);
    check_smc_conduit();
}
