/* dom0's device tree, made from the host's as Xen 4.17 makes it: every
 * node is copied except what the hypervisor keeps or replaces. /chosen,
 * /cpus, /psci and the memory nodes are written anew for dom0; the GIC
 * node keeps its name and phandle but describes the virtual GIC at the
 * host's addresses; the UART the hypervisor uses, Xen's boot modules and
 * nodes marked xen,passthrough are left out. Devices dom0 sees have their
 * MMIO mapped 1:1 (dom0_map_devices). */
#include <asm/dom0_fdt.h>
#include <asm/domain.h>
#include <asm/p2m.h>
#include <public/arch-arm.h>
#include <proxenos/errno.h>
#include <proxenos/fdt_write.h>
#include <proxenos/printk.h>
#include <proxenos/string.h>

#define PSCI_CPU_OFF_FN 0x84000002U
#define PSCI_CPU_ON_FN  0xc4000003U

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

static enum node_action classify(const struct dom0_fdt_info *in, int node, int depth)
{
    const struct fdt *fdt = in->bi->fdt;

    if (node == in->bi->gic.node) {
        return NODE_GIC;
    }
    if ((node == in->hidden_uart) || (fdt_getprop(fdt, node, "xen,passthrough", NULL) != NULL)) {
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
    (void)fdt_writer_prop_append_cells(w, in->bi->gic.dist_base, ac);
    (void)fdt_writer_prop_append_cells(w, in->bi->gic.dist_size, sc);
    (void)fdt_writer_prop_append_cells(w, in->bi->gic.rdist_base, ac);
    (void)fdt_writer_prop_append_cells(w, in->rdist_size, sc);
    (void)fdt_writer_prop_end(w);
    (void)fdt_writer_end_node(w);
}

static void write_chosen(struct fdt_writer *w, const struct dom0_fdt_info *in)
{
    (void)fdt_writer_begin_node(w, "chosen");
    if (in->bootargs != NULL) {
        (void)fdt_writer_prop_string(w, "bootargs", in->bootargs);
    }
    if (in->initrd_size != 0U) {
        (void)fdt_writer_prop_u64(w, "linux,initrd-start", in->initrd_start);
        (void)fdt_writer_prop_u64(w, "linux,initrd-end", in->initrd_start + in->initrd_size);
    }
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

int dom0_fdt_build(const struct dom0_fdt_info *in, void *buf, size_t size, uint32_t *out_size)
{
    const struct fdt *fdt = in->bi->fdt;
    struct fdt_writer w;
    int depth = 0;
    int open = 0;           /* nodes open in the output */
    int skip_below = -1;    /* skipping the subtree of a node at this depth */
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
            (void)fdt_writer_end_node(&w);
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
        }
        rc = fdt_writer_error(&w);
    }
    while (open > 1) {
        (void)fdt_writer_end_node(&w);
        open--;
    }
    write_chosen(&w, in);
    write_cpus(&w, in);
    write_psci(&w);
    write_memory(&w, in);
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
            if (p2m_map(&d->arch.p2m, gfn(start >> PAGE_SHIFT), mfn(start >> PAGE_SHIFT),
                        (end - start) >> PAGE_SHIFT, P2M_MMIO_DEVICE) == 0) {
                mapped++;
            }
        }
    }
    return (int)mapped;
}
