/* Static shared memory (static_shm.c, static_shm_domain.c): the
 * xen,domain-shared-memory-v1 nodes read into regions and nodes, each way
 * a node is refused (its id, role, cells, size, alignment, host range,
 * and against the nodes before it), a domain's nodes checked against its
 * guest address space (Xen's guest RAM banks, or the host's for dom0 and
 * a direct-mapped domU), the dom0less reader skipping a domain with a bad
 * one, the mapping through the stage-2 hook, and the extended regions cut
 * around the regions. Trees are built here; RAM and modules are a boot
 * info literal; the fake arch's guest RAM banks are Xen's (1 GiB at
 * 0x40000000 ... and 8 GiB up). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include <fake_arch.h>
#include <fake_p2m.h>
#include <proxenos/arch/domain.h>
#include <proxenos/dom0less.h>
#include <proxenos/errno.h>
#include <proxenos/static_mem.h>
#include <proxenos/static_shm.h>
#include "fdt_builder.h"

#define RAM0        0x40000000ULL
#define RAM0_SIZE   0x40000000ULL
#define MODULE      0x50000000ULL
#define IMAGE       0x40200000ULL
#define DTB         0x48000000ULL
#define KIB         1024U
#define MIB         0x100000U

static const struct boot_owned owned = {
    .image = { IMAGE, 0x200000ULL },
    .dtb = { DTB, 0x10000ULL },
};

/* One node: which domain (index), its properties; NULL leaves one out. */
struct shm {
    unsigned int dom;
    const char *name;
    const char *id;
    const char *role;
    uint64_t paddr;
    uint64_t gaddr;
    uint64_t size;
    unsigned int cells;         /* of xen,shared-mem; 0: 2 + 2 + 2 */
};

struct env {
    struct fb *b;
    struct fdt fdt;
    struct boot_info bi;
    struct static_shm_table t;
    unsigned int bad;
};

static void put_shm(struct fb *b, const struct shm *s)
{
    uint8_t v[24];
    unsigned int cells = (s->cells != 0U) ? s->cells : 6U;

    fb_begin(b, s->name);
    fb_prop_str(b, "compatible", STATIC_SHM_COMPAT);
    if (s->id != NULL) {
        fb_prop_str(b, "xen,shm-id", s->id);
    }
    if (s->role != NULL) {
        fb_prop_str(b, "role", s->role);
    }
    fb_put32(&v[0], (uint32_t)(s->paddr >> 32));
    fb_put32(&v[4], (uint32_t)s->paddr);
    fb_put32(&v[8], (uint32_t)(s->gaddr >> 32));
    fb_put32(&v[12], (uint32_t)s->gaddr);
    fb_put32(&v[16], (uint32_t)(s->size >> 32));
    fb_put32(&v[20], (uint32_t)s->size);
    fb_prop(b, "xen,shared-mem", v, (size_t)cells * 4U);
    fb_end(b);
}

/* bi for the finished tree in b: /chosen its root's first child, one
 * RAM bank and a kernel module at MODULE for each xen,domain node. */
static void boot_info_of(struct boot_info *bi, struct fdt *fdt, struct fb *b)
{
    fb_finish(b);
    assert_int_equal(fdt_check(fdt, b->out, b->out_len), 0);
    memset(bi, 0, sizeof(*bi));
    bi->fdt = fdt;
    bi->chosen = fdt_first_child(fdt, fdt_root(fdt));
    bi->ram[0] = (struct boot_range){ RAM0, RAM0_SIZE };
    bi->nr_ram = 1U;
    for (int d = fdt_first_child(fdt, bi->chosen); d >= 0; d = fdt_next_sibling(fdt, d)) {
        if (fdt_node_is_compatible(fdt, d, "xen,domain")) {
            bi->modules[bi->nr_modules] = (struct boot_module){
                .kind = BOOTMOD_KERNEL, .start = MODULE, .size = 0x1000U, .node = -1,
                .name = "kernel", .domain = d };
            bi->nr_modules++;
            bi->nr_domain_nodes++;
        }
    }
}

/* / { chosen { dom0..dom(ndoms-1) { shm nodes } } }, one kernel module
 * each at MODULE, scanned. A shm with dom == ndoms goes under /chosen. */
static struct env *scan(const struct shm *s, unsigned int n, unsigned int ndoms)
{
    struct env *e = calloc(1, sizeof(*e));
    char name[16];

    assert_non_null(e);
    e->b = fb_new();
    fb_begin(e->b, "");
    fb_begin(e->b, "chosen");
    /* dom0's nodes use these. */
    fb_prop_u32(e->b, "#address-cells", 2U);
    fb_prop_u32(e->b, "#size-cells", 2U);
    for (unsigned int d = 0U; d < ndoms; d++) {
        (void)snprintf(name, sizeof(name), "dom%u", d);
        fb_begin(e->b, name);
        fb_prop_str(e->b, "compatible", "xen,domain");
        fb_prop_u32(e->b, "#address-cells", 2U);
        fb_prop_u32(e->b, "#size-cells", 2U);
        fb_prop_cells(e->b, "memory", 2U, 0U, 0x10000U);      /* 64 MiB */
        fb_prop_u32(e->b, "cpus", 1U);
        for (unsigned int i = 0U; i < n; i++) {
            if (s[i].dom == d) {
                put_shm(e->b, &s[i]);
            }
        }
        fb_end(e->b);
    }
    for (unsigned int i = 0U; i < n; i++) {
        if (s[i].dom == ndoms) {
            put_shm(e->b, &s[i]);
        }
    }
    fb_end(e->b);
    fb_end(e->b);
    boot_info_of(&e->bi, &e->fdt, e->b);
    fake_log_clear();
    e->bad = static_shm_scan(&e->bi, &owned, &e->t);
    e->bi.shm = &e->t;
    return e;
}

static void free_env(struct env *e)
{
    free(e->b);
    free(e);
}

static int setup(void **state)
{
    (void)state;
    fake_reset();
    fake_p2m_reset();
    return 0;
}

/* ---- Reading ------------------------------------------------------------------------ */

static void owner_borrowers_and_dom_io(void **state)
{
    static const struct shm s[] = {
        { 0U, "shm@1", "shm-a", "owner", 0x70000000U, 0x50000000U, 2U * MIB, 0U },
        { 1U, "shm@2", "shm-a", "borrower", 0x70000000U, 0x60000000U, 2U * MIB, 0U },
        { 1U, "shm@3", "shm-io", NULL, 0x70400000U, 0x48000000U, 64U * KIB, 0U },
        { 2U, "shm@4", "shm-io", NULL, 0x70400000U, 0x48000000U, 64U * KIB, 0U },
    };
    struct env *e;

    (void)state;
    e = scan(s, 4U, 3U);
    assert_int_equal(e->bad, 0U);
    assert_int_equal(e->t.nr_regions, 2U);
    assert_int_equal(e->t.nr_nodes, 4U);
    assert_string_equal(e->t.regions[0].id, "shm-a");
    assert_int_equal(e->t.regions[0].paddr, 0x70000000U);
    assert_int_equal(e->t.regions[0].size, 2U * MIB);
    assert_int_equal(e->t.regions[0].owner, e->t.nodes[0].node);
    assert_string_equal(e->t.regions[1].id, "shm-io");
    /* No role: borrowers of a region nobody in the tree owns (dom_io). */
    assert_int_equal(e->t.regions[1].owner, -1);
    assert_false(e->t.nodes[2].owner);
    assert_false(e->t.nodes[3].owner);
    assert_true(e->t.nodes[0].owner);
    assert_false(e->t.nodes[1].owner);
    assert_int_equal(e->t.nodes[1].region, 0);
    assert_int_equal(e->t.nodes[3].region, 1);
    assert_int_equal(e->t.nodes[1].gaddr, 0x60000000U);
    assert_int_equal(e->t.nodes[2].domain, fdt_parent(&e->fdt, e->t.nodes[2].node));
    for (unsigned int i = 0U; i < 4U; i++) {
        assert_null(e->t.nodes[i].error);
    }
    assert_string_equal(fake_log(), "");
    free_env(e);
}

/* Each node alone in a domain after a good one: its reason, its path. */
static void refused_nodes(void **state)
{
    static const struct {
        struct shm s;
        const char *why;
    } cases[] = {
        { { 1U, "noid", NULL, NULL, 0x70000000U, 0x50000000U, MIB, 0U }, "xen,shm-id is missing" },
        { { 1U, "emptyid", "", NULL, 0x70000000U, 0x50000000U, MIB, 0U }, "xen,shm-id is empty" },
        { { 1U, "longid", "sixteen-chars-16", NULL, 0x70000000U, 0x50000000U, MIB, 0U },
          "xen,shm-id is longer than 15 characters" },
        { { 1U, "role", "r", "lender", 0x70000000U, 0x50000000U, MIB, 0U },
          "role must be \"owner\" or \"borrower\"" },
        { { 1U, "short", "s", NULL, 0x70000000U, 0x50000000U, MIB, 4U },
          "xen,shared-mem needs the host address: <paddr gaddr size>" },
        { { 1U, "odd", "o", NULL, 0x70000000U, 0x50000000U, MIB, 5U },
          "xen,shared-mem must be <paddr gaddr size>" },
        { { 1U, "zero", "z", NULL, 0x70000000U, 0x50000000U, 0U, 0U }, "the size is 0" },
        { { 1U, "unaligned", "u", NULL, 0x70000000U, 0x50000000U, 0x1800U, 0U },
          "paddr, gaddr and size must be page aligned" },
        { { 1U, "gunaligned", "u", NULL, 0x70000000U, 0x50000800U, 0x1000U, 0U },
          "paddr, gaddr and size must be page aligned" },
        { { 1U, "gwrap", "w", NULL, 0x70000000U, 0xfffffffffffff000ULL, 0x2000U, 0U },
          "the guest range wraps around" },
        { { 1U, "flash", "f", NULL, 0x4000000U, 0x50000000U, MIB, 0U },
          "host range [0x4000000, +0x100000) is not in RAM" },
        { { 1U, "edge", "f", NULL, RAM0 + RAM0_SIZE - 0x1000U, 0x50000000U, 0x2000U, 0U },
          "host range [0x7ffff000, +0x2000) is not in RAM" },
        { { 1U, "image", "i", NULL, IMAGE, 0x50000000U, MIB, 0U },
          "host range [0x40200000, +0x100000) overlaps the hypervisor" },
        { { 1U, "dtb", "d", NULL, DTB - 0x1000U, 0x50000000U, 0x2000U, 0U },
          "host range [0x47fff000, +0x2000) overlaps the boot device tree" },
        { { 1U, "module", "m", NULL, MODULE, 0x50000000U, MIB, 0U },
          "host range [0x50000000, +0x100000) overlaps another boot module" },
        { { 1U, "moved", "good", NULL, 0x70200000U, 0x50000000U, MIB, 0U },
          "xen,shm-id \"good\" is [0x70000000, +0x100000) elsewhere" },
        { { 1U, "bigger", "good", NULL, 0x70000000U, 0x50000000U, 2U * MIB, 0U },
          "xen,shm-id \"good\" is [0x70000000, +0x100000) elsewhere" },
        { { 1U, "overlap", "other", NULL, 0x700ff000U, 0x50000000U, 0x2000U, 0U },
          "host range overlaps region \"good\"" },
        { { 1U, "owner2", "good", "owner", 0x70000000U, 0x50000000U, MIB, 0U },
          "region \"good\" has a second owner (the first: /chosen/dom0/good)" },
    };
    const struct shm good = { 0U, "good", "good", "owner", 0x70000000U, 0x50000000U, MIB, 0U };

    (void)state;
    for (size_t i = 0U; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct shm s[2] = { good, cases[i].s };
        char line[256];
        struct env *e = scan(s, 2U, 2U);

        (void)snprintf(line, sizeof(line), "static shared memory /chosen/dom1/%s: %s\n",
                       cases[i].s.name, cases[i].why);
        if (!fake_log_contains(line)) {
            fail_msg("case %s: want \"%s\", log:\n%s", cases[i].s.name, line, fake_log());
        }
        assert_int_equal(e->bad, 1U);
        assert_null(e->t.nodes[0].error);
        assert_non_null(e->t.nodes[1].error);
        assert_int_equal(e->t.nodes[1].region, -1);
        /* A refused node makes no region: only the good one is reserved. */
        assert_int_equal(e->t.nr_regions, 1U);
        free_env(e);
    }
}

/* 1-cell addresses and sizes; dom0's nodes (under /chosen, its domain
 * node) read as Xen 4.17 reads them, with /chosen's cells. */
static void cells_and_dom0(void **state)
{
    static const struct shm s[] = {
        { 1U, "dom0shm", "d0", NULL, 0x70000000U, 0x50000000U, MIB, 0U },
    };
    struct env *e;
    struct fb *b = fb_new();
    struct fdt fdt;
    struct boot_info bi;
    struct static_shm_table t;

    (void)state;
    e = scan(s, 1U, 1U);
    assert_int_equal(e->bad, 0U);
    assert_string_equal(fake_log(), "");
    assert_int_equal(e->t.nr_nodes, 1U);
    assert_int_equal(e->t.nodes[0].domain, e->bi.chosen);
    assert_int_equal(e->t.nodes[0].gaddr, 0x50000000U);
    assert_int_equal(e->t.nr_regions, 1U);
    free_env(e);

    fb_begin(b, "");
    fb_begin(b, "chosen");
    fb_begin(b, "dom");
    fb_prop_str(b, "compatible", "xen,domain");
    fb_prop_u32(b, "#address-cells", 1U);
    fb_prop_u32(b, "#size-cells", 1U);
    fb_begin(b, "shm");
    fb_prop_str(b, "compatible", STATIC_SHM_COMPAT);
    fb_prop_str(b, "xen,shm-id", "one-cell");
    fb_prop_cells(b, "xen,shared-mem", 3U, 0x70000000U, 0x50000000U, 0x3000U);
    fb_end(b);
    fb_end(b);
    fb_end(b);
    fb_end(b);
    boot_info_of(&bi, &fdt, b);
    assert_int_equal(static_shm_scan(&bi, &owned, &t), 0U);
    assert_int_equal(t.nr_nodes, 1U);
    assert_int_equal(t.nodes[0].paddr, 0x70000000U);
    assert_int_equal(t.nodes[0].gaddr, 0x50000000U);
    assert_int_equal(t.nodes[0].size, 0x3000U);
    /* No /chosen: nothing. */
    bi.chosen = -1;
    assert_int_equal(static_shm_scan(&bi, &owned, &t), 0U);
    assert_int_equal(t.nr_nodes, 0U);
    free(b);
}

/* ---- A domain's regions ------------------------------------------------------------- */

static void domains_take_their_regions(void **state)
{
    static const struct shm s[] = {
        { 0U, "a", "a", "owner", 0x70000000U, 0x50000000U, MIB, 0U },
        { 0U, "b", "b", NULL, 0x70200000U, 0x200000000ULL, MIB, 0U },
        { 1U, "inram", "a", NULL, 0x70000000U, 0x43fff000U, MIB, 0U },
        { 2U, "nobank", "a", NULL, 0x70000000U, 0x10000000U, MIB, 0U },
        { 3U, "a", "a", NULL, 0x70000000U, 0x50000000U, MIB, 0U },
        { 3U, "b", "b", NULL, 0x70200000U, 0x500ff000U, MIB, 0U },
        { 4U, "bad", "a", "owner", 0x70000000U, 0x50000000U, MIB, 0U },
        { 5U, "spans", "a", NULL, 0x70000000U, 0xfff80000ULL, MIB, 0U },
    };
    const struct static_shm_node *out[STATIC_SHM_MAX_PER_DOMAIN];
    struct dom0less_config cfgs[DOM0LESS_MAX_DOMAINS];
    unsigned int nr = 99U;
    struct env *e;
    int dom;

    (void)state;
    e = scan(s, sizeof(s) / sizeof(s[0]), 6U);
    assert_int_equal(e->bad, 1U);           /* the second owner */
    dom = fdt_first_child(&e->fdt, e->bi.chosen);
    assert_true(static_shm_for_domain(&e->bi, &e->t, dom, "dom0", 64U * MIB, out, &nr));
    assert_int_equal(nr, 2U);
    assert_int_equal(out[0]->gaddr, 0x50000000U);
    assert_int_equal(out[1]->gaddr, 0x200000000ULL);
    /* No table: nothing, and fine. */
    assert_true(static_shm_for_domain(&e->bi, NULL, dom, "dom0", 64U * MIB, out, &nr));
    assert_int_equal(nr, 0U);

    /* The reader: dom0 is the only domain left; each other is named. */
    fake_log_clear();
    assert_int_equal(dom0less_parse(&e->bi, cfgs, DOM0LESS_MAX_DOMAINS), 1U);
    assert_string_equal(cfgs[0].name, "dom0");
    assert_int_equal(cfgs[0].nr_shm, 2U);
    assert_ptr_equal(cfgs[0].shm[1], &e->t.nodes[1]);
    assert_true(fake_log_contains("dom0less: dom1: static shared memory /chosen/dom1/inram: "
                                  "gaddr overlaps the domain's RAM: domain skipped\n"));
    assert_true(fake_log_contains("dom0less: dom2: static shared memory /chosen/dom2/nobank: "
                                  "gaddr is not in a guest RAM bank: domain skipped\n"));
    assert_true(fake_log_contains("dom0less: dom3: static shared memory /chosen/dom3/b: gaddr "
                                  "overlaps another static shared memory region of the domain: "
                                  "domain skipped\n"));
    assert_true(fake_log_contains("dom0less: dom4: static shared memory /chosen/dom4/bad: region "
                                  "\"a\" has a second owner (the first: /chosen/dom0/a): domain "
                                  "skipped\n"));
    /* From the end of one guest bank into the gap after it. */
    assert_true(fake_log_contains("dom0less: dom5: static shared memory /chosen/dom5/spans: "
                                  "gaddr is not in a guest RAM bank: domain skipped\n"));
    free_env(e);
}

static void mapped_through_the_hook(void **state)
{
    static const struct shm s[] = {
        { 0U, "a", "a", "owner", 0x70000000U, 0x50000000U, 0x3000U, 0U },
        { 0U, "b", "b", NULL, 0x70200000U, 0x60000000U, 0x1000U, 0U },
    };
    const struct static_shm_node *out[STATIC_SHM_MAX_PER_DOMAIN];
    struct domain_fdt_shm fs[STATIC_SHM_MAX_PER_DOMAIN];
    struct domain d;
    unsigned int nr = 0U;
    mfn_t m;
    enum guest_frame_type t;
    struct env *e;

    (void)state;
    memset(&d, 0, sizeof(d));
    (void)snprintf(d.name, sizeof(d.name), "dom0");
    d.domain_id = 7U;
    e = scan(s, 2U, 1U);
    assert_true(static_shm_for_domain(&e->bi, &e->t, fdt_first_child(&e->fdt, e->bi.chosen),
                                      "dom0", 64U * MIB, out, &nr));
    assert_int_equal(static_shm_map(&d, out, nr), 0);
    for (uint64_t i = 0U; i < 3U; i++) {
        assert_int_equal(arch_guest_lookup_page(&d, gfn(0x50000U + i), &m, &t), 0);
        assert_int_equal(t, GUEST_FRAME_OTHER);
        assert_int_equal(mfn_x(m), 0x70000U + i);
    }
    assert_int_equal(arch_guest_lookup_page(&d, gfn(0x50003U), &m, &t), -ENOENT);
    assert_int_equal(arch_guest_lookup_page(&d, gfn(0x60000U), &m, &t), 0);
    assert_int_equal(mfn_x(m), 0x70200U);
    assert_true(fake_log_contains("Domain 7: static shared memory \"a\" 0x70000000-0x70003000 "
                                  "at guest 0x50000000 (owner)"));
    assert_true(fake_log_contains("Domain 7: static shared memory \"b\" 0x70200000-0x70201000 "
                                  "at guest 0x60000000 (borrower)"));
    static_shm_fdt_regions(out, nr, fs);
    assert_int_equal(fs[1].base, 0x60000000U);
    assert_int_equal(fs[1].size, 0x1000U);
    assert_string_equal(fs[1].id, "b");

    /* The hook's refusal is the caller's, named. */
    fake_p2m_fail_maps(1U);
    assert_int_equal(static_shm_map(&d, out, nr), -ENOMEM);
    assert_true(fake_log_contains("Domain 7 (dom0): cannot map static shared memory \"a\" "
                                  "(-12)"));
    free_env(e);
}

/* ---- Direct-mapped domains: dom0 and direct-map domUs -------------------------------- */

/* dom0's nodes against its RAM (direct-mapped) and grant window: each
 * case alone under /chosen, named with the dom0 wording. */
static void dom0_regions_checked_against_its_space(void **state)
{
    static const struct {
        uint64_t paddr;
        uint64_t gaddr;
        const char *why;
    } cases[] = {
        { 0x70000000U, 0x70000000U, NULL },
        { 0x60100000U, 0x70000000U, "host range overlaps the domain's RAM" },
        { 0x70000000U, 0x6ff00000U, "gaddr overlaps the domain's RAM" },
        { 0x70000000U, 0x40200000U, "gaddr overlaps the domain's grant table window" },
        { 0x70000000U, 0x10000000U, "gaddr is not in host RAM (the domain is direct-mapped)" },
        { 0x70000000U, 0x7ff00000U, "gaddr is not in host RAM (the domain is direct-mapped)" },
    };
    static const struct boot_range ram[] = { { 0x60000000U, 256U * MIB } };
    const struct static_shm_direct dd = { ram, 1U, { IMAGE, 0x40000U } };
    const struct static_shm_node *out[STATIC_SHM_MAX_PER_DOMAIN];

    (void)state;
    for (unsigned int i = 0U; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct shm s = { 0U, "shm", "d0", "owner", cases[i].paddr, cases[i].gaddr,
                               2U * MIB, 0U };
        char line[200];
        unsigned int nr = 99U;
        struct env *e = scan(&s, 1U, 0U);

        assert_int_equal(e->bad, 0U);
        if (cases[i].why == NULL) {
            assert_true(static_shm_for_direct(&e->bi, &e->t, e->bi.chosen, "dom0", &dd, out,
                                              &nr));
            assert_int_equal(nr, 1U);
            assert_int_equal(out[0]->gaddr, cases[i].gaddr);
        } else {
            assert_false(static_shm_for_direct(&e->bi, &e->t, e->bi.chosen, "dom0", &dd, out,
                                               &nr));
            (void)snprintf(line, sizeof(line), "dom0: static shared memory /chosen/shm: %s: "
                           "dom0 not built\n", cases[i].why);
            assert_true(fake_log_contains(line));
        }
        free_env(e);
    }
}

/* A direct-map domU's gaddr is checked against its host banks, not the
 * guest RAM banks it does not use. */
static void direct_mapped_domu_regions(void **state)
{
    struct fb *b = fb_new();
    struct fdt fdt;
    static struct boot_info bi;
    static struct static_shm_table t;
    struct dom0less_config cfgs[DOM0LESS_MAX_DOMAINS];
    static const char *const names[] = { "dm", "dmbad" };
    static const uint32_t base[] = { 0x60000000U, 0x64000000U };
    static const uint32_t gaddr[] = { 0x70000000U, 0x64100000U };

    (void)state;
    fb_begin(b, "");
    fb_begin(b, "chosen");
    fb_prop_u32(b, "#address-cells", 2U);
    fb_prop_u32(b, "#size-cells", 2U);
    for (unsigned int i = 0U; i < 2U; i++) {
        fb_begin(b, names[i]);
        fb_prop_str(b, "compatible", "xen,domain");
        fb_prop_u32(b, "#address-cells", 2U);
        fb_prop_u32(b, "#size-cells", 2U);
        fb_prop_cells(b, "memory", 2U, 0U, 0x10000U);      /* 64 MiB */
        fb_prop_u32(b, "cpus", 1U);
        fb_prop_cells(b, "xen,static-mem", 4U, 0U, base[i], 0U, 64U * MIB);
        fb_prop_empty(b, "direct-map");
        put_shm(b, &(struct shm){ 0U, "shm", "dm", NULL, 0x70000000U, gaddr[i], 2U * MIB, 0U });
        fb_end(b);
    }
    fb_end(b);
    fb_end(b);
    boot_info_of(&bi, &fdt, b);
    fake_log_clear();
    assert_int_equal(static_shm_scan(&bi, &owned, &t), 0U);
    bi.shm = &t;
    assert_int_equal(static_mem_check_all(&bi, &owned), 0U);
    assert_int_equal(dom0less_parse(&bi, cfgs, DOM0LESS_MAX_DOMAINS), 1U);
    assert_string_equal(cfgs[0].name, "dm");
    assert_int_equal(cfgs[0].nr_shm, 1U);
    assert_int_equal(cfgs[0].shm[0]->gaddr, 0x70000000U);
    assert_true(fake_log_contains("dom0less: dmbad: static shared memory /chosen/dmbad/shm: "
                                  "gaddr overlaps the domain's RAM: domain skipped\n"));
    free(b);
}

/* ---- Extended regions --------------------------------------------------------------- */

static void extended_regions_cut_around(void **state)
{
    static const struct static_shm_node n[] = {
        { .gaddr = 0x50000000U, .size = 0x200000U },        /* inside the first */
        { .gaddr = 0x200000000ULL, .size = 0x100000U },     /* the second's start */
        { .gaddr = 0x2fff00000ULL, .size = 0x200000U },     /* over its end */
        { .gaddr = 0x800000000ULL, .size = 0x100000000ULL },/* all of the third */
    };
    const struct static_shm_node *const shm[] = { &n[0], &n[1], &n[2], &n[3] };
    struct domain_fdt_region ext[6] = {
        { 0x44000000U, 0xbc000000U },
        { 0x200000000ULL, 0x100000000ULL },
        { 0x800000000ULL, 0x100000000ULL },
    };
    unsigned int nr = 3U;

    (void)state;
    static_shm_carve(shm, 4U, ext, &nr, 6U);
    assert_int_equal(nr, 3U);
    assert_int_equal(ext[0].base, 0x44000000U);
    assert_int_equal(ext[0].size, 0x50000000U - 0x44000000U);
    assert_int_equal(ext[1].base, 0x50200000U);
    assert_int_equal(ext[1].size, 0x100000000ULL - 0x50200000U);
    assert_int_equal(ext[2].base, 0x200100000ULL);
    assert_int_equal(ext[2].size, 0x2fff00000ULL - 0x200100000ULL);

    /* A split with no room left keeps the lower part only. */
    nr = 1U;
    ext[0] = (struct domain_fdt_region){ 0x44000000U, 0xbc000000U };
    static_shm_carve(shm, 1U, ext, &nr, 1U);
    assert_int_equal(nr, 1U);
    assert_int_equal(ext[0].size, 0x50000000U - 0x44000000U);
    /* Nothing to cut. */
    static_shm_carve(shm, 0U, ext, &nr, 1U);
    assert_int_equal(nr, 1U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(owner_borrowers_and_dom_io, setup),
        cmocka_unit_test_setup(refused_nodes, setup),
        cmocka_unit_test_setup(cells_and_dom0, setup),
        cmocka_unit_test_setup(domains_take_their_regions, setup),
        cmocka_unit_test_setup(mapped_through_the_hook, setup),
        cmocka_unit_test_setup(extended_regions_cut_around, setup),
        cmocka_unit_test_setup(dom0_regions_checked_against_its_space, setup),
        cmocka_unit_test_setup(direct_mapped_domu_regions, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
