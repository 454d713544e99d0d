/* A domain's static shared memory (see static_shm.h), a dom0less domU's
 * or dom0's: its nodes taken from the boot-time table and checked against
 * its guest address space (Xen's guest RAM banks, or the host's for a
 * direct-mapped domain), mapped into its stage 2, described in its device
 * tree, and kept out of its extended regions. */
#include <proxenos/arch/domain.h>
#include <proxenos/guest_ram.h>
#include <proxenos/printk.h>
#include <proxenos/static_shm.h>

#define PATH_LEN 128U

static bool overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return (a < (b + bs)) && (b < (a + as));
}

/* Whether [gaddr, +size) lies in one guest RAM bank, above the RAM the
 * domain has there: the rest of the guest address space holds the
 * architecture's devices and Xen's fixed regions. */
static const char *gaddr_error(uint64_t ram_bytes, uint64_t gaddr, uint64_t size)
{
    const struct guest_ram_bank *bank = NULL;
    unsigned int nr = arch_guest_ram_banks(&bank);
    uint64_t ram[GUEST_RAM_MAX_BANKS];

    (void)guest_ram_layout(ram_bytes, ram);
    for (unsigned int i = 0U; i < nr; i++) {
        const struct guest_ram_bank *b = &bank[i];

        if ((gaddr >= b->base) && (size <= b->size) && ((gaddr - b->base) <= (b->size - size))) {
            return ((gaddr - b->base) < ram[i]) ? "gaddr overlaps the domain's RAM" : NULL;
        }
    }
    return "gaddr is not in a guest RAM bank";
}

static bool overlaps_any(uint64_t a, uint64_t as, const struct boot_range *r, unsigned int n)
{
    for (unsigned int i = 0U; i < n; i++) {
        if (overlap(a, as, r[i].start, r[i].size)) {
            return true;
        }
    }
    return false;
}

/* A direct-mapped domain's guest addresses are host addresses: gaddr must
 * be host RAM (never a device the domain may have 1:1) clear of the
 * domain's own RAM and grant window, and the host range must not be its
 * RAM (Xen 4.17 checks neither; later Xen asks gaddr == paddr, which
 * passes these). */
static const char *direct_error(const struct boot_info *bi, const struct static_shm_direct *dd,
                                const struct static_shm_node *n)
{
    if (overlaps_any(n->paddr, n->size, dd->ram, dd->nr_ram)) {
        return "host range overlaps the domain's RAM";
    }
    if (overlaps_any(n->gaddr, n->size, dd->ram, dd->nr_ram)) {
        return "gaddr overlaps the domain's RAM";
    }
    if (overlap(n->gaddr, n->size, dd->gnttab.start, dd->gnttab.size)) {
        return "gaddr overlaps the domain's grant table window";
    }
    for (uint32_t i = 0U; i < bi->nr_ram; i++) {
        const struct boot_range *r = &bi->ram[i];

        if ((n->gaddr >= r->start) && (n->size <= r->size) &&
            ((n->gaddr - r->start) <= (r->size - n->size))) {
            return NULL;
        }
    }
    return "gaddr is not in host RAM (the domain is direct-mapped)";
}

/* dom0's nodes are the direct children of /chosen. */
static bool refuse(const struct boot_info *bi, int dom, const char *name, int node,
                   const char *why)
{
    const struct fdt *fdt = bi->fdt;
    char path[PATH_LEN];

    if (fdt_node_path(fdt, node, path, PATH_LEN) < 0) {
        (void)snprintf(path, PATH_LEN, "%s", fdt_node_name(fdt, node));
    }
    if (dom == bi->chosen) {
        pr_err("dom0: static shared memory %s: %s: dom0 not built\n", path, why);
    } else {
        pr_err("dom0less: %s: static shared memory %s: %s: domain skipped\n", name, path, why);
    }
    return false;
}

/* Either address space: ram_bytes in the guest RAM banks, or dd's. */
static bool take_nodes(const struct boot_info *bi, const struct static_shm_table *t, int dom,
                       const char *name, uint64_t ram_bytes, const struct static_shm_direct *dd,
                       const struct static_shm_node *out[STATIC_SHM_MAX_PER_DOMAIN],
                       unsigned int *nr)
{
    *nr = 0U;
    if (t == NULL) {
        return true;
    }
    for (unsigned int i = 0U; i < t->nr_nodes; i++) {
        const struct static_shm_node *n = &t->nodes[i];
        const char *why;

        if (n->domain != dom) {
            continue;
        }
        if (n->error != NULL) {
            return refuse(bi, dom, name, n->node, n->error);
        }
        if (*nr >= STATIC_SHM_MAX_PER_DOMAIN) {
            return refuse(bi, dom, name, n->node, "more than 8 regions in one domain");
        }
        why = (dd != NULL) ? direct_error(bi, dd, n) : gaddr_error(ram_bytes, n->gaddr, n->size);
        for (unsigned int j = 0U; (why == NULL) && (j < *nr); j++) {
            if (overlap(n->gaddr, n->size, out[j]->gaddr, out[j]->size)) {
                why = "gaddr overlaps another static shared memory region of the domain";
            }
        }
        if (why != NULL) {
            return refuse(bi, dom, name, n->node, why);
        }
        out[*nr] = n;
        (*nr)++;
    }
    return true;
}

bool static_shm_for_domain(const struct boot_info *bi, const struct static_shm_table *t,
                           int dom, const char *name, uint64_t ram_bytes,
                           const struct static_shm_node *out[STATIC_SHM_MAX_PER_DOMAIN],
                           unsigned int *nr)
{
    return take_nodes(bi, t, dom, name, ram_bytes, NULL, out, nr);
}

bool static_shm_for_direct(const struct boot_info *bi, const struct static_shm_table *t,
                           int dom, const char *name, const struct static_shm_direct *dd,
                           const struct static_shm_node *out[STATIC_SHM_MAX_PER_DOMAIN],
                           unsigned int *nr)
{
    return take_nodes(bi, t, dom, name, 0U, dd, out, nr);
}

int static_shm_map(struct domain *d, const struct static_shm_node *const *shm, unsigned int n)
{
    for (unsigned int i = 0U; i < n; i++) {
        const struct static_shm_node *s = shm[i];
        int rc = arch_map_static_shm(d, gfn(s->gaddr >> PAGE_SHIFT),
                                     paddr_to_mfn(s->paddr), s->size >> PAGE_SHIFT);

        if (rc != 0) {
            pr_err("Domain %u (%s): cannot map static shared memory \"%s\" (%d)\n",
                   d->domain_id, d->name, s->id, rc);
            return rc;
        }
        pr_info("Domain %u: static shared memory \"%s\" 0x%llx-0x%llx at guest 0x%llx (%s)\n",
                d->domain_id, s->id, (unsigned long long)s->paddr,
                (unsigned long long)(s->paddr + s->size), (unsigned long long)s->gaddr,
                s->owner ? "owner" : "borrower");
    }
    return 0;
}

void static_shm_fdt_regions(const struct static_shm_node *const *shm, unsigned int n,
                            struct domain_fdt_shm out[STATIC_SHM_MAX_PER_DOMAIN])
{
    for (unsigned int i = 0U; (i < n) && (i < STATIC_SHM_MAX_PER_DOMAIN); i++) {
        out[i].base = shm[i]->gaddr;
        out[i].size = shm[i]->size;
        out[i].id = shm[i]->id;
    }
}

/* Remove [base, base + size) from ext[*nr]; a region cut in the middle
 * leaves its upper part at the end of the list. */
static void carve_one(uint64_t base, uint64_t size, struct domain_fdt_region *ext,
                      unsigned int *nr, unsigned int max)
{
    unsigned int count = *nr;

    for (unsigned int i = 0U; i < count; i++) {
        struct domain_fdt_region *r = &ext[i];
        uint64_t end = base + size;
        uint64_t r_end = r->base + r->size;

        if ((r->size == 0U) || !overlap(base, size, r->base, r->size)) {
            continue;
        }
        if ((r_end > end) && (r->base < base) && (*nr < max)) {
            ext[*nr].base = end;
            ext[*nr].size = r_end - end;
            (*nr)++;
        }
        if (r->base < base) {
            r->size = base - r->base;
        } else if (r_end > end) {
            r->size = r_end - end;
            r->base = end;
        } else {
            r->size = 0U;
        }
    }
}

void static_shm_carve(const struct static_shm_node *const *shm, unsigned int n,
                      struct domain_fdt_region *ext, unsigned int *nr, unsigned int max)
{
    unsigned int kept = 0U;

    for (unsigned int i = 0U; i < n; i++) {
        carve_one(shm[i]->gaddr, shm[i]->size, ext, nr, max);
    }
    /* Drop what nothing is left of, and put the rest back in address
     * order (a split appended its upper part). */
    for (unsigned int i = 0U; i < *nr; i++) {
        if (ext[i].size != 0U) {
            struct domain_fdt_region r = ext[i];
            unsigned int j = kept;

            while ((j > 0U) && (ext[j - 1U].base > r.base)) {
                ext[j] = ext[j - 1U];
                j--;
            }
            ext[j] = r;
            kept++;
        }
    }
    *nr = kept;
}
