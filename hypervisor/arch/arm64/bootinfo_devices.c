/* The Arm devices of the boot device tree (the arch_bootinfo_* hooks): the
 * first available GICv3, generic timer and PSCI node, and what a cpu node's
 * reg may hold. As in common/boot/bootinfo.c, a device that is present but
 * malformed is an error: the hypervisor stops with the reason rather than
 * guess. */
#include <asm/bootinfo_arch.h>
#include <proxenos/arch/bootinfo.h>
#include <proxenos/bootinfo.h>
#include <proxenos/errno.h>
#include <proxenos/string.h>

/* MPIDR bits that name a CPU (Aff3, Aff2, Aff1, Aff0). */
#define MPIDR_AFFINITY_MASK 0xff00ffffffULL

static bool string_prop_is(const struct fdt *fdt, int node, const char *name, const char *value)
{
    const char *v = fdt_getprop_string(fdt, node, name);

    return (v != NULL) && (strcmp(v, value) == 0);
}

static int scan_gic(struct boot_info *bi, const struct fdt *fdt, int node)
{
    struct boot_gic *gic = &bi->arch->gic;
    uint32_t regions = 1U;
    uint32_t flags;
    int rc;

    gic->present = true;
    gic->node = node;
    if (fdt_reg(fdt, node, 0U, &gic->dist_base, &gic->dist_size) != 0) {
        return bootinfo_error(bi, -EINVAL, "GICv3 node without a usable distributor reg", node);
    }
    if (fdt_reg(fdt, node, 1U, &gic->rdist_base, &gic->rdist_size) != 0) {
        return bootinfo_error(bi, -EINVAL, "GICv3 node without a usable redistributor reg",
                              node);
    }
    rc = fdt_getprop_u32(fdt, node, "#redistributor-regions", &regions);
    if (((rc != 0) && (rc != -ENOENT)) || (regions == 0U)) {
        return bootinfo_error(bi, -EINVAL, "bad #redistributor-regions", node);
    }
    gic->nr_rdist_regions = regions;
    rc = fdt_irq(fdt, node, 0U, &gic->maintenance_intid, &flags);
    if (rc == 0) {
        gic->has_maintenance_irq = true;
    } else if (rc != -ENOENT) {
        return bootinfo_error(bi, -EINVAL, "GICv3 maintenance interrupt is malformed", node);
    } else {
        gic->maintenance_intid = 0U;
    }
    return 0;
}

static int scan_timer(struct boot_info *bi, const struct fdt *fdt, int node)
{
    struct boot_timer *timer = &bi->arch->timer;
    int rc;

    timer->present = true;
    timer->node = node;
    for (uint32_t i = 0U; i < (uint32_t)BOOT_TIMER_NR_IRQS; i++) {
        uint32_t flags;

        rc = fdt_irq(fdt, node, i, &timer->intid[i], &flags);
        if (rc == -ENOENT) {
            break;
        }
        if (rc != 0) {
            return bootinfo_error(bi, -EINVAL, "timer interrupts are malformed", node);
        }
        timer->nr_irqs = i + 1U;
    }
    rc = fdt_getprop_u32(fdt, node, "clock-frequency", &timer->clock_frequency);
    if ((rc != 0) && (rc != -ENOENT)) {
        return bootinfo_error(bi, -EINVAL, "timer clock-frequency is not one cell", node);
    }
    return 0;
}

static bool is_psci(const struct fdt *fdt, int node)
{
    return fdt_node_is_compatible(fdt, node, "arm,psci-1.0") ||
           fdt_node_is_compatible(fdt, node, "arm,psci-0.2") ||
           fdt_node_is_compatible(fdt, node, "arm,psci");
}

static int scan_psci(struct boot_info *bi, const struct fdt *fdt, int node)
{
    struct boot_psci *psci = &bi->arch->psci;

    psci->present = true;
    psci->node = node;
    if (fdt_node_is_compatible(fdt, node, "arm,psci-1.0")) {
        psci->version_major = 1U;
        psci->version_minor = 0U;
    } else if (fdt_node_is_compatible(fdt, node, "arm,psci-0.2")) {
        psci->version_major = 0U;
        psci->version_minor = 2U;
    } else {
        psci->version_major = 0U;
        psci->version_minor = 1U;
    }
    if (string_prop_is(fdt, node, "method", "smc")) {
        psci->method = BOOT_PSCI_SMC;
    } else if (string_prop_is(fdt, node, "method", "hvc")) {
        psci->method = BOOT_PSCI_HVC;
    } else {
        return bootinfo_error(bi, -EINVAL, "psci method is neither \"smc\" nor \"hvc\"", node);
    }
    return 0;
}

/* One boot description is scanned at a time; its arm64 part lives here. */
static struct arch_boot_info arm_boot;

void arch_bootinfo_init(struct boot_info *bi)
{
    memset(&arm_boot, 0, sizeof(arm_boot));
    arm_boot.gic.node = -1;
    arm_boot.timer.node = -1;
    arm_boot.psci.node = -1;
    bi->arch = &arm_boot;
}

const struct arch_boot_info *arm_boot_info(void)
{
    return &arm_boot;
}

int arch_bootinfo_scan_node(struct boot_info *bi, const struct fdt *fdt, int node)
{
    int rc = 0;

    if (!bi->arch->gic.present && fdt_node_is_compatible(fdt, node, "arm,gic-v3") &&
        fdt_node_is_available(fdt, node)) {
        rc = scan_gic(bi, fdt, node);
    } else if (!bi->arch->timer.present && fdt_node_is_compatible(fdt, node, "arm,armv8-timer") &&
               fdt_node_is_available(fdt, node)) {
        rc = scan_timer(bi, fdt, node);
    } else if (!bi->arch->psci.present && is_psci(fdt, node) && fdt_node_is_available(fdt, node)) {
        rc = scan_psci(bi, fdt, node);
    } else {
        /* not a device we describe */
    }
    return rc;
}

const char *arch_bootinfo_cpu_id_error(uint64_t id)
{
    return ((id & ~MPIDR_AFFINITY_MASK) != 0U) ?
           "cpu reg has bits outside the MPIDR affinity fields" : NULL;
}
