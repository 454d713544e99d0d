/* Reading, checking and laying out the static memory of dom0less domains
 * (static_mem.h). Xen 4.17 trusts the banks and hangs or corrupts itself
 * on bad ones; here each bank is checked like a boot module (RAM, clear
 * of the hypervisor, the device tree, /reserved-memory and the modules),
 * plus against the banks of every domain before it and the static shared
 * memory regions, and a domain with a bad bank is named, with what it
 * overlaps, and skipped. */
#include <proxenos/lib.h>
#include <proxenos/printk.h>
#include <proxenos/static_mem.h>
#include <proxenos/static_shm.h>

#define PATH_LEN 128U

/* What static_mem_check_all() found for one node. */
struct checked {
    int node;
    bool refused;
    const char *why;
    struct static_mem sm;
};

static struct checked table[STATIC_MEM_MAX_DOMAINS];
static unsigned int nr_checked;

static bool wraps(paddr_t start, uint64_t size)
{
    return (size - 1U) > (UINT64_MAX - start);
}

/* Both non-empty and not wrapping. */
static bool overlaps(const struct static_mem_bank *a, const struct static_mem_bank *b)
{
    return (a->start < (b->start + b->size)) && (b->start < (a->start + a->size));
}

static const char *read_banks(const struct fdt *fdt, int chosen, int node, struct static_mem *out)
{
    uint32_t ac = fdt_address_cells(fdt, chosen);
    uint32_t sc = fdt_size_cells(fdt, chosen);
    uint32_t len = 0U;
    const uint8_t *p = fdt_getprop(fdt, node, "xen,static-mem", &len);
    uint32_t entry;

    if (p == NULL) {
        return NULL;
    }
    /* Xen 4.17 takes 1 or 2 cells (its paddr_t is 64 bits). */
    if ((ac < 1U) || (ac > 2U) || (sc < 1U) || (sc > 2U)) {
        return "xen,static-mem needs #address-cells and #size-cells of 1 or 2 in /chosen";
    }
    entry = (ac + sc) * 4U;
    if ((len == 0U) || ((len % entry) != 0U)) {
        return "xen,static-mem is not a list of <address size> with /chosen's cells";
    }
    if ((len / entry) > STATIC_MEM_MAX_BANKS) {
        return "xen,static-mem has more than 8 banks";
    }
    for (uint32_t off = 0U; off < len; off += entry) {
        struct static_mem_bank *b = &out->bank[out->nr];

        b->start = fdt_read_cells(&p[off], ac);
        b->size = fdt_read_cells(&p[off + (ac * 4U)], sc);
        if (b->size == 0U) {
            return "a xen,static-mem bank is empty";
        }
        if (((b->start | b->size) & (PAGE_SIZE - 1U)) != 0U) {
            return "a xen,static-mem bank is not page aligned";
        }
        if (wraps(b->start, b->size)) {
            return "a xen,static-mem bank wraps around the end of the address space";
        }
        out->total += b->size;
        out->nr++;
    }
    return NULL;
}

const char *static_mem_read(const struct fdt *fdt, int chosen, int node, struct static_mem *out)
{
    uint32_t len = 0U;
    const void *mem;
    const char *why;

    *out = (struct static_mem){ 0 };
    out->direct_map = fdt_getprop(fdt, node, "direct-map", NULL) != NULL;
    why = read_banks(fdt, chosen, node, out);
    if (why != NULL) {
        return why;
    }
    if (out->direct_map && (out->nr == 0U)) {
        /* Xen 4.17 panics: "direct-map is not valid for domain ... without
         * static allocation". */
        return "direct-map needs xen,static-mem";
    }
    /* A "memory" that cannot be read is dom0less_config's to report. */
    mem = fdt_getprop(fdt, node, "memory", &len);
    if ((out->nr != 0U) && (mem != NULL) && (len == 8U) &&
        ((fdt_be64(mem) > (UINT64_MAX >> 10)) || ((fdt_be64(mem) << 10) != out->total))) {
        return "\"memory\" is not the sum of the xen,static-mem banks";
    }
    return NULL;
}

enum boot_range_verdict static_mem_bank_check(const struct boot_info *bi,
                                              const struct boot_owned *owned,
                                              const struct static_mem_bank *b,
                                              const struct static_mem_bank *others,
                                              unsigned int n, uint32_t *other)
{
    enum boot_range_verdict v = boot_range_check(bi, owned, b->start, b->size, bi->nr_modules,
                                                 other);

    if (v != BOOT_RANGE_OK) {
        return v;
    }
    for (unsigned int i = 0U; i < n; i++) {
        if (overlaps(b, &others[i])) {
            *other = i;
            return BOOT_RANGE_STATIC;
        }
    }
    /* The shared regions are scanned first (they belong to no domain):
     * a bank over one is its domain's fault. Xen 4.17 checks neither
     * this nor /reserved-memory and gives both to the domain. */
    for (unsigned int i = 0U; (bi->shm != NULL) && (i < bi->shm->nr_regions); i++) {
        struct static_mem_bank r = { bi->shm->regions[i].paddr, bi->shm->regions[i].size };

        if (overlaps(b, &r)) {
            *other = i;
            return BOOT_RANGE_SHM;
        }
    }
    return BOOT_RANGE_OK;
}

/* Every bank that passed so far, of all domains, in one array: the
 * checks of a later domain count against all of them. */
static struct static_mem_bank accepted[STATIC_MEM_MAX_DOMAINS * STATIC_MEM_MAX_BANKS];
static int accepted_node[STATIC_MEM_MAX_DOMAINS * STATIC_MEM_MAX_BANKS];
static unsigned int nr_accepted;

/* The first node that names shared region r, for messages. */
static void shm_region_path(const struct boot_info *bi, uint32_t r, char *buf)
{
    const struct static_shm_table *t = bi->shm;

    for (unsigned int i = 0U; i < t->nr_nodes; i++) {
        if ((t->nodes[i].region == (int)r) && (fdt_node_path(bi->fdt, t->nodes[i].node, buf,
                                                             PATH_LEN) >= 0)) {
            return;
        }
    }
    (void)snprintf(buf, PATH_LEN, "xen,shm-id \"%s\"", t->regions[r].id);
}

static void say_refused(const struct boot_info *bi, const char *path, unsigned int i,
                        const struct static_mem_bank *b, enum boot_range_verdict v,
                        uint32_t other)
{
    /* What the bank overlaps, then, where there is one, the other node. */
    const char *what = boot_range_verdict_text(v);
    char other_path[PATH_LEN];

    other_path[0] = '\0';
    switch (v) {
    case BOOT_RANGE_RESERVED:
        boot_reserved_path(bi, other, other_path, sizeof(other_path));
        break;
    case BOOT_RANGE_SHM:
        shm_region_path(bi, other, other_path);
        break;
    case BOOT_RANGE_MODULE:
        what = "overlaps boot module";
        boot_module_path(bi, &bi->modules[other], other_path, sizeof(other_path));
        break;
    case BOOT_RANGE_STATIC:
        what = "overlaps a static memory bank of";
        if (fdt_node_path(bi->fdt, accepted_node[other], other_path, sizeof(other_path)) < 0) {
            (void)snprintf(other_path, sizeof(other_path), "%s",
                           fdt_node_name(bi->fdt, accepted_node[other]));
        }
        break;
    default:
        break;
    }
    pr_err("dom0less: %s: xen,static-mem bank %u [0x%llx, +0x%llx) %s%s%s: domain skipped\n",
           path, i, (unsigned long long)b->start, (unsigned long long)b->size, what,
           (other_path[0] != '\0') ? " " : "", other_path);
}

/* Check one node's banks; on success they join the accepted ones. */
static const char *check_one(const struct boot_info *bi, const struct boot_owned *owned,
                             const char *path, struct checked *c)
{
    unsigned int base = nr_accepted;
    const char *why = static_mem_read(bi->fdt, bi->chosen, c->node, &c->sm);

    if (why != NULL) {
        pr_err("dom0less: %s: %s: domain skipped\n", path, why);
        return why;
    }
    for (unsigned int i = 0U; i < c->sm.nr; i++) {
        uint32_t other = 0U;
        /* Against every accepted bank and this domain's earlier ones,
         * which are appended as they pass. */
        enum boot_range_verdict v = static_mem_bank_check(bi, owned, &c->sm.bank[i], accepted,
                                                          nr_accepted, &other);

        if (v != BOOT_RANGE_OK) {
            say_refused(bi, path, i, &c->sm.bank[i], v, other);
            nr_accepted = base;
            return boot_range_verdict_text(v);
        }
        accepted[nr_accepted] = c->sm.bank[i];
        accepted_node[nr_accepted] = c->node;
        nr_accepted++;
    }
    return NULL;
}

unsigned int static_mem_check_all(const struct boot_info *bi, const struct boot_owned *owned)
{
    const struct fdt *fdt = bi->fdt;
    unsigned int refused = 0U;

    nr_checked = 0U;
    nr_accepted = 0U;
    if (bi->chosen < 0) {
        return 0U;
    }
    for (int node = fdt_first_child(fdt, bi->chosen); node >= 0;
         node = fdt_next_sibling(fdt, node)) {
        char path[PATH_LEN];
        struct checked *c;

        if (!fdt_node_is_compatible(fdt, node, "xen,domain") ||
            ((fdt_getprop(fdt, node, "xen,static-mem", NULL) == NULL) &&
             (fdt_getprop(fdt, node, "direct-map", NULL) == NULL))) {
            continue;
        }
        if (fdt_node_path(fdt, node, path, sizeof(path)) < 0) {
            (void)snprintf(path, sizeof(path), "%s", fdt_node_name(fdt, node));
        }
        if (nr_checked >= STATIC_MEM_MAX_DOMAINS) {
            /* Not in the table: dom0less_config refuses it as unchecked. */
            pr_err("dom0less: %s: more than %u domains with static memory: domain skipped\n",
                   path, STATIC_MEM_MAX_DOMAINS);
            refused++;
            continue;
        }
        c = &table[nr_checked];
        nr_checked++;
        c->node = node;
        c->why = check_one(bi, owned, path, c);
        c->refused = (c->why != NULL);
        if (c->refused) {
            refused++;
        }
    }
    return refused;
}

enum static_mem_status static_mem_lookup(int node, const struct static_mem **out,
                                         const char **why)
{
    for (unsigned int i = 0U; i < nr_checked; i++) {
        if (table[i].node == node) {
            *out = &table[i].sm;
            *why = table[i].why;
            return table[i].refused ? STATIC_MEM_REFUSED : STATIC_MEM_OK;
        }
    }
    return STATIC_MEM_NONE;
}

bool static_mem_reserved_bank(unsigned int i, struct static_mem_bank *out)
{
    if (i >= nr_accepted) {
        return false;
    }
    *out = accepted[i];
    return true;
}

bool static_mem_host_cuts(const struct boot_info *bi, struct boot_range *out, unsigned int max,
                          unsigned int *nr)
{
    unsigned int nr_shm = (bi->shm != NULL) ? bi->shm->nr_regions : 0U;

    *nr = 0U;
    if ((nr_accepted > max) || (nr_shm > (max - nr_accepted))) {
        return false;
    }
    for (unsigned int i = 0U; i < nr_accepted; i++) {
        out[i] = (struct boot_range){ accepted[i].start, accepted[i].size };
    }
    for (unsigned int i = 0U; i < nr_shm; i++) {
        out[nr_accepted + i] = (struct boot_range){ bi->shm->regions[i].paddr,
                                                    bi->shm->regions[i].size };
    }
    *nr = nr_accepted + nr_shm;
    return true;
}

/* Xen's allocate_static_memory: each bank goes where the last one ended,
 * in the current guest bank while it has room, then in the next. */
static unsigned int layout_in_guest_banks(const struct static_mem *sm,
                                          struct static_mem_piece *pieces,
                                          struct static_mem_bank *regions,
                                          unsigned int *nr_regions)
{
    const struct guest_ram_bank *gb = NULL;
    unsigned int nr_gb = arch_guest_ram_banks(&gb);
    unsigned int g = 0U;
    unsigned int n = 0U;
    uint64_t used = 0U;     /* of guest bank g */

    regions[0].start = gb[0].base;
    regions[0].size = 0U;
    for (unsigned int i = 0U; i < sm->nr; i++) {
        paddr_t host = sm->bank[i].start;
        uint64_t left = sm->bank[i].size;

        while (left != 0U) {
            uint64_t room = gb[g].size - used;
            uint64_t take = MIN(left, room);

            if (take == 0U) {
                if (((g + 1U) >= nr_gb) || ((g + 1U) >= STATIC_MEM_MAX_BANKS)) {
                    return 0U;
                }
                g++;
                used = 0U;
                regions[g].start = gb[g].base;
                regions[g].size = 0U;
                continue;
            }
            if (n >= STATIC_MEM_MAX_PIECES) {
                return 0U;
            }
            pieces[n].host = host;
            pieces[n].guest = gb[g].base + used;
            pieces[n].size = take;
            n++;
            used += take;
            regions[g].size += take;
            host += take;
            left -= take;
        }
    }
    *nr_regions = g + 1U;
    return n;
}

unsigned int static_mem_layout(const struct static_mem *sm, struct static_mem_piece *pieces,
                               struct static_mem_bank *regions, unsigned int *nr_regions)
{
    *nr_regions = 0U;
    if ((sm->nr == 0U) || (sm->nr > STATIC_MEM_MAX_BANKS)) {
        return 0U;
    }
    if (!sm->direct_map) {
        return layout_in_guest_banks(sm, pieces, regions, nr_regions);
    }
    for (unsigned int i = 0U; i < sm->nr; i++) {
        pieces[i].host = sm->bank[i].start;
        pieces[i].guest = sm->bank[i].start;
        pieces[i].size = sm->bank[i].size;
        regions[i] = sm->bank[i];
    }
    *nr_regions = sm->nr;
    return sm->nr;
}
