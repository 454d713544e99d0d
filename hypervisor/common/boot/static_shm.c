/* Reading and checking the static shared memory nodes of the boot device
 * tree (see static_shm.h), once, before the heap exists. Xen 4.17 reads
 * them in its early scan and panics on a bad one; we report the node and
 * leave its domain out. The checks are Xen's (bootfdt.c's node reader and
 * domain_build.c's process_shm), plus where the host range may lie, which
 * Xen leaves to its own mfn_valid: here it must be RAM clear of the
 * hypervisor, the boot device tree and the boot modules. */
#include <proxenos/printk.h>
#include <proxenos/static_shm.h>
#include <proxenos/string.h>

#define PATH_LEN 128U
#define PAGE_MASK_LOW ((uint64_t)PAGE_SIZE - 1U)

static const char *path_of(const struct fdt *fdt, int node, char buf[PATH_LEN])
{
    const char *name;

    if (fdt_node_path(fdt, node, buf, PATH_LEN) >= 0) {
        return buf;
    }
    name = fdt_node_name(fdt, node);
    return (name != NULL) ? name : "?";
}

static bool ranges_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return (a < (b + bs)) && (b < (a + as));
}

/* xen,shm-id: a NUL-terminated, non-empty string of at most 15 chars. */
static const char *read_id(const struct fdt *fdt, struct static_shm_node *n)
{
    uint32_t len = 0U;
    const char *v = fdt_getprop(fdt, n->node, "xen,shm-id", &len);

    if (v == NULL) {
        return "xen,shm-id is missing";
    }
    if ((len == 0U) || (memchr(v, 0, len) == NULL)) {
        return "xen,shm-id is not a string";
    }
    if (v[0] == '\0') {
        return "xen,shm-id is empty";
    }
    if (strlen(v) >= STATIC_SHM_ID_MAX) {
        return "xen,shm-id is longer than 15 characters";
    }
    n->id = v;
    return NULL;
}

/* role: absent is a borrower of a region dom_io owns, as in Xen 4.17. */
static const char *read_role(const struct fdt *fdt, struct static_shm_node *n)
{
    uint32_t len = 0U;
    const char *v = fdt_getprop(fdt, n->node, "role", &len);

    n->owner = false;
    if (v == NULL) {
        return NULL;
    }
    if ((len != 0U) && (memchr(v, 0, len) != NULL)) {
        if (strcmp(v, "owner") == 0) {
            n->owner = true;
            return NULL;
        }
        if (strcmp(v, "borrower") == 0) {
            return NULL;
        }
    }
    return "role must be \"owner\" or \"borrower\"";
}

/* xen,shared-mem = <paddr gaddr size> with the domain node's cells. */
static const char *read_range(const struct fdt *fdt, struct static_shm_node *n)
{
    uint32_t ac = fdt_address_cells(fdt, n->domain);
    uint32_t sc = fdt_size_cells(fdt, n->domain);
    uint32_t len = 0U;
    const uint8_t *v = fdt_getprop(fdt, n->node, "xen,shared-mem", &len);

    if ((ac < 1U) || (ac > 2U) || (sc < 1U) || (sc > 2U)) {
        return "#address-cells and #size-cells of the domain must be 1 or 2";
    }
    if (v == NULL) {
        return "xen,shared-mem is missing";
    }
    if (len != ((ac + ac + sc) * 4U)) {
        return (len == ((ac + sc) * 4U)) ?
               "xen,shared-mem needs the host address: <paddr gaddr size>" :
               "xen,shared-mem must be <paddr gaddr size>";
    }
    n->paddr = fdt_read_cells(v, ac);
    n->gaddr = fdt_read_cells(&v[ac * 4U], ac);
    n->size = fdt_read_cells(&v[ac * 8U], sc);
    if (n->size == 0U) {
        return "the size is 0";
    }
    if (((n->paddr | n->gaddr | n->size) & PAGE_MASK_LOW) != 0U) {
        return "paddr, gaddr and size must be page aligned";
    }
    if ((n->gaddr + n->size) < n->gaddr) {
        return "the guest range wraps around";
    }
    return NULL;
}

static int find_region(const struct static_shm_table *t, const char *id)
{
    for (unsigned int i = 0U; i < t->nr_regions; i++) {
        if (strcmp(t->regions[i].id, id) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* Against the regions already known; why[] holds the reason. */
static const char *check_regions(const struct fdt *fdt, struct static_shm_table *t,
                                 struct static_shm_node *n, char *why, size_t why_len)
{
    char other[PATH_LEN];
    int r = find_region(t, n->id);

    if (r >= 0) {
        struct static_shm_region *g = &t->regions[r];

        if ((g->paddr != n->paddr) || (g->size != n->size)) {
            (void)snprintf(why, why_len, "xen,shm-id \"%s\" is [0x%llx, +0x%llx) elsewhere",
                           n->id, (unsigned long long)g->paddr, (unsigned long long)g->size);
            return why;
        }
        if (n->owner && (g->owner >= 0)) {
            (void)snprintf(why, why_len, "region \"%s\" has a second owner (the first: %s)",
                           n->id, path_of(fdt, g->owner, other));
            return why;
        }
        n->region = r;
        return NULL;
    }
    for (unsigned int i = 0U; i < t->nr_regions; i++) {
        const struct static_shm_region *g = &t->regions[i];

        if (ranges_overlap(n->paddr, n->size, g->paddr, g->size)) {
            (void)snprintf(why, why_len, "host range overlaps region \"%s\"", g->id);
            return why;
        }
    }
    if (t->nr_regions >= STATIC_SHM_MAX_REGIONS) {
        return "too many static shared memory regions";
    }
    n->region = (int)t->nr_regions;
    t->regions[t->nr_regions] = (struct static_shm_region){ n->id, n->paddr, n->size, -1 };
    t->nr_regions++;
    return NULL;
}

static const char *check_node(const struct boot_info *bi, const struct boot_owned *owned,
                              struct static_shm_table *t, struct static_shm_node *n,
                              char *why, size_t why_len)
{
    const char *e = read_id(bi->fdt, n);
    char other_path[PATH_LEN];
    uint32_t other = 0U;
    enum boot_range_verdict v;

    if (e == NULL) {
        e = read_role(bi->fdt, n);
    }
    if (e == NULL) {
        e = read_range(bi->fdt, n);
    }
    if (e != NULL) {
        return e;
    }
    v = boot_range_check(bi, owned, n->paddr, n->size, bi->nr_modules, &other);
    if (v == BOOT_RANGE_RESERVED) {
        /* Xen 4.17 maps it all the same; name the child it overlaps. */
        boot_reserved_path(bi, other, other_path, sizeof(other_path));
        (void)snprintf(why, why_len, "host range [0x%llx, +0x%llx) overlaps reserved memory %s",
                       (unsigned long long)n->paddr, (unsigned long long)n->size, other_path);
        return why;
    }
    if (v != BOOT_RANGE_OK) {
        (void)snprintf(why, why_len, "host range [0x%llx, +0x%llx) %s",
                       (unsigned long long)n->paddr, (unsigned long long)n->size,
                       boot_range_verdict_text(v));
        return why;
    }
    return check_regions(bi->fdt, t, n, why, why_len);
}

/* Messages built from values live here until the domains are built. */
static char reasons[STATIC_SHM_MAX_NODES][192];

/* One node of domain node dom (/chosen for dom0). */
static void scan_one(const struct boot_info *bi, const struct boot_owned *owned,
                     struct static_shm_table *t, int dom, int node, unsigned int *bad)
{
    const struct fdt *fdt = bi->fdt;
    char path[PATH_LEN];
    struct static_shm_node *n;

    if (t->nr_nodes >= STATIC_SHM_MAX_NODES) {
        pr_err("static shared memory %s: more than %u nodes: ignored\n",
               path_of(fdt, node, path), STATIC_SHM_MAX_NODES);
        return;
    }
    n = &t->nodes[t->nr_nodes];
    *n = (struct static_shm_node){ .node = node, .domain = dom, .region = -1 };
    n->error = check_node(bi, owned, t, n, reasons[t->nr_nodes], sizeof(reasons[0]));
    if (n->error != NULL) {
        pr_err("static shared memory %s: %s\n", path_of(fdt, node, path), n->error);
        (*bad)++;
    } else if (n->owner) {
        t->regions[n->region].owner = node;
    } else {
        /* a borrower: nothing more to record */
    }
    t->nr_nodes++;
}

static void scan_domain(const struct boot_info *bi, const struct boot_owned *owned,
                        struct static_shm_table *t, int dom, unsigned int *bad)
{
    const struct fdt *fdt = bi->fdt;

    for (int node = fdt_first_child(fdt, dom); node >= 0; node = fdt_next_sibling(fdt, node)) {
        if (fdt_node_is_compatible(fdt, node, STATIC_SHM_COMPAT)) {
            scan_one(bi, owned, t, dom, node, bad);
        }
    }
}

unsigned int static_shm_scan(const struct boot_info *bi, const struct boot_owned *owned,
                             struct static_shm_table *t)
{
    const struct fdt *fdt = bi->fdt;
    unsigned int bad = 0U;

    *t = (struct static_shm_table){ 0 };
    if (bi->chosen < 0) {
        return 0U;
    }
    /* In tree order, as Xen reads them: a node directly under /chosen is
     * dom0's, and its cells are /chosen's. */
    for (int node = fdt_first_child(fdt, bi->chosen); node >= 0;
         node = fdt_next_sibling(fdt, node)) {
        if (fdt_node_is_compatible(fdt, node, "xen,domain")) {
            scan_domain(bi, owned, t, node, &bad);
        } else if (fdt_node_is_compatible(fdt, node, STATIC_SHM_COMPAT)) {
            scan_one(bi, owned, t, bi->chosen, node, &bad);
        } else {
            /* not ours */
        }
    }
    return bad;
}
