/*
 * Device tree -> struct platform. Xen 4.17 generates a small, regular
 * tree for a dom0less guest (see docs/guests.md), but nothing here relies
 * on Xen's node names: devices are found by compatible and device_type,
 * so the same code reads QEMU's own tree when run without a hypervisor.
 */
#include "platform.h"
#include "string.h"

#define GIC_SPI_BASE 32U
#define GIC_PPI_BASE 16U

uint32_t platform_irq(const struct platform *p, int node, uint32_t index)
{
    uint32_t len = 0U;
    const uint8_t *cells = fdt_prop(&p->fdt, node, "interrupts", &len);
    uint32_t type;
    uint32_t num;

    /* GIC binding: <type number flags>, type 0 = SPI, 1 = PPI */
    if ((cells == NULL) || (len < ((index + 1U) * 12U))) {
        return 0U;
    }
    type = fdt_be32(&cells[index * 12U]);
    num = fdt_be32(&cells[(index * 12U) + 4U]);
    if (type == 0U) {
        return num + GIC_SPI_BASE;
    }
    if (type == 1U) {
        return num + GIC_PPI_BASE;
    }
    return 0U;
}

int platform_cpu_index(const struct platform *p, uint64_t mpidr)
{
    uint32_t i;
    uint32_t n = (p->cpu_count < GUEST_LIB_MAX_VCPUS) ? p->cpu_count : GUEST_LIB_MAX_VCPUS;

    for (i = 0U; i < n; i++) {
        if (p->cpu_mpidr[i] == mpidr) {
            return (int)i;
        }
    }
    return -1;
}

static void probe_memory(struct platform *p)
{
    const struct fdt *f = &p->fdt;
    int root = fdt_root(f);
    int n;

    for (n = fdt_first_child(f, root); n != FDT_NONE; n = fdt_next_sibling(f, n)) {
        const char *type = fdt_prop_string(f, n, "device_type");
        uint32_t i = 0U;
        uint64_t base;
        uint64_t size;

        if ((type == NULL) || (strcmp(type, "memory") != 0)) {
            continue;
        }
        while (fdt_reg(f, n, i, &base, &size) && (p->mem_count < PLAT_MAX_MEM_BANKS)) {
            if (size != 0U) {
                p->mem[p->mem_count].base = base;
                p->mem[p->mem_count].size = size;
                p->mem_count++;
                p->mem_total += size;
            }
            i++;
        }
    }
}

static void probe_cpus(struct platform *p)
{
    const struct fdt *f = &p->fdt;
    int cpus = fdt_path(f, "/cpus");
    uint32_t ac;
    int n;

    if (cpus == FDT_NONE) {
        return;
    }
    ac = fdt_prop_u32(f, cpus, "#address-cells", 1U);
    for (n = fdt_first_child(f, cpus); n != FDT_NONE; n = fdt_next_sibling(f, n)) {
        const char *type = fdt_prop_string(f, n, "device_type");
        uint32_t len = 0U;
        const void *reg = fdt_prop(f, n, "reg", &len);

        if ((type == NULL) || (strcmp(type, "cpu") != 0) || (reg == NULL) ||
            (ac < 1U) || (ac > 2U) || (len < (ac * 4U))) {
            continue;
        }
        if (p->cpu_count < GUEST_LIB_MAX_VCPUS) {
            p->cpu_mpidr[p->cpu_count] = fdt_cells_value(reg, ac);
        }
        p->cpu_count++;
    }
}

static void probe_uart(struct platform *p)
{
    const struct fdt *f = &p->fdt;
    uint64_t size;
    int n = fdt_find_compatible(f, FDT_NONE, "arm,sbsa-uart");

    if (n == FDT_NONE) {
        n = fdt_find_compatible(f, FDT_NONE, "arm,pl011");
    }
    if ((n != FDT_NONE) && fdt_reg(f, n, 0U, &p->uart_base, &size)) {
        const char *status = fdt_prop_string(f, n, "status");

        if ((status == NULL) || (strcmp(status, "okay") == 0) || (strcmp(status, "ok") == 0)) {
            p->has_uart = true;
            p->uart_intid = platform_irq(p, n, 0U);
        }
    }
}

static void probe_gic(struct platform *p)
{
    const struct fdt *f = &p->fdt;
    int n = fdt_find_compatible(f, FDT_NONE, "arm,gic-v3");

    if (n != FDT_NONE) {
        if (fdt_reg(f, n, 0U, &p->gicd_base, &p->gicd_size) &&
            fdt_reg(f, n, 1U, &p->gicr_base, &p->gicr_size)) {
            p->gic_version = 3U;
            p->gicr_stride = 0U;
            {
                uint32_t len = 0U;
                const void *s = fdt_prop(f, n, "redistributor-stride", &len);

                if ((s != NULL) && ((len == 4U) || (len == 8U))) {
                    p->gicr_stride = fdt_cells_value(s, len / 4U);
                }
            }
        }
        return;
    }
    n = fdt_find_compatible(f, FDT_NONE, "arm,cortex-a15-gic");
    if ((n != FDT_NONE) && fdt_reg(f, n, 0U, &p->gicd_base, &p->gicd_size)) {
        p->gic_version = 2U;    /* found, so a test can say why it cannot run */
    }
}

static void probe_timer(struct platform *p)
{
    const struct fdt *f = &p->fdt;
    int n = fdt_find_compatible(f, FDT_NONE, "arm,armv8-timer");

    p->vtimer_intid = 27U;      /* the architecture's recommended PPI */
    if (n != FDT_NONE) {
        /* interrupts: secure phys, non-secure phys, virtual, hyp phys */
        uint32_t intid = platform_irq(p, n, 2U);

        if (intid != 0U) {
            p->vtimer_intid = intid;
        }
        p->timer_dt_freq = fdt_prop_u32(f, n, "clock-frequency", 0U);
    }
}

static void probe_hypervisor(struct platform *p)
{
    const struct fdt *f = &p->fdt;
    int psci = fdt_path(f, "/psci");
    int hyp = fdt_path(f, "/hypervisor");

    if (psci != FDT_NONE) {
        const char *method = fdt_prop_string(f, psci, "method");

        p->psci_hvc = (method != NULL) && (strcmp(method, "hvc") == 0);
    }
    if ((hyp != FDT_NONE) && fdt_is_compatible(f, hyp, "xen,xen")) {
        p->has_hypervisor = true;
        p->hypervisor_compat = fdt_prop_string(f, hyp, "compatible");
        (void)fdt_reg(f, hyp, 0U, &p->gnttab_base, &p->gnttab_size);
        p->evtchn_intid = platform_irq(p, hyp, 0U);
        while ((p->ext_count < PLAT_MAX_EXT_REGIONS) &&
               fdt_reg(f, hyp, p->ext_count + 1U, &p->ext_region[p->ext_count].base,
                       &p->ext_region[p->ext_count].size)) {
            p->ext_count++;
        }
    }
}

int platform_probe(struct platform *p, const void *dtb)
{
    int chosen;
    int rc;

    memset(p, 0, sizeof(*p));
    p->dtb = dtb;
    p->bootargs = "";
    rc = fdt_open(&p->fdt, dtb);
    if (rc != 0) {
        return rc;
    }
    chosen = fdt_path(&p->fdt, "/chosen");
    if (chosen != FDT_NONE) {
        const char *args = fdt_prop_string(&p->fdt, chosen, "bootargs");

        if (args != NULL) {
            p->bootargs = args;
        }
    }
    probe_memory(p);
    probe_cpus(p);
    probe_uart(p);
    probe_gic(p);
    probe_timer(p);
    probe_hypervisor(p);
    return 0;
}
