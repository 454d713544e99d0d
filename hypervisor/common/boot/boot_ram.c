/* Checking the RAM banks of the boot tree (see boot_ram.h). The scan has
 * already refused banks that wrap, so start + size holds for every bank.
 * A device's reg is read through its buses' ranges (fdt_reg), so a bank is
 * compared with CPU physical addresses wherever the device sits. */
#include <proxenos/boot_ram.h>
#include <proxenos/errno.h>
#include <proxenos/printk.h>
#include <proxenos/string.h>

#define PATH_MAX_LEN 128U

/* How deep under the root a device is looked at: three levels of buses
 * (a SoC bus holding a bridge holding a bus) and their devices, more than
 * the boards we boot nest. The walk keeps one flag per level, so the bound
 * is also its size. */
#define DEVICE_DEPTH_MAX 4

static bool overlaps(paddr_t a, uint64_t a_size, paddr_t b, uint64_t b_size)
{
    return (a < (b + b_size)) && (b < (a + a_size));
}

static bool is_memory_node(const struct fdt *fdt, int node)
{
    const char *type = fdt_getprop_string(fdt, node, "device_type");

    return fdt_node_name_is(fdt, node, "memory") ||
           ((type != NULL) && (strcmp(type, "memory") == 0));
}

/* Whether a node is a memory-mapped bus, whose children's reg are CPU
 * addresses once translated through its ranges (the compatibles Linux
 * populates as such buses, but ISA's). */
static bool is_bus(const struct fdt *fdt, int node)
{
    return fdt_node_is_compatible(fdt, node, "simple-bus") ||
           fdt_node_is_compatible(fdt, node, "simple-mfd") ||
           fdt_node_is_compatible(fdt, node, "arm,amba-bus");
}

/* A walk over the devices the check looks at, in tree order: the available
 * nodes that are not memory nodes, directly under the root or under buses
 * that are themselves looked at, down to DEVICE_DEPTH_MAX.
 * open[d]: the node last met at depth d is a bus whose children count. */
struct device_walk {
    int node;
    int depth;
    bool open[DEVICE_DEPTH_MAX + 1];
};

static void walk_start(const struct fdt *fdt, struct device_walk *w)
{
    w->node = fdt_root(fdt);
    w->depth = 0;
    w->open[0] = true;
}

static void path_of(const struct fdt *fdt, int node, char *buf)
{
    if ((fdt == NULL) || (node < 0)) {
        (void)snprintf(buf, PATH_MAX_LEN, "?");
    } else if (fdt_node_path(fdt, node, buf, PATH_MAX_LEN) < 0) {
        (void)snprintf(buf, PATH_MAX_LEN, "%s", fdt_node_name(fdt, node));
    } else {
        /* the path */
    }
}

/* Whether the devices under bus (at depth) are looked at; when not because
 * of the tree, and say is set, a line says which bus and why. */
static bool bus_is_open(const struct fdt *fdt, int bus, int depth, bool say)
{
    const char *why = NULL;
    int rc;

    if (!is_bus(fdt, bus)) {
        return false;
    }
    rc = fdt_ranges_check(fdt, bus);
    if (rc == -ENOENT) {
        return false;       /* not mapped into the CPU's space: no claim */
    }
    if (depth >= DEVICE_DEPTH_MAX) {
        why = "buses nested deeper than the check looks";
    } else if (rc == -EOPNOTSUPP) {
        why = "its ranges has more than two cells";
    } else if (rc != 0) {
        why = "its ranges is malformed";
    } else {
        return true;
    }
    if (say) {
        char path[PATH_MAX_LEN];

        path_of(fdt, bus, path);
        pr_warn("RAM bank check: bus %s: %s: the devices under it are not checked\n", path,
                why);
    }
    return false;
}

/* The next device of the walk, or -1 when there is none. */
static int walk_next(const struct fdt *fdt, struct device_walk *w, bool say)
{
    int found = -1;

    while (found < 0) {
        w->node = fdt_next_node(fdt, w->node, &w->depth);
        if (w->node < 0) {
            return -1;
        }
        if ((w->depth < 1) || (w->depth > DEVICE_DEPTH_MAX)) {
            continue;       /* deeper than any device looked at */
        }
        w->open[w->depth] = false;      /* until it proves an open bus */
        if (!w->open[w->depth - 1]) {
            continue;       /* under a node the check does not look into */
        }
        if (!is_memory_node(fdt, w->node) && fdt_node_is_available(fdt, w->node)) {
            w->open[w->depth] = bus_is_open(fdt, w->node, w->depth, say);
            found = w->node;
        }
    }
    return found;
}

/* Whether an entry of the node's reg, in the CPU's address space, overlaps
 * the bank. An entry that cannot be read or translated, or wraps, is no
 * claim on any address. */
static bool reg_overlaps(const struct fdt *fdt, int node, const struct boot_range *bank)
{
    int count = fdt_reg_count(fdt, node);

    for (uint32_t i = 0U; (count > 0) && (i < (uint32_t)count); i++) {
        uint64_t start = 0U;
        uint64_t size = 0U;

        if ((fdt_reg(fdt, node, i, &start, &size) == 0) && (size != 0U) &&
            ((size - 1U) <= (UINT64_MAX - start)) &&
            overlaps(bank->start, bank->size, start, size)) {
            return true;
        }
    }
    return false;
}

/* The first device whose reg overlaps the bank, or -1. */
static int device_over(const struct fdt *fdt, const struct boot_range *bank)
{
    struct device_walk w;

    if (fdt == NULL) {
        return -1;      /* a boot description written as a literal */
    }
    walk_start(fdt, &w);
    for (int node = walk_next(fdt, &w, false); node >= 0; node = walk_next(fdt, &w, false)) {
        if (reg_overlaps(fdt, node, bank)) {
            return node;
        }
    }
    return -1;
}

/* Says once which buses the check cannot look into. */
static void report_closed_buses(const struct fdt *fdt)
{
    struct device_walk w;

    if (fdt != NULL) {
        walk_start(fdt, &w);
        while (walk_next(fdt, &w, true) >= 0) {
            /* each bus met says why it is closed, if it is */
        }
    }
}

static void report(const struct boot_info *bi, uint32_t i, const char *what, int other)
{
    char path[PATH_MAX_LEN];
    char other_path[PATH_MAX_LEN];

    path_of(bi->fdt, bi->ram_node[i], path);
    path_of(bi->fdt, other, other_path);
    pr_err("RAM bank %s: [0x%llx, +0x%llx) overlaps %s %s: bank ignored\n", path,
           (unsigned long long)bi->ram[i].start, (unsigned long long)bi->ram[i].size, what,
           other_path);
}

uint32_t boot_ram_check(struct boot_info *bi)
{
    uint32_t kept = 0U;
    uint32_t ignored = 0U;

    if (bi->nr_ram > 0U) {
        report_closed_buses(bi->fdt);
    }
    for (uint32_t i = 0U; i < bi->nr_ram; i++) {
        int device = device_over(bi->fdt, &bi->ram[i]);
        uint32_t earlier = 0U;

        /* The first kept bank it overlaps; 'kept' when none. */
        while ((earlier < kept) && !overlaps(bi->ram[i].start, bi->ram[i].size,
                                             bi->ram[earlier].start, bi->ram[earlier].size)) {
            earlier++;
        }
        if (earlier < kept) {
            report(bi, i, "RAM bank", bi->ram_node[earlier]);
            ignored++;
        } else if (device >= 0) {
            report(bi, i, "device", device);
            ignored++;
        } else {
            bi->ram[kept] = bi->ram[i];
            bi->ram_node[kept] = bi->ram_node[i];
            kept++;
        }
    }
    bi->nr_ram = kept;
    return ignored;
}
