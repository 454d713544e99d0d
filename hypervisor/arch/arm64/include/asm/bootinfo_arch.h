/* The arm64 part of the boot description (struct boot_info's arch): the
 * GICv3, the generic timer and PSCI as the boot device tree describes them,
 * found by the walk in bootinfo_devices.c. */
#ifndef ASM_BOOTINFO_ARCH_H
#define ASM_BOOTINFO_ARCH_H

#include <proxenos/bootinfo.h>

struct boot_gic {
    bool present;                 /* an available arm,gic-v3 node was found */
    int node;
    paddr_t dist_base;            /* reg[0] */
    paddr_t dist_size;
    paddr_t rdist_base;           /* reg[1]: the first redistributor region */
    paddr_t rdist_size;
    uint32_t nr_rdist_regions;    /* #redistributor-regions, default 1 */
    bool has_maintenance_irq;
    uint32_t maintenance_intid;
};

enum boot_timer_irq {
    BOOT_TIMER_PHYS_SECURE,
    BOOT_TIMER_PHYS_NONSECURE,
    BOOT_TIMER_VIRT,
    BOOT_TIMER_HYP,
    BOOT_TIMER_NR_IRQS,
};

struct boot_timer {
    bool present;                 /* an available arm,armv8-timer node */
    int node;
    uint32_t intid[BOOT_TIMER_NR_IRQS];   /* INTIDs, 0 where not given */
    uint32_t nr_irqs;             /* how many of the four the node lists */
    uint32_t clock_frequency;     /* Hz; 0 when absent (read CNTFRQ_EL0) */
};

enum boot_psci_method {
    BOOT_PSCI_NONE,
    BOOT_PSCI_SMC,
    BOOT_PSCI_HVC,
};

struct boot_psci {
    bool present;
    int node;
    enum boot_psci_method method;
    /* From the most specific compatible: 1.0 ("arm,psci-1.0"), 0.2, or 0.1
     * for the original "arm,psci" with its own function IDs. */
    uint32_t version_major;
    uint32_t version_minor;
};

struct arch_boot_info {
    struct boot_gic gic;
    struct boot_timer timer;
    struct boot_psci psci;
};

/* The boot description's arm64 part, once the walk is done (the host's
 * GIC, timer and PSCI). */
const struct arch_boot_info *arm_boot_info(void);

#endif
