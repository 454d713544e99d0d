/* Checking the RAM banks of the boot tree (see boot_ram.h). The scan has
 * already refused banks that wrap, so start + size holds for every bank. */
#include <proxenos/boot_ram.h>
#include <proxenos/printk.h>
#include <proxenos/string.h>

#define PATH_MAX_LEN 128U

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

/* The first device under the root whose reg overlaps the bank, or -1. A
 * reg entry that cannot be read or wraps is no claim on any address. */
static int device_over(const struct fdt *fdt, const struct boot_range *bank)
{
    if (fdt == NULL) {
        return -1;      /* a boot description written as a literal */
    }
    for (int node = fdt_first_child(fdt, fdt_root(fdt)); node >= 0;
         node = fdt_next_sibling(fdt, node)) {
        int count;

        if (is_memory_node(fdt, node) || !fdt_node_is_available(fdt, node)) {
            continue;
        }
        count = fdt_reg_count(fdt, node);
        for (uint32_t i = 0U; (count > 0) && (i < (uint32_t)count); i++) {
            uint64_t start = 0U;
            uint64_t size = 0U;

            if ((fdt_reg_raw(fdt, node, i, &start, &size) == 0) && (size != 0U) &&
                ((size - 1U) <= (UINT64_MAX - start)) &&
                overlaps(bank->start, bank->size, start, size)) {
                return node;
            }
        }
    }
    return -1;
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
