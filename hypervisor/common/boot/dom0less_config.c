/* Reading /chosen xen,domain nodes into struct dom0less_config, with Xen
 * 4.17's rules: "memory" is two cells of KiB, "cpus" is required,
 * domain IDs follow device-tree order from 1. Where Xen panics on a bad
 * node we report it and skip that domain only. The properties only the
 * architecture understands (arm64: vpl011, nr_spis) are its to read
 * (arch_dom0less_parse). xen,static-mem and direct-map, and a node's
 * static shared memory, were read and checked before the heap existed
 * (static_mem.c, static_shm.c); here only the verdict is taken, and a bad
 * one skips the domain. Its virtio-mmio device nodes are read and placed
 * by dom0less_virtio.c. */
#include <proxenos/arch/dom0less.h>
#include <proxenos/arch/domain_fdt.h>
#include <proxenos/boot_ranges.h>
#include <proxenos/dom0less.h>
#include <proxenos/printk.h>
#include <proxenos/static_mem.h>
#include <proxenos/static_shm.h>
#include <proxenos/string.h>

/* Xen 4.17 reads xen,enhanced as a string: a property with no value, or
 * one with no NUL inside it, cannot be read as one and counts as
 * "enabled"; a string is compared up to its NUL; any other string means
 * no Xen interface at all. */
static enum xen_enhanced_mode read_enhanced(const struct fdt *fdt, int node)
{
    uint32_t len = 0U;
    const char *v = fdt_getprop(fdt, node, "xen,enhanced", &len);

    if (v == NULL) {
        return ENHANCED_NONE;
    }
    if ((len == 0U) || (memchr(v, 0, len) == NULL)) {
        return ENHANCED_FULL;
    }
    if (strcmp(v, "enabled") == 0) {
        return ENHANCED_FULL;
    }
    if (strcmp(v, "no-xenstore") == 0) {
        return ENHANCED_NO_XENSTORE;
    }
    return ENHANCED_NONE;
}

/* The verdict static_mem_check_all() gave at boot, before the heap: a
 * refused node was reported then; one it never saw (past its table) was
 * not reserved, so it cannot be used either. */
static bool read_static_mem(const struct fdt *fdt, int node, struct dom0less_config *c)
{
    const struct static_mem *sm = NULL;
    const char *why = NULL;
    enum static_mem_status st = static_mem_lookup(node, &sm, &why);

    if (st == STATIC_MEM_OK) {
        c->static_mem = sm;
        return true;
    }
    if (st == STATIC_MEM_REFUSED) {
        return false;   /* named at boot, with its node and reason */
    }
    if ((fdt_getprop(fdt, node, "xen,static-mem", NULL) != NULL) ||
        (fdt_getprop(fdt, node, "direct-map", NULL) != NULL)) {
        pr_err("dom0less: %s: its xen,static-mem was not checked nor reserved at boot: "
               "domain skipped\n", c->name);
        return false;
    }
    return true;
}

/* The domain's static shared memory, checked against its guest address
 * space: Xen's guest RAM banks, or the host's when direct-mapped. */
static bool take_shm(const struct boot_info *bi, int node, struct dom0less_config *c)
{
    const struct static_mem *sm = c->static_mem;
    struct boot_range ram[STATIC_MEM_MAX_BANKS];
    struct domain_fdt_region gnttab;
    struct static_shm_direct dd;

    if ((sm == NULL) || !sm->direct_map) {
        return static_shm_for_domain(bi, bi->shm, node, c->name, c->mem_kib * 1024U, c->shm,
                                     &c->nr_shm);
    }
    for (unsigned int i = 0U; i < sm->nr; i++) {
        ram[i] = (struct boot_range){ sm->bank[i].start, sm->bank[i].size };
    }
    gnttab = arch_domu_grant_window();
    dd = (struct static_shm_direct){ ram, sm->nr, { gnttab.base, gnttab.size } };
    return static_shm_for_direct(bi, bi->shm, node, c->name, &dd, c->shm, &c->nr_shm);
}

/* The node's virtio-mmio devices. A direct-mapped domain's guest
 * addresses are the host's, where the virtio window may be anything. */
static bool read_virtio(const struct boot_info *bi, int node, struct dom0less_config *c)
{
    struct dom0less_virtio_window win;

    arch_dom0less_virtio_window(&win);
    if (!dom0less_virtio_parse(bi->fdt, node, c->name,
                               bootinfo_find_module(bi, BOOTMOD_KERNEL, -1) != NULL, &win,
                               c->virtio, &c->nr_virtio)) {
        return false;
    }
    if ((c->nr_virtio != 0U) && (c->static_mem != NULL) && c->static_mem->direct_map) {
        pr_err("dom0less: %s: virtio devices on a direct-map domain are not supported: "
               "domain skipped\n", c->name);
        return false;
    }
    return true;
}

static bool read_one(const struct boot_info *bi, int node, domid_t id, unsigned int slot,
                     struct dom0less_config *c)
{
    const struct fdt *fdt = bi->fdt;
    const char *why;
    uint32_t len = 0U;
    const void *mem = fdt_getprop(fdt, node, "memory", &len);
    uint32_t cpus;
    uint32_t pool;

    *c = (struct dom0less_config){ 0 };
    c->node = node;
    c->name = fdt_node_name(fdt, node);
    c->domid = id;
    if ((mem == NULL) || (len != 8U)) {
        pr_err("dom0less: %s: \"memory\" must be two cells (KiB): domain skipped\n", c->name);
        return false;
    }
    c->mem_kib = fdt_be64(mem);
    if ((c->mem_kib == 0U) || ((c->mem_kib % 4U) != 0U)) {
        pr_err("dom0less: %s: memory %llu KiB is not a whole number of pages: domain skipped\n",
               c->name, (unsigned long long)c->mem_kib);
        return false;
    }
    if ((fdt_getprop_u32(fdt, node, "cpus", &cpus) != 0) || (cpus == 0U) || (cpus > 128U)) {
        pr_err("dom0less: %s: missing or bad property 'cpus': domain skipped\n", c->name);
        return false;
    }
    c->cpus = cpus;
    c->has_p2m_mem = (fdt_getprop_u32(fdt, node, "xen,domain-p2m-mem-mb", &c->p2m_mem_mb) == 0);
    c->enhanced = read_enhanced(fdt, node);
    if (!read_static_mem(fdt, node, c)) {
        return false;
    }
    c->cpupool = -1;
    if (fdt_getprop_u32(fdt, node, "domain-cpupool", &pool) == 0) {
        c->cpupool = fdt_node_by_phandle(fdt, pool);
        if ((c->cpupool < 0) || !fdt_node_is_compatible(fdt, c->cpupool, "xen,cpupool")) {
            pr_err("dom0less: %s: domain-cpupool is not a xen,cpupool node: domain skipped\n",
                   c->name);
            return false;
        }
    }
    why = arch_dom0less_parse(fdt, node, slot, &c->arch);
    if (why != NULL) {
        pr_err("dom0less: %s: %s: domain skipped\n", c->name, why);
        return false;
    }
    if (!read_virtio(bi, node, c)) {
        return false;
    }
    c->kernel = bootinfo_find_module(bi, BOOTMOD_KERNEL, node);
    c->ramdisk = bootinfo_find_module(bi, BOOTMOD_RAMDISK, node);
    c->dtb = bootinfo_find_module(bi, BOOTMOD_GUEST_DTB, node);
    if (c->kernel == NULL) {
        pr_err("dom0less: %s: no multiboot,kernel module: domain skipped\n", c->name);
        return false;
    }
    return boot_module_usable_by(bi, c->kernel, c->name) &&
           boot_module_usable_by(bi, c->ramdisk, c->name) &&
           boot_module_usable_by(bi, c->dtb, c->name) && take_shm(bi, node, c);
}

unsigned int dom0less_parse(const struct boot_info *bi, struct dom0less_config *cfgs,
                            unsigned int max)
{
    const struct fdt *fdt = bi->fdt;
    unsigned int n = 0U;
    domid_t id = 1U;

    if (bi->chosen < 0) {
        return 0U;
    }
    for (int node = fdt_first_child(fdt, bi->chosen); node >= 0;
         node = fdt_next_sibling(fdt, node)) {
        if (!fdt_node_is_compatible(fdt, node, "xen,domain")) {
            continue;
        }
        /* IDs follow node order even when a node is skipped. */
        if (n >= max) {
            pr_err("dom0less: %s: more than %u domains: domain skipped\n",
                   fdt_node_name(fdt, node), max);
        } else if (read_one(bi, node, id, n, &cfgs[n])) {
            n++;
        } else {
            /* reported */
        }
        id++;
    }
    return n;
}
