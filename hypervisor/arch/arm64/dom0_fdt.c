/* dom0's device tree, made from the host's as Xen 4.17 makes it: every
 * node is copied except what the hypervisor keeps or replaces. /chosen
 * (keeping the host's properties but the command lines, the ramdisk, the
 * console and EFI's), /cpus, /psci and the memory nodes are written anew
 * for dom0; the GIC
 * node keeps its name and phandle but describes the virtual GIC at the
 * host's addresses; the UART the hypervisor uses, Xen's boot modules,
 * the devices Xen keeps from dom0 (PMU, ...) and nodes marked
 * xen,passthrough are left out. Devices dom0 sees have their
 * MMIO mapped 1:1 (dom0_map_devices). A /hypervisor node tells dom0 it
 * runs on Xen 4.17: where to map the grant table, which host ranges are
 * free for foreign mappings and which PPI signals event channels. */
#include <asm/bootinfo_arch.h>
#include <asm/dom0_fdt.h>
#include <asm/host_ext_regions.h>
#include <asm/domain.h>
#include <asm/p2m.h>
#include <public/arch-arm.h>
#include <proxenos/dom0less_virtio.h>
#include <proxenos/errno.h>
#include <proxenos/fdt_write.h>
#include <proxenos/printk.h>
#include <proxenos/string.h>

#define PSCI_CPU_OFF_FN 0x84000002U
#define PSCI_CPU_ON_FN  0xc4000003U

/* GIC interrupt specifier: type cell 1 is a PPI; flags put the CPU mask
 * (all CPUs) above the trigger, level-sensitive active-low. */
#define DT_GIC_PPI          1U
#define DT_IRQ_LEVEL_LOW    8U
#define DT_PPI_ALL_CPUS     0xf00U

enum node_action {
    NODE_COPY,
    NODE_SKIP,          /* with its subtree */
    NODE_GIC,           /* replace with the virtual GIC */
};

static bool is_memory_node(const struct fdt *fdt, int node)
{
    const char *type = fdt_getprop_string(fdt, node, "device_type");

    return (type != NULL) && (strcmp(type, "memory") == 0);
}

/* Devices Xen 4.17 never gives dom0, wherever they are: the PMU (its
 * registers trap to the hypervisor, which has no virtual PMU for dom0, so
 * Linux's PMU driver would take an undefined-instruction fault), the
 * memory-mapped timer, the Cortex-A53 EDAC and Xen's own nodes. */
static const char *const hidden_compatibles[] = {
    "xen,xen", "xen,multiboot-module", "multiboot,module",
    "arm,cortex-a7-pmu", "arm,cortex-a15-pmu", "arm,armv8-pmuv3",
    "arm,cortex-a53-edac", "arm,armv7-timer-mem",
};

static bool is_hidden_device(const struct fdt *fdt, int node)
{
    for (size_t i = 0U; i < ARRAY_SIZE(hidden_compatibles); i++) {
        if (fdt_node_is_compatible(fdt, node, hidden_compatibles[i])) {
            return true;
        }
    }
    return false;
}

static enum node_action classify(const struct dom0_fdt_info *in, int node, int depth)
{
    const struct fdt *fdt = in->bi->fdt;

    if (node == in->bi->arch->gic.node) {
        return NODE_GIC;
    }
    if ((node == in->hidden_uart) || (fdt_getprop(fdt, node, "xen,passthrough", NULL) != NULL) ||
        is_hidden_device(fdt, node)) {
        return NODE_SKIP;
    }
    if (depth == 1) {
        if (fdt_node_name_is(fdt, node, "chosen") || fdt_node_name_is(fdt, node, "cpus") ||
            fdt_node_name_is(fdt, node, "hypervisor") || is_memory_node(fdt, node) ||
            fdt_node_is_compatible(fdt, node, "arm,psci") ||
            fdt_node_is_compatible(fdt, node, "arm,psci-0.2") ||
            fdt_node_is_compatible(fdt, node, "arm,psci-1.0")) {
            return NODE_SKIP;
        }
    }
    return NODE_COPY;
}

static void copy_props(struct fdt_writer *w, const struct fdt *fdt, int node, bool skip_reg)
{
    for (int prop = fdt_first_prop(fdt, node); prop >= 0; prop = fdt_next_prop(fdt, prop)) {
        struct fdt_property p;

        if (fdt_prop_at(fdt, prop, &p) != 0) {
            continue;
        }
        if (skip_reg && (strcmp(p.name, "reg") == 0)) {
            continue;
        }
        (void)fdt_writer_prop(w, p.name, p.value, p.len);
    }
}

/* The GIC node: the host's properties (phandle, cells, compatible) with
 * "reg" describing the distributor and dom0's redistributors. */
static void write_gic(struct fdt_writer *w, const struct dom0_fdt_info *in, int node)
{
    const struct fdt *fdt = in->bi->fdt;
    uint32_t ac = fdt_address_cells(fdt, node);
    uint32_t sc = fdt_size_cells(fdt, node);

    (void)fdt_writer_begin_node(w, fdt_node_name(fdt, node));
    copy_props(w, fdt, node, true);
    (void)fdt_writer_prop_begin(w, "reg");
    (void)fdt_writer_prop_append_cells(w, in->bi->arch->gic.dist_base, ac);
    (void)fdt_writer_prop_append_cells(w, in->bi->arch->gic.dist_size, sc);
    (void)fdt_writer_prop_append_cells(w, in->bi->arch->gic.rdist_base, ac);
    (void)fdt_writer_prop_append_cells(w, in->rdist_size, sc);
    (void)fdt_writer_prop_end(w);
    (void)fdt_writer_end_node(w);
}

/* Host /chosen properties Xen 4.17 does not give dom0 (write_properties):
 * the hypervisor's and the boot loader's command lines, the host's ramdisk
 * and console, and the EFI tables (dom0 does not boot through EFI). dom0's
 * own bootargs and ramdisk are written after the copied ones. */
static const char *const chosen_dropped[] = {
    "bootargs", "xen,xen-bootargs", "xen,dom0-bootargs",
    "linux,initrd-start", "linux,initrd-end", "stdout-path",
    "linux,uefi-system-table", "linux,uefi-mmap-start", "linux,uefi-mmap-size",
    "linux,uefi-mmap-desc-size", "linux,uefi-mmap-desc-ver",
};

bool dom0_chosen_prop_kept(const char *name)
{
    for (size_t i = 0U; i < ARRAY_SIZE(chosen_dropped); i++) {
        if (strcmp(name, chosen_dropped[i]) == 0) {
            return false;
        }
    }
    return true;
}

/* dom0's /chosen: the host's properties but those above (so QEMU's or the
 * boot loader's rng-seed and kaslr-seed reach dom0's kernel as on Xen,
 * which then has its random pool ready at boot), then dom0's bootargs and
 * ramdisk. The host's subnodes (boot modules, dom0less domains) are not
 * dom0's. */
static void write_chosen(struct fdt_writer *w, const struct dom0_fdt_info *in)
{
    const struct fdt *fdt = in->bi->fdt;
    int chosen = in->bi->chosen;

    (void)fdt_writer_begin_node(w, "chosen");
    for (int prop = (chosen >= 0) ? fdt_first_prop(fdt, chosen) : -1; prop >= 0;
         prop = fdt_next_prop(fdt, prop)) {
        struct fdt_property p;

        if ((fdt_prop_at(fdt, prop, &p) == 0) && dom0_chosen_prop_kept(p.name)) {
            (void)fdt_writer_prop(w, p.name, p.value, p.len);
        }
    }
    if (in->bootargs != NULL) {
        (void)fdt_writer_prop_string(w, "bootargs", in->bootargs);
    }
    if (in->initrd_size != 0U) {
        (void)fdt_writer_prop_u64(w, "linux,initrd-start", in->initrd_start);
        (void)fdt_writer_prop_u64(w, "linux,initrd-end", in->initrd_start + in->initrd_size);
    }
    /* The dom0less virtio devices dom0 is to serve (docs/virtio.md). */
    dom0less_virtio_dom0_node(w);
    (void)fdt_writer_end_node(w);
}

static void write_cpus(struct fdt_writer *w, const struct dom0_fdt_info *in)
{
    (void)fdt_writer_begin_node(w, "cpus");
    (void)fdt_writer_prop_u32(w, "#address-cells", 1U);
    (void)fdt_writer_prop_u32(w, "#size-cells", 0U);
    for (unsigned int i = 0U; i < in->nr_vcpus; i++) {
        char name[16];
        uint64_t aff = vcpu_vaffinity(i);

        (void)snprintf(name, sizeof(name), "cpu@%llx", (unsigned long long)aff);
        (void)fdt_writer_begin_node(w, name);
        (void)fdt_writer_prop_string(w, "device_type", "cpu");
        (void)fdt_writer_prop_string(w, "compatible", "arm,armv8");
        (void)fdt_writer_prop_u32(w, "reg", (uint32_t)aff);
        (void)fdt_writer_prop_string(w, "enable-method", "psci");
        (void)fdt_writer_end_node(w);
    }
    (void)fdt_writer_end_node(w);
}

static void write_psci(struct fdt_writer *w)
{
    static const char *const compat[] = { "arm,psci-1.0", "arm,psci-0.2", "arm,psci" };

    (void)fdt_writer_begin_node(w, "psci");
    (void)fdt_writer_prop_stringlist(w, "compatible", compat, 3U);
    (void)fdt_writer_prop_string(w, "method", "hvc");
    (void)fdt_writer_prop_u32(w, "cpu_off", PSCI_CPU_OFF_FN);
    (void)fdt_writer_prop_u32(w, "cpu_on", PSCI_CPU_ON_FN);
    (void)fdt_writer_end_node(w);
}

static void write_memory(struct fdt_writer *w, const struct dom0_fdt_info *in)
{
    char name[32];
    uint32_t ac = fdt_address_cells(in->bi->fdt, fdt_root(in->bi->fdt));
    uint32_t sc = fdt_size_cells(in->bi->fdt, fdt_root(in->bi->fdt));

    (void)snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)in->bank_start[0]);
    (void)fdt_writer_begin_node(w, name);
    (void)fdt_writer_prop_string(w, "device_type", "memory");
    (void)fdt_writer_prop_begin(w, "reg");
    for (unsigned int i = 0U; i < in->nr_banks; i++) {
        (void)fdt_writer_prop_append_cells(w, in->bank_start[i], ac);
        (void)fdt_writer_prop_append_cells(w, in->bank_size[i], sc);
    }
    (void)fdt_writer_prop_end(w);
    (void)fdt_writer_end_node(w);
}

/* The host GIC's phandle, which every interrupt of dom0's tree refers to. */
static uint32_t gic_phandle(const struct boot_info *bi)
{
    uint32_t ph = 0U;

    if (fdt_getprop_u32(bi->fdt, bi->arch->gic.node, "phandle", &ph) != 0) {
        (void)fdt_getprop_u32(bi->fdt, bi->arch->gic.node, "linux,phandle", &ph);
    }
    return ph;
}

static void write_hypervisor(struct fdt_writer *w, const struct dom0_fdt_info *in)
{
    static const char *const compat[] = { "xen,xen-4.17", "xen,xen" };
    const struct fdt *fdt = in->bi->fdt;
    uint32_t ac = fdt_address_cells(fdt, fdt_root(fdt));
    uint32_t sc = fdt_size_cells(fdt, fdt_root(fdt));
    uint32_t ph = gic_phandle(in->bi);

    (void)fdt_writer_begin_node(w, "hypervisor");
    (void)fdt_writer_prop_stringlist(w, "compatible", compat, 2U);
    (void)fdt_writer_prop_begin(w, "reg");
    (void)fdt_writer_prop_append_cells(w, in->gnttab.start, ac);
    (void)fdt_writer_prop_append_cells(w, in->gnttab.size, sc);
    for (unsigned int i = 0U; i < in->nr_ext_regions; i++) {
        (void)fdt_writer_prop_append_cells(w, in->ext_regions[i].start, ac);
        (void)fdt_writer_prop_append_cells(w, in->ext_regions[i].size, sc);
    }
    (void)fdt_writer_prop_end(w);
    (void)fdt_writer_prop_begin(w, "interrupts");
    (void)fdt_writer_prop_append_cells(w, DT_GIC_PPI, 1U);
    (void)fdt_writer_prop_append_cells(w, (uint64_t)in->evtchn_intid - DOM0_PPI_FIRST, 1U);
    (void)fdt_writer_prop_append_cells(w, DT_PPI_ALL_CPUS | DT_IRQ_LEVEL_LOW, 1U);
    (void)fdt_writer_prop_end(w);
    if (ph != 0U) {
        (void)fdt_writer_prop_u32(w, "interrupt-parent", ph);
    }
    (void)fdt_writer_end_node(w);
}

/* dom0's shared regions in a /reserved-memory node of its own, with the
 * root's cells (Xen 4.17's make_resv_memory_node), when the host's tree
 * has none to put them in. */
static void write_reserved_memory(struct fdt_writer *w, const struct dom0_fdt_info *in)
{
    const struct fdt *fdt = in->bi->fdt;
    uint32_t ac = fdt_address_cells(fdt, fdt_root(fdt));
    uint32_t sc = fdt_size_cells(fdt, fdt_root(fdt));

    (void)fdt_writer_begin_node(w, "reserved-memory");
    (void)fdt_writer_prop_empty(w, "ranges");
    (void)fdt_writer_prop_u32(w, "#address-cells", ac);
    (void)fdt_writer_prop_u32(w, "#size-cells", sc);
    domain_fdt_shm_nodes(w, in->shm, in->nr_shm, ac, sc);
    (void)fdt_writer_end_node(w);
}

/* Whether node (at depth 1) is the host's /reserved-memory. */
static bool is_reserved_memory(const struct fdt *fdt, int node)
{
    const char *name = fdt_node_name(fdt, node);

    return (name != NULL) && (strcmp(name, "reserved-memory") == 0);
}

/* Close the output's innermost node (top: a child of the root). If it is
 * the host's /reserved-memory, dom0's shared regions go in first, with
 * that node's cells: Xen 4.17 writes a second node of the same name, which
 * Linux would not read. */
static void close_node(struct fdt_writer *w, const struct dom0_fdt_info *in, bool top,
                       int *resv_open)
{
    if (top && (*resv_open >= 0)) {
        const struct fdt *fdt = in->bi->fdt;

        domain_fdt_shm_nodes(w, in->shm, in->nr_shm, fdt_address_cells(fdt, *resv_open),
                             fdt_size_cells(fdt, *resv_open));
        *resv_open = -1;
    }
    (void)fdt_writer_end_node(w);
}

int dom0_fdt_build(const struct dom0_fdt_info *in, void *buf, size_t size, uint32_t *out_size)
{
    const struct fdt *fdt = in->bi->fdt;
    struct fdt_writer w;
    int depth = 0;
    int open = 0;           /* nodes open in the output */
    int skip_below = -1;    /* skipping the subtree of a node at this depth */
    int resv_open = -1;     /* the host's /reserved-memory while it is the innermost open */
    bool resv_seen = false;
    int rc = fdt_writer_init(&w, buf, size);

    for (int node = fdt_root(fdt); (rc == 0) && (node >= 0);
         node = fdt_next_node(fdt, node, &depth)) {
        enum node_action act;

        if ((skip_below >= 0) && (depth > skip_below)) {
            continue;
        }
        skip_below = -1;
        /* Close what the walk has left: nodes deeper than or level with
         * this one. The root (depth 0) stays open until the end. */
        while (open > depth) {
            close_node(&w, in, open == 2, &resv_open);
            open--;
        }
        act = (depth == 0) ? NODE_COPY : classify(in, node, depth);
        if (act == NODE_SKIP) {
            skip_below = depth;
        } else if (act == NODE_GIC) {
            write_gic(&w, in, node);
            skip_below = depth;
        } else {
            (void)fdt_writer_begin_node(&w, (depth == 0) ? "" : fdt_node_name(fdt, node));
            copy_props(&w, fdt, node, false);
            open++;
            if ((depth == 1) && (in->nr_shm != 0U) && is_reserved_memory(fdt, node)) {
                resv_open = node;
                resv_seen = true;
            }
        }
        rc = fdt_writer_error(&w);
    }
    while (open > 1) {
        close_node(&w, in, open == 2, &resv_open);
        open--;
    }
    write_chosen(&w, in);
    /* Xen writes it right after the host's nodes, before psci and cpus. */
    if (in->evtchn_intid != 0U) {
        write_hypervisor(&w, in);
    }
    write_cpus(&w, in);
    write_psci(&w);
    write_memory(&w, in);
    if ((in->nr_shm != 0U) && !resv_seen) {
        write_reserved_memory(&w, in);
    }
    (void)fdt_writer_end_node(&w);
    rc = fdt_writer_finish(&w);
    if (rc == 0) {
        *out_size = fdt_writer_size(&w);
    }
    return rc;
}

int dom0_map_devices(struct domain *d, const struct dom0_fdt_info *in)
{
    const struct fdt *fdt = in->bi->fdt;
    int depth = 0;
    int skip_below = -1;
    unsigned int mapped = 0U;

    for (int node = fdt_root(fdt); node >= 0; node = fdt_next_node(fdt, node, &depth)) {
        int n;

        if ((skip_below >= 0) && (depth > skip_below)) {
            continue;
        }
        skip_below = -1;
        if ((depth == 0) || !fdt_node_is_available(fdt, node)) {
            continue;
        }
        if (classify(in, node, depth) != NODE_COPY) {
            skip_below = depth;
            continue;
        }
        n = fdt_reg_count(fdt, node);
        for (int i = 0; i < n; i++) {
            uint64_t addr;
            uint64_t len;
            paddr_t start;
            paddr_t end;

            /* Nodes whose reg is not a bus address (cpus, some buses) or
             * cannot be translated are not devices to map. */
            if ((fdt_reg(fdt, node, (uint32_t)i, &addr, &len) != 0) || (len == 0U)) {
                continue;
            }
            start = addr & PAGE_MASK;
            end = ALIGN_UP(addr + len, PAGE_SIZE);
            /* As Xen, dom0 may also hand these frames on (iomem_permission). */
            if ((p2m_map(&d->arch->p2m, gfn(start >> PAGE_SHIFT), mfn(start >> PAGE_SHIFT),
                         (end - start) >> PAGE_SHIFT, P2M_MMIO_DEVICE) == 0) &&
                (rangeset_add(&d->iomem_caps, start >> PAGE_SHIFT,
                              (end >> PAGE_SHIFT) - 1U) == 0)) {
                mapped++;
            }
        }
    }
    return (int)mapped;
}

/* The interrupts of every node dom0's tree keeps, below nodes it drops;
 * available_only leaves out disabled devices as well. */
static void walk_device_irqs(const struct dom0_fdt_info *in, bool available_only,
                             dom0_irq_fn fn, void *ctx)
{
    const struct fdt *fdt = in->bi->fdt;
    int depth = 0;
    int skip_below = -1;

    for (int node = fdt_root(fdt); node >= 0; node = fdt_next_node(fdt, node, &depth)) {
        if ((skip_below >= 0) && (depth > skip_below)) {
            continue;
        }
        skip_below = -1;
        if ((depth == 0) || (node == in->bi->arch->timer.node) ||
            (available_only && !fdt_node_is_available(fdt, node))) {
            continue;
        }
        if (classify(in, node, depth) != NODE_COPY) {
            skip_below = depth;
            continue;
        }
        for (uint32_t i = 0U; i < 64U; i++) {
            uint32_t intid;
            uint32_t flags;

            if (fdt_irq(fdt, node, i, &intid, &flags) != 0) {
                break;
            }
            fn(ctx, node, intid, flags);
        }
    }
}

void dom0_for_each_irq(const struct dom0_fdt_info *in, dom0_irq_fn fn, void *ctx)
{
    /* A disabled device has no driver to take its interrupt; the timer's
     * are the vtimer's, not lines to route. */
    walk_device_irqs(in, true, fn, ctx);
}

/* ---- The event-channel PPI ---------------------------------------------- */

static void reserve_ppi(uint32_t *used, uint32_t intid)
{
    if ((intid >= DOM0_PPI_FIRST) && (intid <= DOM0_PPI_LAST)) {
        *used |= 1U << (intid - DOM0_PPI_FIRST);
    }
}

static void reserve_device_ppi(void *ctx, int node, uint32_t intid, uint32_t flags)
{
    (void)node;
    (void)flags;
    reserve_ppi(ctx, intid);
}

uint32_t dom0_evtchn_ppi(const struct dom0_fdt_info *in)
{
    uint32_t used = 0U;

    /* Xen reserves the timer's PPIs for dom0 (not the hypervisor timer's)
     * and every interrupt of a device it gives dom0; the timer node itself
     * is rewritten, not routed. */
    reserve_ppi(&used, in->bi->arch->timer.intid[BOOT_TIMER_PHYS_SECURE]);
    reserve_ppi(&used, in->bi->arch->timer.intid[BOOT_TIMER_PHYS_NONSECURE]);
    reserve_ppi(&used, in->bi->arch->timer.intid[BOOT_TIMER_VIRT]);
    walk_device_irqs(in, false, reserve_device_ppi, &used);
    for (uint32_t ppi = DOM0_PPI_FIRST; ppi <= DOM0_PPI_LAST; ppi++) {
        if ((used & (1U << (ppi - DOM0_PPI_FIRST))) == 0U) {
            return ppi;
        }
    }
    return 0U;
}

/* ---- Extended regions ---------------------------------------------------- */

unsigned int dom0_ext_regions(const struct dom0_fdt_info *in, unsigned int ipa_bits,
                              struct boot_range *out, unsigned int max)
{
    /* dom0's banks, its grant window and what dom0_build adds. */
    static struct boot_range cut[DOM0_MAX_BANKS_CUT + 1U + DOM0_EXT_MAX_CUTS];
    unsigned int n = 0U;

    /* A cut left out could put a region over dom0's own: offer none. */
    if ((in->nr_banks > DOM0_MAX_BANKS_CUT) || (in->nr_ext_cuts > DOM0_EXT_MAX_CUTS)) {
        return 0U;
    }
    for (unsigned int i = 0U; i < in->nr_banks; i++) {
        cut[n] = (struct boot_range){ in->bank_start[i], in->bank_size[i] };
        n++;
    }
    cut[n] = in->gnttab;
    n++;
    for (unsigned int i = 0U; i < in->nr_ext_cuts; i++) {
        cut[n] = in->ext_cuts[i];
        n++;
    }
    return host_ext_regions(in->bi, cut, n, ipa_bits, out, max);
}
