/* Calls to the host firmware's PSCI (SMC conduit under QEMU virt at EL2,
 * HVC where the device tree says so). */
#include <asm/arm64.h>
#include <proxenos/arch/cpu.h>
#include <proxenos/errno.h>
#include <proxenos/printk.h>

#define PSCI_VERSION      0x84000000U
#define PSCI_CPU_ON       0xc4000003U
#define PSCI_SYSTEM_OFF   0x84000008U

#define PSCI_SUCCESS         0
#define PSCI_INVALID_PARAMS  (-2)
#define PSCI_DENIED          (-3)
#define PSCI_ALREADY_ON      (-4)
#define PSCI_ON_PENDING      (-5)

static bool conduit_smc = true;
static bool available;

/* SMCCC: arguments in x0-x3, result in x0; x4-x17 may be clobbered. */
static int64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;

    if (conduit_smc) {
        __asm__ volatile("smc #0"
                         : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                         :
                         : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
                           "x13", "x14", "x15", "x16", "x17", "memory");
    } else {
        __asm__ volatile("hvc #0"
                         : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                         :
                         : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
                           "x13", "x14", "x15", "x16", "x17", "memory");
    }
    return (int64_t)x0;
}

int psci_init(bool use_smc)
{
    uint32_t v;

    conduit_smc = use_smc;
    available = true;
    v = psci_version();
    pr_info("PSCI: version %u.%u via %s\n", v >> 16, v & 0xffffU, use_smc ? "SMC" : "HVC");
    return 0;
}

uint32_t psci_version(void)
{
    return (uint32_t)psci_call(PSCI_VERSION, 0U, 0U, 0U);
}

int psci_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t context)
{
    int64_t r;

    if (!available) {
        return -ENODEV;
    }
    r = psci_call(PSCI_CPU_ON, mpidr, entry, context);
    switch (r) {
    case PSCI_SUCCESS: return 0;
    case PSCI_INVALID_PARAMS: return -EINVAL;
    case PSCI_DENIED: return -EPERM;
    case PSCI_ALREADY_ON: return -EEXIST;
    case PSCI_ON_PENDING: return -EBUSY;
    default: return -EIO;
    }
}

void arch_machine_off(void)
{
    if (available) {
        (void)psci_call(PSCI_SYSTEM_OFF, 0U, 0U, 0U);
    }
    pr_err("PSCI SYSTEM_OFF failed: halting\n");
    arch_halt();
}
