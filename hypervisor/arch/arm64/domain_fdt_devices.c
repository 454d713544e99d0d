/* The Arm nodes of a dom0less domU's device tree (the arch_domain_fdt_*
 * hooks): PSCI and the CPUs, then the GIC, the generic timer, the SBSA
 * UART, the virtio-mmio devices (as libxl writes them) and the
 * /hypervisor node, each as Xen 4.17 writes it (see
 * <asm/domain_fdt_devices.h> for the nodes and <proxenos/domain_fdt.h> for
 * the whole tree). Common code writes the root, /chosen and the memory
 * node around them and checks what is not Arm's in the configuration; the
 * Arm part of it comes through cfg->arch (NULL: every default).
 *
 * As in common/boot/domain_fdt.c, the writer's failures stick in the writer, so
 * the node builders make their calls one after another and report the
 * writer's state at the end.
 */
#include <asm/domain_fdt_devices.h>
#include <proxenos/arch/domain_fdt.h>
#include <proxenos/errno.h>
#include <proxenos/fdt_write.h>
#include <proxenos/lib.h>
#include <public/arch-arm.h>
#include <public/device_tree_defs.h>

/* Common code bounds a tree's vCPUs by its own limit, which must be the
 * guest ABI's. */
_Static_assert(MAX_VCPUS_PER_DOMAIN == (unsigned int)GUEST_MAX_VCPUS,
               "a domU tree's vCPU limit is Arm's GUEST_MAX_VCPUS");

/* Xen wires every guest interrupt to "CPUs 0-3" in the specifier's PPI CPU
 * mask (bits [15:8] of the flags cell), SPIs included. */
#define IRQ_CPU_MASK        0xfU

#define INTID_PPI_FIRST     16U
#define INTID_SPI_FIRST     32U
#define INTID_SPI_LAST      1019U

#define PL011_CURRENT_SPEED 115200U

static const char cpu_compatible_default[] = "arm,armv8";

/* ---- Small helpers --------------------------------------------------------- */

/* The Arm part of cfg: a configuration without one takes every default. */
static const struct arch_domain_fdt_config *arch_of(const struct domain_fdt_config *cfg)
{
    static const struct arch_domain_fdt_config defaults = { 0 };

    return (cfg->arch != NULL) ? cfg->arch : &defaults;
}

/* A region given in the config, or Xen's default when its size is 0. */
static struct domain_fdt_region region_or(const struct domain_fdt_region *given,
                                          uint64_t base, uint64_t size)
{
    struct domain_fdt_region r = { base, size };

    if (given->size != 0U) {
        r = *given;
    }
    return r;
}

/* A GIC specifier <type number flags> for a PPI or SPI INTID, as Xen's
 * set_interrupt() writes it. */
static void append_irq(struct fdt_writer *w, uint32_t intid, uint32_t trigger)
{
    bool ppi = intid < INTID_SPI_FIRST;
    uint32_t first = ppi ? INTID_PPI_FIRST : INTID_SPI_FIRST;

    (void)fdt_writer_prop_append_cells(w, ppi ? 1U : 0U, 1U);
    (void)fdt_writer_prop_append_cells(w, (uint64_t)intid - first, 1U);
    (void)fdt_writer_prop_append_cells(w, (IRQ_CPU_MASK << 8) | trigger, 1U);
}

/* "interrupt-parent" pointing at the GIC: Xen writes it on every node with
 * interrupts, never on the root. */
static void put_interrupt_parent(struct fdt_writer *w)
{
    (void)fdt_writer_prop_u32(w, "interrupt-parent", GUEST_PHANDLE_GIC);
}

/* ---- Configuration check ------------------------------------------------------ */

static bool gic_ok(const struct arch_domain_fdt_config *cfg)
{
    bool ok = false;

    if (cfg->gic == DOMAIN_FDT_GIC_V3) {
        ok = ((cfg->gicd.size == 0U) || domain_fdt_region_ok(&cfg->gicd)) &&
             domain_fdt_regions_ok(cfg->gicr, cfg->nr_gicr);
    } else if (cfg->gic == DOMAIN_FDT_GIC_V2) {
        ok = ((cfg->gicd.size == 0U) || domain_fdt_region_ok(&cfg->gicd)) &&
             ((cfg->gicc.size == 0U) || domain_fdt_region_ok(&cfg->gicc));
    } else {
        ok = false;
    }
    return ok;
}

bool arch_domain_fdt_config_ok(const struct domain_fdt_config *cfg)
{
    const struct arch_domain_fdt_config *a = arch_of(cfg);
    bool ok = gic_ok(a);

    if (ok && (a->cpu_compatible != NULL)) {
        /* A string list: not empty and ending in a NUL. */
        ok = (a->cpu_compatible_len != 0U) &&
             (a->cpu_compatible[a->cpu_compatible_len - 1U] == '\0');
    }
    if (ok && a->vpl011 && (a->vpl011_intid != 0U)) {
        ok = (a->vpl011_intid >= INTID_SPI_FIRST) && (a->vpl011_intid <= INTID_SPI_LAST);
    }
    for (unsigned int i = 0U; ok && (i < cfg->nr_virtio); i++) {
        ok = (cfg->virtio[i].intid >= INTID_SPI_FIRST) && (cfg->virtio[i].intid <= INTID_SPI_LAST);
    }
    if (ok && cfg->enhanced) {
        ok = ((cfg->gnttab.size == 0U) || domain_fdt_region_ok(&cfg->gnttab)) &&
             domain_fdt_regions_ok(cfg->ext_regions, cfg->nr_ext_regions) &&
             ((a->evtchn_intid == 0U) ||
              ((a->evtchn_intid >= INTID_PPI_FIRST) && (a->evtchn_intid < INTID_SPI_FIRST)));
    }
    return ok;
}

/* ---- Nodes, in Xen's order ------------------------------------------------------ */

static int make_psci(struct fdt_writer *w)
{
    static const char *const compat[] = { "arm,psci-1.0", "arm,psci-0.2", "arm,psci" };

    (void)fdt_writer_begin_node(w, "psci");
    (void)fdt_writer_prop_stringlist(w, "compatible", compat, (uint32_t)ARRAY_SIZE(compat));
    (void)fdt_writer_prop_string(w, "method", "hvc");
    /* PSCI 0.1 function ids; 0.2+ guests use the standard SMCCC ids. */
    (void)fdt_writer_prop_u32(w, "cpu_off", PSCI_cpu_off);
    (void)fdt_writer_prop_u32(w, "cpu_on", PSCI_cpu_on);
    return fdt_writer_end_node(w);
}

uint32_t domain_fdt_vcpu_affinity(unsigned int vcpu)
{
    return (vcpu & 0xfU) | (((vcpu >> 4) & 0xffU) << 8);
}

static int make_cpus(struct fdt_writer *w, const struct domain_fdt_config *cfg)
{
    const struct arch_domain_fdt_config *a = arch_of(cfg);
    const char *compat = cpu_compatible_default;
    uint32_t compat_len = (uint32_t)sizeof(cpu_compatible_default);
    char name[DOMAIN_FDT_UNIT_NAME_MAX];
    unsigned int cpu;

    if (a->cpu_compatible != NULL) {
        compat = a->cpu_compatible;
        compat_len = a->cpu_compatible_len;
    }
    (void)fdt_writer_begin_node(w, "cpus");
    (void)fdt_writer_prop_u32(w, "#address-cells", 1U);
    (void)fdt_writer_prop_u32(w, "#size-cells", 0U);
    for (cpu = 0U; cpu < cfg->nr_vcpus; cpu++) {
        uint32_t aff = domain_fdt_vcpu_affinity(cpu);

        domain_fdt_unit_name(name, "cpu", aff);
        (void)fdt_writer_begin_node(w, name);
        (void)fdt_writer_prop(w, "compatible", compat, compat_len);
        (void)fdt_writer_prop_string(w, "device_type", "cpu");
        (void)fdt_writer_prop_u32(w, "reg", aff);
        if (a->cpu_clock_frequency != 0U) {
            (void)fdt_writer_prop_u32(w, "clock-frequency", a->cpu_clock_frequency);
        }
        if (!a->aarch32) {
            /* AArch32 guests get no enable-method (Xen 4.17 does the same). */
            (void)fdt_writer_prop_string(w, "enable-method", "psci");
        }
        (void)fdt_writer_end_node(w);
    }
    return fdt_writer_end_node(w);
}

static int make_gic(struct fdt_writer *w, const struct arch_domain_fdt_config *cfg)
{
    static const struct domain_fdt_region gicr_default = {
        GUEST_GICV3_GICR0_BASE, GUEST_GICV3_GICR0_SIZE
    };
    bool v3 = cfg->gic == DOMAIN_FDT_GIC_V3;
    struct domain_fdt_region gicd = region_or(&cfg->gicd,
                                              v3 ? GUEST_GICV3_GICD_BASE : GUEST_GICD_BASE,
                                              v3 ? GUEST_GICV3_GICD_SIZE : GUEST_GICD_SIZE);
    char name[DOMAIN_FDT_UNIT_NAME_MAX];
    unsigned int i;

    domain_fdt_unit_name(name, "interrupt-controller", gicd.base);
    (void)fdt_writer_begin_node(w, name);
    (void)fdt_writer_prop_u32(w, "#address-cells", 0U);
    (void)fdt_writer_prop_u32(w, "#interrupt-cells", 3U);
    (void)fdt_writer_prop_empty(w, "interrupt-controller");
    (void)fdt_writer_prop_string(w, "compatible", v3 ? "arm,gic-v3" : "arm,gic-400");
    (void)fdt_writer_prop_begin(w, "reg");
    domain_fdt_append_region(w, &gicd);
    if (!v3) {
        struct domain_fdt_region gicc = region_or(&cfg->gicc, GUEST_GICC_BASE, GUEST_GICC_SIZE);

        domain_fdt_append_region(w, &gicc);
    } else if ((cfg->gicr == NULL) || (cfg->nr_gicr == 0U)) {
        /* The whole 16 MiB window, whatever the vCPU count, as Xen. */
        domain_fdt_append_region(w, &gicr_default);
    } else {
        for (i = 0U; i < cfg->nr_gicr; i++) {
            domain_fdt_append_region(w, &cfg->gicr[i]);
        }
    }
    (void)fdt_writer_prop_end(w);
    (void)fdt_writer_prop_u32(w, "linux,phandle", GUEST_PHANDLE_GIC);
    (void)fdt_writer_prop_u32(w, "phandle", GUEST_PHANDLE_GIC);
    return fdt_writer_end_node(w);
}

static int make_timer(struct fdt_writer *w, const struct arch_domain_fdt_config *cfg)
{
    (void)fdt_writer_begin_node(w, "timer");
    (void)fdt_writer_prop_string(w, "compatible",
                                 cfg->aarch32 ? "arm,armv7-timer" : "arm,armv8-timer");
    /* The binding's order: secure, non-secure physical, virtual. Xen
     * emulates them as active-low level interrupts. */
    (void)fdt_writer_prop_begin(w, "interrupts");
    append_irq(w, GUEST_TIMER_PHYS_S_PPI, DT_IRQ_TYPE_LEVEL_LOW);
    append_irq(w, GUEST_TIMER_PHYS_NS_PPI, DT_IRQ_TYPE_LEVEL_LOW);
    append_irq(w, GUEST_TIMER_VIRT_PPI, DT_IRQ_TYPE_LEVEL_LOW);
    (void)fdt_writer_prop_end(w);
    put_interrupt_parent(w);
    if (cfg->timer_clock_frequency != 0U) {
        (void)fdt_writer_prop_u32(w, "clock-frequency", cfg->timer_clock_frequency);
    }
    return fdt_writer_end_node(w);
}

static int make_vpl011(struct fdt_writer *w, const struct arch_domain_fdt_config *cfg)
{
    struct domain_fdt_region reg = { cfg->vpl011_base, GUEST_PL011_SIZE };
    uint32_t intid = (cfg->vpl011_intid != 0U) ? cfg->vpl011_intid : GUEST_VPL011_SPI;
    char name[DOMAIN_FDT_UNIT_NAME_MAX];

    if (reg.base == 0U) {
        reg.base = GUEST_PL011_BASE;
    }
    domain_fdt_unit_name(name, "sbsa-uart", reg.base);
    (void)fdt_writer_begin_node(w, name);
    (void)fdt_writer_prop_string(w, "compatible", "arm,sbsa-uart");
    (void)fdt_writer_prop_begin(w, "reg");
    domain_fdt_append_region(w, &reg);
    (void)fdt_writer_prop_end(w);
    (void)fdt_writer_prop_begin(w, "interrupts");
    append_irq(w, intid, DT_IRQ_TYPE_LEVEL_HIGH);
    (void)fdt_writer_prop_end(w);
    put_interrupt_parent(w);
    (void)fdt_writer_prop_u32(w, "current-speed", PL011_CURRENT_SPEED);
    return fdt_writer_end_node(w);
}

/* A virtio-mmio device, as libxl's make_virtio_mmio_node writes it for
 * xl's virtio disks: a rising-edge SPI (the back end raises the line with
 * set_irq_level for each notification) and DMA coherent, as the back end
 * reaches the guest's buffers through the CPU's caches. No "iommus": the
 * back end is dom0, which maps the buffers as foreign pages. */
static int make_virtio(struct fdt_writer *w, const struct domain_fdt_virtio *v)
{
    const struct domain_fdt_region reg = { v->base, v->size };
    char name[DOMAIN_FDT_UNIT_NAME_MAX];

    domain_fdt_unit_name(name, "virtio", v->base);
    (void)fdt_writer_begin_node(w, name);
    (void)fdt_writer_prop_string(w, "compatible", "virtio,mmio");
    (void)fdt_writer_prop_begin(w, "reg");
    domain_fdt_append_region(w, &reg);
    (void)fdt_writer_prop_end(w);
    (void)fdt_writer_prop_begin(w, "interrupts");
    append_irq(w, v->intid, DT_IRQ_TYPE_EDGE_RISING);
    (void)fdt_writer_prop_end(w);
    put_interrupt_parent(w);
    (void)fdt_writer_prop_empty(w, "dma-coherent");
    return fdt_writer_end_node(w);
}

/* Xen's node for PV guests on Arm: where to map the grant table and which
 * PPI carries event-channel upcalls. */
static int make_hypervisor(struct fdt_writer *w, const struct domain_fdt_config *cfg)
{
    static const char *const compat[] = { "xen,xen-4.17", "xen,xen" };
    const struct arch_domain_fdt_config *a = arch_of(cfg);
    struct domain_fdt_region gnttab = region_or(&cfg->gnttab, GUEST_GNTTAB_BASE,
                                                GUEST_GNTTAB_SIZE);
    uint32_t evtchn = (a->evtchn_intid != 0U) ? a->evtchn_intid : GUEST_EVTCHN_PPI;
    unsigned int i;

    (void)fdt_writer_begin_node(w, "hypervisor");
    (void)fdt_writer_prop_stringlist(w, "compatible", compat, (uint32_t)ARRAY_SIZE(compat));
    /* reg[0]: where to map the grant table; reg[1..]: extended regions,
     * free guest address space for foreign mappings (64-bit guests only). */
    (void)fdt_writer_prop_begin(w, "reg");
    domain_fdt_append_region(w, &gnttab);
    if (!a->aarch32) {
        for (i = 0U; i < cfg->nr_ext_regions; i++) {
            domain_fdt_append_region(w, &cfg->ext_regions[i]);
        }
    }
    (void)fdt_writer_prop_end(w);
    (void)fdt_writer_prop_begin(w, "interrupts");
    append_irq(w, evtchn, DT_IRQ_TYPE_LEVEL_LOW);
    (void)fdt_writer_prop_end(w);
    put_interrupt_parent(w);
    return fdt_writer_end_node(w);
}

/* ---- The hook ------------------------------------------------------------------- */

int arch_domain_fdt_nodes(struct fdt_writer *w, const struct domain_fdt_config *cfg,
                          enum arch_domain_fdt_slot slot)
{
    if (slot == ARCH_DOMAIN_FDT_CPUS) {
        (void)make_psci(w);
        (void)make_cpus(w, cfg);
    } else {
        const struct arch_domain_fdt_config *a = arch_of(cfg);

        (void)make_gic(w, a);
        (void)make_timer(w, a);
        if (a->vpl011) {
            (void)make_vpl011(w, a);
        }
        for (unsigned int i = 0U; i < cfg->nr_virtio; i++) {
            (void)make_virtio(w, &cfg->virtio[i]);
        }
        if (cfg->enhanced) {
            (void)make_hypervisor(w, cfg);
        }
    }
    return fdt_writer_error(w);
}
