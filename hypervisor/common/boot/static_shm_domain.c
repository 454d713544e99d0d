/* A dom0less domain's static shared memory (see static_shm.h): its nodes
 * taken from the boot-time table and checked against its guest address
 * space, mapped into its stage 2, described in its device tree, and kept
 * out of its extended regions. */
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

static bool refuse(const struct fdt *fdt, const char *name, int node, const char *why)
{
    char path[PATH_LEN];

    if (fdt_node_path(fdt, node, path, PATH_LEN) < 0) {
        (void)snprintf(path, PATH_LEN, "%s", fdt_node_name(fdt, node));
    }
    pr_err("dom0less: %s: static shared memory %s: %s: domain skipped\n", name, path, why);
    return false;
}

bool static_shm_for_domain(const struct boot_info *bi, const struct static_shm_table *t,
                           int dom, const char *name, uint64_t ram_bytes,
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
            return refuse(bi->fdt, name, n->node, n->error);
        }
        if (*nr >= STATIC_SHM_MAX_PER_DOMAIN) {
            return refuse(bi->fdt, name, n->node, "more than 8 regions in one domain");
        }
        why = gaddr_error(ram_bytes, n->gaddr, n->size);
        for (unsigned int j = 0U; (why == NULL) && (j < *nr); j++) {
            if (overlap(n->gaddr, n->size, out[j]->gaddr, out[j]->size)) {
                why = "gaddr overlaps another static shared memory region of the domain";
            }
        }
        if (why != NULL) {
            return refuse(bi->fdt, name, n->node, why);
        }
        out[*nr] = n;
        (*nr)++;
    }
    return true;
}

int static_shm_map(struct domain *d, const struct static_shm_node *const *shm, unsigned int n)
{
    for (unsigned int i = 0U; i < n; i++) {
        const struct static_shm_node *s = shm[i];
        int rc = arch_map_static_shm(d, gfn(s->gaddr >> PAGE_SHIFT),
                                     paddr_to_mfn(s->paddr), s->size >> PAGE_SHIFT);

        if (rc != 0) {
            pr_err("dom0less: %s: cannot map static shared memory \"%s\" (%d)\n", d->name,
                   s->id, rc);
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
