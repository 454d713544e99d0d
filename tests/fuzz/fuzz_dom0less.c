/* libFuzzer target: the dom0less configuration, from the boot tree to
 * struct dom0less_config (bootinfo.c's scan of /chosen and its modules,
 * dom0less_config.c's reading of every xen,domain node).
 *
 * The first byte picks the mode. Structured (most inputs): the rest of the
 * input are the fields of a dom0less tree written with the hypervisor's
 * own fdt writer, so that every tree is well formed and the parser's deep
 * paths (memory, cpus, cpupool references, module kinds and reg cells,
 * xen,enhanced, xen,static-mem banks and direct-map, virtio-mmio device
 * nodes) are where the mutations land. Raw: the rest is the blob.
 * Whatever the tree, every configuration dom0less_parse() accepts must be
 * one the domain builder can trust. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fake_arch.h>
#include <proxenos/bootinfo.h>
#include <proxenos/dom0less.h>
#include <proxenos/fdt.h>
#include <proxenos/fdt_write.h>
#include <proxenos/static_mem.h>

#include "fuzz_input.h"

#define MAX_POOLS 4U
#define TREE_DOMAINS 10U     /* the limit passed to the parser is fuzzed too */
#define MAX_MODULES 5U

/* Where the hypervisor and its tree are, for the range checks. */
static const struct boot_owned owned = {
    .image = { 0x40200000U, 0x200000U },
    .dtb = { 0x48000000U, 0x10000U },
};

static uint8_t tree_buf[64U * 1024U];

static const uint64_t CELL_COUNTS[] = { 2U, 2U, 1U, 0U, 3U };
static const uint64_t MEM_KIB[] = { 0x4000U, 0x20000U, 4U, 0U, 6U, 0x100000000ULL, UINT64_MAX - 3U };
static const uint64_t CPUS[] = { 1U, 2U, 4U, 128U, 0U, 129U };
static const uint64_t ADDRS[] = { 0x48000000U, 0x40000000U, 0U, 0xfffff000U, 0x100000000ULL,
                                  UINT64_MAX };
static const uint64_t SIZES[] = { 0x200000U, 0x1000U, 0U, 1U, 0xffffffffU, UINT64_MAX };

static const char *const KINDS[][2] = {
    { "multiboot,kernel", "multiboot,module" },
    { "multiboot,ramdisk", "multiboot,module" },
    { "multiboot,device-tree", "multiboot,module" },
    { "multiboot,module", NULL },
    { "xen,linux-zimage", "xen,multiboot-module" },
    { "xen,linux-initrd", "xen,multiboot-module" },
    { "xen,xsm-policy", "multiboot,module" },
    { "vendor,blob", NULL },
};
static const char *const ENHANCED[] = { "enabled", "no-xenstore", "disabled", "" };

static void reg_value(struct fdt_writer *w, uint64_t value, uint32_t n);

/* proxenos,virtio-mmio-v1 children: places in, across and outside the
 * window, misaligned, empty; types known and not. */
static const uint64_t VIRTIO_BASES[] = { 0x2000000U, 0x2000200U, 0x20ffe00U, 0x2100000U,
                                         0x1fffe00U, 0x2000002U, 0U, UINT64_MAX - 0xffU };
static const uint64_t VIRTIO_SIZES[] = { 0x200U, 0x100000U, 0U, 4U, 0x1000U, UINT64_MAX };
static const char *const VIRTIO_TYPES[] = { "blk", "net", "gpio", "i2c", "rng", "floppy", "" };
#define VIRTIO_WINDOW_BASE 0x2000000U
#define VIRTIO_WINDOW_END  0x2100000U

/* /chosen's cells, which xen,static-mem is read with. */
static uint32_t chosen_ac;
static uint32_t chosen_sc;

/* xen,static-mem: up to four banks, in /chosen's cells or in 1 or 2 of
 * each. Most banks lie in the tree's RAM, in whole MiB; the last may take
 * what the others leave of mem_kib (0: "memory" unknown), so that the
 * total matches and the range checks are reached. Perhaps direct-map. */
static void write_static_mem(struct fdt_writer *w, struct fuzz_in *in, uint64_t mem_kib)
{
    uint32_t nr = fin_below(in, 5U);
    bool chosen = fin_bool(in);
    uint32_t ac = chosen ? chosen_ac : (fin_bool(in) ? 2U : 1U);
    uint32_t sc = chosen ? chosen_sc : ac;
    uint64_t left = mem_kib << 10;

    (void)fdt_writer_prop_begin(w, "xen,static-mem");
    for (uint32_t i = 0U; i < nr; i++) {
        uint64_t a = fin_bool(in) ? (0x40000000U + ((uint64_t)fin_below(in, 0x800U) << 20))
                                  : fin_pick(in, ADDRS, sizeof(ADDRS) / sizeof(ADDRS[0]));
        uint64_t sz = fin_bool(in) ? ((uint64_t)(1U + fin_below(in, 64U)) << 20)
                                   : fin_pick(in, SIZES, sizeof(SIZES) / sizeof(SIZES[0]));

        if (((i + 1U) == nr) && (left != 0U) && fin_bool(in)) {
            sz = left;
        }
        left = (sz < left) ? (left - sz) : 0U;
        reg_value(w, a, ac);
        reg_value(w, sz, sc);
    }
    (void)fdt_writer_prop_end(w);
    if (fin_bool(in)) {
        (void)fdt_writer_prop_empty(w, "direct-map");
    }
}

/* value as n cells of a reg being written (its low cells when n < 2;
 * zero-filled above 2). A hostile #address-cells may say billions: the
 * entry is then cut at 4 cells, which the reader must refuse anyway. */
static void reg_value(struct fdt_writer *w, uint64_t value, uint32_t n)
{
    if (n > 4U) {
        n = 4U;
    }
    for (uint32_t i = n; i > 0U; i--) {
        uint32_t cell = (i == 1U) ? (uint32_t)value : ((i == 2U) ? (uint32_t)(value >> 32) : 0U);

        (void)fdt_writer_prop_append_cells(w, cell, 1U);
    }
}

static void write_module(struct fdt_writer *w, struct fuzz_in *in, unsigned int i,
                         uint32_t ac, uint32_t sc)
{
    char name[24];
    uint8_t kind = (uint8_t)fin_below(in, sizeof(KINDS) / sizeof(KINDS[0]));
    uint32_t entries = fin_below(in, 4U) == 0U ? 0U : 1U + fin_below(in, 2U);

    (void)snprintf(name, sizeof(name), "module@%u", i);
    (void)fdt_writer_begin_node(w, name);
    (void)fdt_writer_prop_stringlist(w, "compatible", KINDS[kind], KINDS[kind][1] != NULL ? 2U : 1U);
    if (fin_below(in, 8U) != 0U) {
        (void)fdt_writer_prop_begin(w, "reg");
        for (uint32_t e = 0U; e < entries; e++) {
            reg_value(w, fin_pick(in, ADDRS, sizeof(ADDRS) / sizeof(ADDRS[0])), ac);
            reg_value(w, fin_pick(in, SIZES, sizeof(SIZES) / sizeof(SIZES[0])), sc);
        }
        if (fin_below(in, 16U) == 0U) {
            (void)fdt_writer_prop_append(w, "\x01\x02", 2U);  /* not whole cells */
        }
        (void)fdt_writer_prop_end(w);
    }
    if (fin_bool(in)) {
        char args[32];

        fin_name(in, args, sizeof(args));
        (void)fdt_writer_prop_string(w, "bootargs", args);
    }
    (void)fdt_writer_end_node(w);
}

static void write_virtio(struct fdt_writer *w, struct fuzz_in *in, unsigned int i,
                         uint32_t ac, uint32_t sc)
{
    char name[24];
    uint8_t f = fin_u8(in);

    (void)snprintf(name, sizeof(name), "virtio%u", i);
    (void)fdt_writer_begin_node(w, name);
    (void)fdt_writer_prop_string(w, "compatible", "proxenos,virtio-mmio-v1");
    /* Mostly sound nodes, so that accepted devices are reached too. */
    if ((f & 3U) != 0U) {
        (void)fdt_writer_prop_string(w, "proxenos,device-type",
                                     VIRTIO_TYPES[fin_below(in, sizeof(VIRTIO_TYPES) /
                                                                sizeof(VIRTIO_TYPES[0]))]);
    }
    if ((f & 4U) != 0U) {
        (void)fdt_writer_prop_begin(w, "reg");
        reg_value(w, fin_pick(in, VIRTIO_BASES, sizeof(VIRTIO_BASES) / sizeof(VIRTIO_BASES[0])),
                  ac);
        reg_value(w, fin_pick(in, VIRTIO_SIZES, sizeof(VIRTIO_SIZES) / sizeof(VIRTIO_SIZES[0])),
                  sc);
        (void)fdt_writer_prop_end(w);
    }
    if ((f & 8U) != 0U) {
        (void)fdt_writer_prop_u32(w, "proxenos,irq",
                                  fin_below(in, 4U) == 0U ? fin_u32(in) : 30U + fin_below(in, 16U));
    }
    if ((f & 16U) != 0U) {
        char args[32];

        fin_name(in, args, sizeof(args));
        (void)fdt_writer_prop_string(w, "proxenos,backend-args", args);
    }
    if ((f & 0x60U) == 0x60U) {
        (void)fdt_writer_prop(w, "proxenos,backend-args", "ab", 2U);    /* no NUL */
    }
    if (((f & 0x80U) != 0U) && (fin_below(in, 4U) == 0U)) {
        (void)fdt_writer_prop_u32(w, "proxenos,backend", fin_u32(in));
    }
    (void)fdt_writer_end_node(w);
}

static void write_domain(struct fdt_writer *w, struct fuzz_in *in, unsigned int i)
{
    char name[40];
    uint8_t flags = fin_u8(in);
    uint32_t ac = (uint32_t)fin_pick(in, CELL_COUNTS, sizeof(CELL_COUNTS) / sizeof(CELL_COUNTS[0]));
    uint32_t sc = (uint32_t)fin_pick(in, CELL_COUNTS, sizeof(CELL_COUNTS) / sizeof(CELL_COUNTS[0]));
    uint32_t nr_modules = fin_below(in, MAX_MODULES + 1U);
    uint64_t mem_kib = 0U;

    if ((flags & 1U) != 0U) {
        /* Any characters, but siblings keep distinct names (the reader
         * refuses twins): the last digit is the node's own. */
        size_t len;

        fin_name(in, name, sizeof(name) - 3U);
        len = strlen(name);
        (void)snprintf(name + len, sizeof(name) - len, "-%u", i);
    } else {
        (void)snprintf(name, sizeof(name), "domU%u", i);
    }
    (void)fdt_writer_begin_node(w, name);
    (void)fdt_writer_prop_string(w, "compatible", (flags & 2U) != 0U ? "xen,domain-x" : "xen,domain");
    (void)fdt_writer_prop_u32(w, "#address-cells", ac);
    (void)fdt_writer_prop_u32(w, "#size-cells", sc);
    if ((flags & 4U) == 0U) {
        mem_kib = fin_pick(in, MEM_KIB, sizeof(MEM_KIB) / sizeof(MEM_KIB[0]));
        (void)fdt_writer_prop_u64(w, "memory", mem_kib);
    } else {
        uint8_t raw[12];

        fin_bytes(in, raw, sizeof(raw));
        (void)fdt_writer_prop(w, "memory", raw, fin_below(in, sizeof(raw) + 1U));
    }
    if ((flags & 8U) == 0U) {
        (void)fdt_writer_prop_u32(w, "cpus", (uint32_t)fin_pick(in, CPUS, sizeof(CPUS) / sizeof(CPUS[0])));
    } else if (fin_bool(in)) {
        (void)fdt_writer_prop_u64(w, "cpus", 1U);      /* two cells: not a u32 */
    } else {
        /* no cpus */
    }
    if ((flags & 16U) != 0U) {
        (void)fdt_writer_prop_empty(w, "vpl011");
        (void)fdt_writer_prop_u32(w, "nr_spis", fin_u32(in));
    }
    if ((flags & 32U) != 0U) {
        (void)fdt_writer_prop_u32(w, "xen,domain-p2m-mem-mb", fin_u32(in));
        (void)fdt_writer_prop_u32(w, "domain-cpupool", fin_below(in, 8U) == 0U ? fin_u32(in)
                                                                               : fin_below(in, MAX_POOLS + 2U));
    }
    if ((flags & 64U) != 0U) {
        uint8_t e = (uint8_t)fin_below(in, 6U);

        if (e < 4U) {
            (void)fdt_writer_prop_string(w, "xen,enhanced", ENHANCED[e]);
        } else if (e == 4U) {
            (void)fdt_writer_prop_empty(w, "xen,enhanced");
        } else {
            (void)fdt_writer_prop(w, "xen,enhanced", "enab", 4U);    /* no NUL */
        }
    }
    if ((flags & 128U) != 0U) {
        write_static_mem(w, in, (mem_kib <= (UINT64_MAX >> 10)) ? mem_kib : 0U);
    }
    for (uint32_t m = 0U; m < nr_modules; m++) {
        write_module(w, in, m, ac, sc);
    }
    for (uint32_t v = fin_below(in, DOM0LESS_VIRTIO_MAX + 2U); v > 0U; v--) {
        write_virtio(w, in, v, ac, sc);
    }
    (void)fdt_writer_end_node(w);
}

/* The tree: a root with RAM and a /chosen holding cpupools, xen,domain
 * nodes and perhaps dom0's own modules. The blob's size, or 0. */
static size_t write_tree(struct fuzz_in *in)
{
    struct fdt_writer w;
    uint32_t nr_pools = fin_below(in, MAX_POOLS + 1U);
    uint32_t nr_domains = fin_below(in, TREE_DOMAINS + 1U);
    uint32_t ac = (uint32_t)fin_pick(in, CELL_COUNTS, sizeof(CELL_COUNTS) / sizeof(CELL_COUNTS[0]));
    uint32_t sc = (uint32_t)fin_pick(in, CELL_COUNTS, sizeof(CELL_COUNTS) / sizeof(CELL_COUNTS[0]));

    (void)fdt_writer_init(&w, tree_buf, sizeof(tree_buf));
    (void)fdt_writer_begin_node(&w, "");
    (void)fdt_writer_prop_u32(&w, "#address-cells", 2U);
    (void)fdt_writer_prop_u32(&w, "#size-cells", 2U);
    (void)fdt_writer_begin_node(&w, "memory@40000000");
    (void)fdt_writer_prop_string(&w, "device_type", "memory");
    (void)fdt_writer_prop_begin(&w, "reg");
    reg_value(&w, 0x40000000U, 2U);
    reg_value(&w, 0x80000000U, 2U);
    (void)fdt_writer_prop_end(&w);
    (void)fdt_writer_end_node(&w);
    (void)fdt_writer_begin_node(&w, "chosen");
    chosen_ac = ac;
    chosen_sc = sc;
    (void)fdt_writer_prop_u32(&w, "#address-cells", ac);
    (void)fdt_writer_prop_u32(&w, "#size-cells", sc);
    for (uint32_t p = 0U; p < nr_pools; p++) {
        char name[16];

        (void)snprintf(name, sizeof(name), "cpupool%u", p);
        (void)fdt_writer_begin_node(&w, name);
        (void)fdt_writer_prop_string(&w, "compatible", fin_below(in, 4U) != 0U ? "xen,cpupool" : "xen,cpu");
        (void)fdt_writer_prop_u32(&w, "phandle", fin_below(in, 8U) != 0U ? p + 1U : fin_u32(in));
        (void)fdt_writer_end_node(&w);
    }
    if (fin_bool(in)) {
        write_module(&w, in, 99U, ac, sc);       /* a dom0 module beside them */
    }
    for (uint32_t d = 0U; d < nr_domains; d++) {
        write_domain(&w, in, d);
    }
    (void)fdt_writer_end_node(&w);
    (void)fdt_writer_end_node(&w);
    if (fdt_writer_finish(&w) != 0) {
        return 0U;
    }
    return fdt_writer_size(&w);
}

static void check_module(const struct boot_info *bi, const struct boot_module *m,
                         enum boot_module_kind kind, int node)
{
    if (m == NULL) {
        return;
    }
    FUZZ_ASSERT((m >= &bi->modules[0]) && (m < &bi->modules[bi->nr_modules]));
    FUZZ_ASSERT(m->kind == kind);
    FUZZ_ASSERT(m->domain == node);
}

/* Static banks the builder takes as they are: whole pages of RAM clear of
 * the hypervisor, the tree and the modules, "memory" in all, and no page
 * in two domains (or twice in one). */
static void check_static_mem(const struct boot_info *bi, const struct dom0less_config *cfgs,
                             unsigned int i)
{
    const struct static_mem *sm = cfgs[i].static_mem;
    uint64_t total = 0U;

    if (sm == NULL) {
        return;
    }
    FUZZ_ASSERT((sm->nr >= 1U) && (sm->nr <= STATIC_MEM_MAX_BANKS));
    for (unsigned int k = 0U; k < sm->nr; k++) {
        const struct static_mem_bank *bk = &sm->bank[k];

        FUZZ_ASSERT(((bk->start | bk->size) & (PAGE_SIZE - 1U)) == 0U);
        FUZZ_ASSERT(boot_range_check(bi, &owned, bk->start, bk->size, bi->nr_modules, NULL) ==
                    BOOT_RANGE_OK);
        total += bk->size;
        for (unsigned int j = 0U; j <= i; j++) {
            const struct static_mem *o = cfgs[j].static_mem;

            for (unsigned int l = 0U; (o != NULL) && (l < o->nr); l++) {
                if ((j == i) && (l == k)) {
                    continue;
                }
                FUZZ_ASSERT((bk->start >= (o->bank[l].start + o->bank[l].size)) ||
                            (o->bank[l].start >= (bk->start + bk->size)));
            }
        }
    }
    FUZZ_ASSERT(total == (cfgs[i].mem_kib << 10));
}

/* Placed devices: in the window, aligned, apart, on distinct virtio SPIs,
 * of a known type, served by dom0. */
static void check_virtio(const struct dom0less_config *c)
{
    FUZZ_ASSERT(c->nr_virtio <= DOM0LESS_VIRTIO_MAX);
    for (unsigned int i = 0U; i < c->nr_virtio; i++) {
        const struct dom0less_virtio *v = &c->virtio[i];

        FUZZ_ASSERT((v->size != 0U) && (v->base >= VIRTIO_WINDOW_BASE) &&
                    (v->size <= (VIRTIO_WINDOW_END - VIRTIO_WINDOW_BASE)) &&
                    (v->base <= (VIRTIO_WINDOW_END - v->size)));
        FUZZ_ASSERT(((v->base | v->size) & 3U) == 0U);
        FUZZ_ASSERT((v->intid >= 33U) && (v->intid <= 43U));
        FUZZ_ASSERT((v->type != NULL) && (v->device_id == dom0less_virtio_device_id(v->type)) &&
                    (v->device_id != 0U));
        FUZZ_ASSERT(v->backend == 0U);
        for (unsigned int j = 0U; j < i; j++) {
            const struct dom0less_virtio *o = &c->virtio[j];

            FUZZ_ASSERT((v->base >= (o->base + o->size)) || (o->base >= (v->base + v->size)));
            FUZZ_ASSERT(v->intid != o->intid);
        }
    }
}

/* What the domain builder relies on in every accepted configuration. */
static void check_configs(const struct boot_info *bi, const struct dom0less_config *cfgs,
                          unsigned int n, unsigned int max)
{
    domid_t last = 0U;

    FUZZ_ASSERT(n <= max);
    FUZZ_ASSERT(n <= bi->nr_domain_nodes);
    for (unsigned int i = 0U; i < n; i++) {
        const struct dom0less_config *c = &cfgs[i];

        FUZZ_ASSERT(c->domid > last);
        last = c->domid;
        FUZZ_ASSERT(fdt_node_is_compatible(bi->fdt, c->node, "xen,domain"));
        FUZZ_ASSERT(fdt_parent(bi->fdt, c->node) == bi->chosen);
        FUZZ_ASSERT((c->name != NULL) && (strcmp(c->name, fdt_node_name(bi->fdt, c->node)) == 0));
        FUZZ_ASSERT((c->mem_kib != 0U) && ((c->mem_kib % 4U) == 0U));
        FUZZ_ASSERT((c->cpus >= 1U) && (c->cpus <= 128U));
        FUZZ_ASSERT(c->kernel != NULL);
        check_module(bi, c->kernel, BOOTMOD_KERNEL, c->node);
        check_module(bi, c->ramdisk, BOOTMOD_RAMDISK, c->node);
        check_module(bi, c->dtb, BOOTMOD_GUEST_DTB, c->node);
        FUZZ_ASSERT((c->cpupool == -1) ||
                    fdt_node_is_compatible(bi->fdt, c->cpupool, "xen,cpupool"));
        check_static_mem(bi, cfgs, i);
        check_virtio(c);
    }
}

static struct boot_info bi;
static struct dom0less_config cfgs[DOM0LESS_MAX_DOMAINS];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in;
    struct fdt fdt;
    const void *blob = tree_buf;
    size_t len;
    uint8_t mode;
    unsigned int max;
    unsigned int n;

    fake_console_quiet(true);
    fin_init(&in, data, size);
    mode = fin_u8(&in);
    max = 1U + (fin_u8(&in) % DOM0LESS_MAX_DOMAINS);
    if ((mode & 0x0fU) == 0U) {
        blob = in.p;
        len = in.left;
    } else {
        len = write_tree(&in);
        FUZZ_ASSERT(len != 0U);     /* the writer never refuses these */
    }
    if (fdt_check(&fdt, blob, len) != 0) {
        if (blob == tree_buf) {
            fprintf(stderr, "fdt_check: %s at %u\n", fdt.error, (unsigned)fdt.error_offset);
        }
        FUZZ_ASSERT(blob != tree_buf);  /* what the writer writes, the reader reads */
        return 0;
    }
    if (bootinfo_scan(&bi, &fdt) != 0) {
        return 0;
    }
    /* What setup.c does first: modules, then static banks, checked. */
    (void)boot_modules_check(&bi, &owned);
    (void)static_mem_check_all(&bi, &owned);
    n = dom0less_parse(&bi, cfgs, max);
    check_configs(&bi, cfgs, n, max);
    (void)bootinfo_is_dom0less(&bi);
    return 0;
}
