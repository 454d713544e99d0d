/* A dom0less domU's device tree, node for node as Xen 4.17 writes it (see
 * domain_fdt.h for the tree and where each value comes from).
 *
 * The configuration is checked completely before the first byte is
 * written, so the only failures left while writing are the writer's own
 * (-ENOSPC). Those stick in the writer, so the node builders below make
 * their calls one after another and report the writer's state at the end.
 */
#include <proxenos/domain_fdt.h>
#include <proxenos/errno.h>
#include <proxenos/fdt.h>
#include <proxenos/fdt_write.h>
#include <proxenos/lib.h>
#include <proxenos/string.h>

/* Xen wires every guest interrupt to "CPUs 0-3" in the specifier's PPI CPU
 * mask (bits [15:8] of the flags cell), SPIs included. */
#define IRQ_CPU_MASK        0xfU

#define INTID_PPI_FIRST     16U
#define INTID_SPI_FIRST     32U
#define INTID_SPI_LAST      1019U

#define PL011_CURRENT_SPEED 115200U

/* The minimum size and alignment of an extended region (find_domU_holes). */
#define EXT_REGION_MIN      MiB(64)
#define EXT_REGION_ALIGN    MiB(2)

/* "prefix@" + up to 16 hex digits + NUL; the longest prefix is
 * "interrupt-controller" (20). */
#define UNIT_NAME_MAX       48U

static const char cpu_compatible_default[] = "arm,armv8";

/* ---- Small helpers --------------------------------------------------------- */

/* "<prefix>@<unit in lowercase hex, no leading zeros>" into buf. */
static void unit_name(char buf[UNIT_NAME_MAX], const char *prefix, uint64_t unit)
{
    static const char hex[] = "0123456789abcdef";
    char digits[16];
    size_t n = 0U;
    size_t len = strnlen(prefix, (size_t)UNIT_NAME_MAX - 18U);
    uint64_t v = unit;

    memcpy(buf, prefix, len);
    buf[len] = '@';
    len++;
    do {
        digits[n] = hex[v & 0xfU];
        n++;
        v >>= 4;
    } while ((v != 0U) && (n < sizeof(digits)));
    while (n > 0U) {
        n--;
        buf[len] = digits[n];
        len++;
    }
    buf[len] = '\0';
}

static bool region_ok(const struct domain_fdt_region *r)
{
    return (r->size != 0U) && (r->base <= (UINT64_MAX - r->size));
}

static bool regions_ok(const struct domain_fdt_region *r, unsigned int n)
{
    unsigned int i;

    if ((r == NULL) && (n != 0U)) {
        return false;
    }
    for (i = 0U; i < n; i++) {
        if (!region_ok(&r[i])) {
            return false;
        }
    }
    return true;
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

/* One <address size> pair with the root's 2 + 2 cells. */
static void append_region(struct fdt_writer *w, const struct domain_fdt_region *r)
{
    (void)fdt_writer_prop_append_cells(w, r->base, GUEST_ROOT_ADDRESS_CELLS);
    (void)fdt_writer_prop_append_cells(w, r->size, GUEST_ROOT_SIZE_CELLS);
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

static bool gic_ok(const struct domain_fdt_config *cfg)
{
    bool ok = false;

    if (cfg->gic == DOMAIN_FDT_GIC_V3) {
        ok = ((cfg->gicd.size == 0U) || region_ok(&cfg->gicd)) &&
             regions_ok(cfg->gicr, cfg->nr_gicr);
    } else if (cfg->gic == DOMAIN_FDT_GIC_V2) {
        ok = ((cfg->gicd.size == 0U) || region_ok(&cfg->gicd)) &&
             ((cfg->gicc.size == 0U) || region_ok(&cfg->gicc));
    } else {
        ok = false;
    }
    return ok;
}

static bool config_ok(const struct domain_fdt_config *cfg)
{
    bool ok = (cfg->nr_vcpus >= 1U) && (cfg->nr_vcpus <= (unsigned int)GUEST_MAX_VCPUS) &&
              (cfg->nr_mem >= 1U) && regions_ok(cfg->mem, cfg->nr_mem) && gic_ok(cfg);

    if (ok && (cfg->cpu_compatible != NULL)) {
        /* A string list: not empty and ending in a NUL. */
        ok = (cfg->cpu_compatible_len != 0U) &&
             (cfg->cpu_compatible[cfg->cpu_compatible_len - 1U] == '\0');
    }
    if (ok && (cfg->initrd_size != 0U)) {
        ok = cfg->initrd_start <= (UINT64_MAX - cfg->initrd_size);
    }
    if (ok && cfg->vpl011 && (cfg->vpl011_intid != 0U)) {
        ok = (cfg->vpl011_intid >= INTID_SPI_FIRST) && (cfg->vpl011_intid <= INTID_SPI_LAST);
    }
    if (ok && cfg->enhanced) {
        ok = ((cfg->gnttab.size == 0U) || region_ok(&cfg->gnttab)) &&
             regions_ok(cfg->ext_regions, cfg->nr_ext_regions) &&
             ((cfg->evtchn_intid == 0U) ||
              ((cfg->evtchn_intid >= INTID_PPI_FIRST) && (cfg->evtchn_intid < INTID_SPI_FIRST)));
    }
    return ok;
}

/* ---- Nodes, in Xen's order ------------------------------------------------------ */

static int make_chosen(struct fdt_writer *w, const struct domain_fdt_config *cfg)
{
    (void)fdt_writer_begin_node(w, "chosen");
    if ((cfg->bootargs != NULL) && (cfg->bootargs[0] != '\0')) {
        (void)fdt_writer_prop_string(w, "bootargs", cfg->bootargs);
    }
    if (cfg->initrd_size != 0U) {
        /* Always two cells, whatever #address-cells says: what Xen and
         * Linux use for these two. */
        (void)fdt_writer_prop_u64(w, "linux,initrd-start", cfg->initrd_start);
        (void)fdt_writer_prop_u64(w, "linux,initrd-end", cfg->initrd_start + cfg->initrd_size);
    }
    return fdt_writer_end_node(w);
}

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
    const char *compat = cpu_compatible_default;
    uint32_t compat_len = (uint32_t)sizeof(cpu_compatible_default);
    char name[UNIT_NAME_MAX];
    unsigned int cpu;

    if (cfg->cpu_compatible != NULL) {
        compat = cfg->cpu_compatible;
        compat_len = cfg->cpu_compatible_len;
    }
    (void)fdt_writer_begin_node(w, "cpus");
    (void)fdt_writer_prop_u32(w, "#address-cells", 1U);
    (void)fdt_writer_prop_u32(w, "#size-cells", 0U);
    for (cpu = 0U; cpu < cfg->nr_vcpus; cpu++) {
        uint32_t aff = domain_fdt_vcpu_affinity(cpu);

        unit_name(name, "cpu", aff);
        (void)fdt_writer_begin_node(w, name);
        (void)fdt_writer_prop(w, "compatible", compat, compat_len);
        (void)fdt_writer_prop_string(w, "device_type", "cpu");
        (void)fdt_writer_prop_u32(w, "reg", aff);
        if (cfg->cpu_clock_frequency != 0U) {
            (void)fdt_writer_prop_u32(w, "clock-frequency", cfg->cpu_clock_frequency);
        }
        if (!cfg->aarch32) {
            /* AArch32 guests get no enable-method (Xen 4.17 does the same). */
            (void)fdt_writer_prop_string(w, "enable-method", "psci");
        }
        (void)fdt_writer_end_node(w);
    }
    return fdt_writer_end_node(w);
}

/* One node named after the first bank, holding every bank (Xen 4.17's
 * make_memory_node; the spec would allow one node per bank too). */
static int make_memory(struct fdt_writer *w, const struct domain_fdt_config *cfg)
{
    char name[UNIT_NAME_MAX];
    unsigned int i;

    unit_name(name, "memory", cfg->mem[0].base);
    (void)fdt_writer_begin_node(w, name);
    (void)fdt_writer_prop_string(w, "device_type", "memory");
    (void)fdt_writer_prop_begin(w, "reg");
    for (i = 0U; i < cfg->nr_mem; i++) {
        append_region(w, &cfg->mem[i]);
    }
    (void)fdt_writer_prop_end(w);
    return fdt_writer_end_node(w);
}

static int make_gic(struct fdt_writer *w, const struct domain_fdt_config *cfg)
{
    static const struct domain_fdt_region gicr_default = {
        GUEST_GICV3_GICR0_BASE, GUEST_GICV3_GICR0_SIZE
    };
    bool v3 = cfg->gic == DOMAIN_FDT_GIC_V3;
    struct domain_fdt_region gicd = region_or(&cfg->gicd,
                                              v3 ? GUEST_GICV3_GICD_BASE : GUEST_GICD_BASE,
                                              v3 ? GUEST_GICV3_GICD_SIZE : GUEST_GICD_SIZE);
    char name[UNIT_NAME_MAX];
    unsigned int i;

    unit_name(name, "interrupt-controller", gicd.base);
    (void)fdt_writer_begin_node(w, name);
    (void)fdt_writer_prop_u32(w, "#address-cells", 0U);
    (void)fdt_writer_prop_u32(w, "#interrupt-cells", 3U);
    (void)fdt_writer_prop_empty(w, "interrupt-controller");
    (void)fdt_writer_prop_string(w, "compatible", v3 ? "arm,gic-v3" : "arm,gic-400");
    (void)fdt_writer_prop_begin(w, "reg");
    append_region(w, &gicd);
    if (!v3) {
        struct domain_fdt_region gicc = region_or(&cfg->gicc, GUEST_GICC_BASE, GUEST_GICC_SIZE);

        append_region(w, &gicc);
    } else if ((cfg->gicr == NULL) || (cfg->nr_gicr == 0U)) {
        /* The whole 16 MiB window, whatever the vCPU count, as Xen. */
        append_region(w, &gicr_default);
    } else {
        for (i = 0U; i < cfg->nr_gicr; i++) {
            append_region(w, &cfg->gicr[i]);
        }
    }
    (void)fdt_writer_prop_end(w);
    (void)fdt_writer_prop_u32(w, "linux,phandle", GUEST_PHANDLE_GIC);
    (void)fdt_writer_prop_u32(w, "phandle", GUEST_PHANDLE_GIC);
    return fdt_writer_end_node(w);
}

static int make_timer(struct fdt_writer *w, const struct domain_fdt_config *cfg)
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

static int make_vpl011(struct fdt_writer *w, const struct domain_fdt_config *cfg)
{
    struct domain_fdt_region reg = { cfg->vpl011_base, GUEST_PL011_SIZE };
    uint32_t intid = (cfg->vpl011_intid != 0U) ? cfg->vpl011_intid : GUEST_VPL011_SPI;
    char name[UNIT_NAME_MAX];

    if (reg.base == 0U) {
        reg.base = GUEST_PL011_BASE;
    }
    unit_name(name, "sbsa-uart", reg.base);
    (void)fdt_writer_begin_node(w, name);
    (void)fdt_writer_prop_string(w, "compatible", "arm,sbsa-uart");
    (void)fdt_writer_prop_begin(w, "reg");
    append_region(w, &reg);
    (void)fdt_writer_prop_end(w);
    (void)fdt_writer_prop_begin(w, "interrupts");
    append_irq(w, intid, DT_IRQ_TYPE_LEVEL_HIGH);
    (void)fdt_writer_prop_end(w);
    put_interrupt_parent(w);
    (void)fdt_writer_prop_u32(w, "current-speed", PL011_CURRENT_SPEED);
    return fdt_writer_end_node(w);
}

static int make_hypervisor(struct fdt_writer *w, const struct domain_fdt_config *cfg)
{
    static const char *const compat[] = { "xen,xen-4.17", "xen,xen" };
    struct domain_fdt_region gnttab = region_or(&cfg->gnttab, GUEST_GNTTAB_BASE,
                                                GUEST_GNTTAB_SIZE);
    uint32_t evtchn = (cfg->evtchn_intid != 0U) ? cfg->evtchn_intid : GUEST_EVTCHN_PPI;
    unsigned int i;

    (void)fdt_writer_begin_node(w, "hypervisor");
    (void)fdt_writer_prop_stringlist(w, "compatible", compat, (uint32_t)ARRAY_SIZE(compat));
    /* reg[0]: where to map the grant table; reg[1..]: extended regions,
     * free guest address space for foreign mappings (64-bit guests only). */
    (void)fdt_writer_prop_begin(w, "reg");
    append_region(w, &gnttab);
    if (!cfg->aarch32) {
        for (i = 0U; i < cfg->nr_ext_regions; i++) {
            append_region(w, &cfg->ext_regions[i]);
        }
    }
    (void)fdt_writer_prop_end(w);
    (void)fdt_writer_prop_begin(w, "interrupts");
    append_irq(w, evtchn, DT_IRQ_TYPE_LEVEL_LOW);
    (void)fdt_writer_prop_end(w);
    put_interrupt_parent(w);
    return fdt_writer_end_node(w);
}

/* ---- Entry points --------------------------------------------------------------- */

int domain_fdt_build_domu(const struct domain_fdt_config *cfg, void *buf, size_t size,
                          uint32_t *out_size)
{
    struct fdt_writer w;
    int rc;

    if ((cfg == NULL) || (buf == NULL) || !config_ok(cfg)) {
        return -EINVAL;
    }
    rc = fdt_writer_init(&w, buf, size);
    if (rc != 0) {
        return rc;
    }
    (void)fdt_writer_begin_node(&w, "");
    (void)fdt_writer_prop_u32(&w, "#address-cells", GUEST_ROOT_ADDRESS_CELLS);
    (void)fdt_writer_prop_u32(&w, "#size-cells", GUEST_ROOT_SIZE_CELLS);
    (void)make_chosen(&w, cfg);
    (void)make_psci(&w);
    (void)make_cpus(&w, cfg);
    (void)make_memory(&w, cfg);
    (void)make_gic(&w, cfg);
    (void)make_timer(&w, cfg);
    if (cfg->vpl011) {
        (void)make_vpl011(&w, cfg);
    }
    if (cfg->enhanced) {
        (void)make_hypervisor(&w, cfg);
    }
    (void)fdt_writer_end_node(&w);
    rc = fdt_writer_finish(&w);
    if ((rc == 0) && (out_size != NULL)) {
        *out_size = fdt_writer_size(&w);
    }
    return rc;
}

int domain_fdt_set_initrd(void *blob, size_t size, uint64_t start, uint64_t end)
{
    static const char chosen[] = "/chosen";
    uint8_t *b = blob;
    struct fdt fdt;
    const uint8_t *vs;
    const uint8_t *ve;
    uint32_t ls = 0U;
    uint32_t le = 0U;
    int node;
    unsigned int i;

    if ((end < start) || (fdt_check(&fdt, blob, size) != 0)) {
        return -EINVAL;
    }
    node = fdt_path_offset(&fdt, chosen, sizeof(chosen) - 1U);
    if (node < 0) {
        return -ENOENT;
    }
    vs = fdt_getprop(&fdt, node, "linux,initrd-start", &ls);
    ve = fdt_getprop(&fdt, node, "linux,initrd-end", &le);
    if ((vs == NULL) || (ve == NULL) || (ls != 8U) || (le != 8U)) {
        return -ENOENT;
    }
    /* The reader hands out const pointers into the blob; write through
     * the caller's own pointer at the same offsets. */
    for (i = 0U; i < 8U; i++) {
        uint32_t shift = 56U - (8U * i);

        b[(size_t)(vs - b) + i] = (uint8_t)(start >> shift);
        b[(size_t)(ve - b) + i] = (uint8_t)(end >> shift);
    }
    return 0;
}

unsigned int domain_fdt_domu_ext_regions(const uint64_t ram_size[GUEST_RAM_BANKS],
                                         unsigned int ipa_bits,
                                         struct domain_fdt_region out[GUEST_RAM_BANKS])
{
    static const uint64_t bank_base[GUEST_RAM_BANKS] = GUEST_RAM_BANK_BASES;
    static const uint64_t bank_size[GUEST_RAM_BANKS] = GUEST_RAM_BANK_SIZES;
    uint64_t ipa_last = UINT64_MAX;
    unsigned int n = 0U;
    unsigned int i;

    if (ipa_bits == 0U) {
        return 0U;
    }
    if (ipa_bits < 64U) {
        ipa_last = (1ULL << ipa_bits) - 1U;
    }
    for (i = 0U; i < (unsigned int)GUEST_RAM_BANKS; i++) {
        uint64_t start;
        uint64_t last;

        if (ram_size[i] >= bank_size[i]) {
            continue;
        }
        /* Banks end below 2^41, so none of this can wrap. */
        start = ALIGN_UP(bank_base[i] + ram_size[i], EXT_REGION_ALIGN);
        last = MIN(ipa_last, bank_base[i] + bank_size[i] - 1U);
        if ((last <= start) || ((last - start + 1U) < EXT_REGION_MIN)) {
            continue;
        }
        out[n].base = start;
        out[n].size = last - start + 1U;
        n++;
    }
    return n;
}
