/* Static shared memory (Xen 4.17's xen,domain-shared-memory-v1 nodes,
 * children of xen,domain nodes, or of /chosen for dom0): a range of host RAM named by an id,
 * reserved at boot so that the heap never holds it, and mapped at a guest
 * address in every domain that names it, owner and borrowers alike.
 *
 * static_shm_scan() reads every such node once, before the heap exists,
 * into a plain table: the host regions to reserve, and each node with its
 * addresses or the reason it cannot be used. The dom0less code then takes
 * a domain's nodes (static_shm_for_domain: a bad one skips the domain),
 * maps them when it builds the domain (static_shm_map) and describes them
 * in its device tree (/reserved-memory). Nothing here frees a page: the
 * regions belong to no domain, and a destroyed domain's stage 2 simply
 * goes with it (docs/static-config.md). */
#ifndef PROXENOS_STATIC_SHM_H
#define PROXENOS_STATIC_SHM_H

#include <proxenos/boot_ranges.h>
#include <proxenos/bootinfo.h>
#include <proxenos/domain.h>
#include <proxenos/domain_fdt.h>

#define STATIC_SHM_COMPAT "xen,domain-shared-memory-v1"
/* Xen's MAX_SHM_ID_LENGTH: the id with its NUL. */
#define STATIC_SHM_ID_MAX 16U
#define STATIC_SHM_MAX_REGIONS 16U
#define STATIC_SHM_MAX_NODES 32U
/* Regions one domain may map. */
#define STATIC_SHM_MAX_PER_DOMAIN 8U

/* A host region, as the first usable node with its id described it. */
struct static_shm_region {
    const char *id;             /* points into the boot device tree */
    paddr_t paddr;
    uint64_t size;
    int owner;                  /* the node with role "owner", or -1 */
};

/* One xen,domain-shared-memory-v1 node. */
struct static_shm_node {
    int node;
    int domain;                 /* its xen,domain node */
    const char *id;             /* NULL when unreadable */
    paddr_t paddr;
    uint64_t gaddr;
    uint64_t size;
    bool owner;                 /* role "owner"; else a borrower */
    int region;                 /* index in the table's regions, -1 */
    const char *error;          /* why it cannot be used, or NULL */
};

struct static_shm_table {
    struct static_shm_region regions[STATIC_SHM_MAX_REGIONS];
    unsigned int nr_regions;
    struct static_shm_node nodes[STATIC_SHM_MAX_NODES];
    unsigned int nr_nodes;
};

/* Read every xen,domain-shared-memory-v1 child of a xen,domain node of
 * /chosen, and every one directly under /chosen (dom0's, as in Xen 4.17:
 * its domain is /chosen, whose cells it uses), into t, in tree order, and
 * check each: its properties, its host range (RAM clear of the
 * hypervisor, the boot device tree, /reserved-memory and the usable boot
 * modules: boot_range_check), and against the nodes before it (the same
 * id must give the same range, different ids must not overlap, one owner
 * per region). A bad node keeps its reason in error, printed once with
 * its path; its domain is skipped later (dom0: not built). Returns the
 * number of unusable nodes. */
unsigned int static_shm_scan(const struct boot_info *bi, const struct boot_owned *owned,
                             struct static_shm_table *t);

/* The usable nodes of domain node dom (t may be NULL: none), checked
 * against its guest address space: each gaddr range inside one of the
 * architecture's guest RAM banks, clear of the domain's ram_bytes of RAM
 * laid out there (guest_ram_layout) and of its other regions. Fills
 * out[0..*nr). False, with a line naming the node and the domain, when a
 * node of dom is unusable: the domain is skipped. */
bool static_shm_for_domain(const struct boot_info *bi, const struct static_shm_table *t,
                           int dom, const char *name, uint64_t ram_bytes,
                           const struct static_shm_node *out[STATIC_SHM_MAX_PER_DOMAIN],
                           unsigned int *nr);

/* The address space of a direct-mapped domain (dom0, or a domU with
 * direct-map), whose guest addresses are host addresses. */
struct static_shm_direct {
    const struct boot_range *ram;   /* its RAM */
    unsigned int nr_ram;
    struct boot_range gnttab;       /* its grant table window */
};

/* static_shm_for_domain for a direct-mapped domain (dom: its xen,domain
 * node, or /chosen for dom0): each host range clear of its RAM, each
 * gaddr range inside one host RAM bank and clear of its RAM, its grant
 * window and its other regions. A bad node of dom0 is reported as
 * "dom0: static shared memory <path>: <why>: dom0 not built". */
bool static_shm_for_direct(const struct boot_info *bi, const struct static_shm_table *t,
                           int dom, const char *name, const struct static_shm_direct *dd,
                           const struct static_shm_node *out[STATIC_SHM_MAX_PER_DOMAIN],
                           unsigned int *nr);

/* Map the n regions in d's stage 2 at their guest addresses. 0 or the
 * hook's error (the domain is then destroyed, which unmaps them). */
int static_shm_map(struct domain *d, const struct static_shm_node *const *shm, unsigned int n);

/* The regions as the guest's /reserved-memory describes them. */
void static_shm_fdt_regions(const struct static_shm_node *const *shm, unsigned int n,
                            struct domain_fdt_shm out[STATIC_SHM_MAX_PER_DOMAIN]);

/* Cut the n regions out of the extended regions ext[0..*nr) (capacity
 * max): a guest must not place foreign or grant mappings over its shared
 * memory. A region split in two takes one more slot; what does not fit is
 * dropped. */
void static_shm_carve(const struct static_shm_node *const *shm, unsigned int n,
                      struct domain_fdt_region *ext, unsigned int *nr, unsigned int max);

#endif
