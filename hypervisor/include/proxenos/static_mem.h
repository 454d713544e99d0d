/* Static memory of dom0less domains (Xen 4.17's xen,static-mem and
 * direct-map on a xen,domain node).
 *
 * xen,static-mem lists <address size> banks of host RAM, with the cells of
 * the domain node's parent (/chosen's #address-cells and #size-cells, as
 * Xen 4.17's code reads them). Those banks, and nothing else, become the
 * domain's RAM: they are checked once right after the boot modules
 * (static_mem_check_all), before the heap exists, and the banks that pass
 * are reserved so the heap never holds them. A domain's banks are mapped
 * at the guest RAM banks, the first filled first (Xen's
 * allocate_static_memory), or, with direct-map, each at its own host
 * address (guest physical == host physical).
 */
#ifndef PROXENOS_STATIC_MEM_H
#define PROXENOS_STATIC_MEM_H

#include <proxenos/arch/guest_ram.h>
#include <proxenos/boot_ranges.h>

/* Banks one domain may list. Xen 4.17 shares 256 among all domains; eight
 * per domain is more than any configuration we know needs. */
#define STATIC_MEM_MAX_BANKS 8U

/* Domains whose static memory is remembered: as many as dom0less takes. */
#define STATIC_MEM_MAX_DOMAINS 16U

struct static_mem_bank {
    paddr_t start;
    uint64_t size;
};

/* One domain's xen,static-mem and direct-map, as read. */
struct static_mem {
    unsigned int nr;                /* 0: no xen,static-mem */
    struct static_mem_bank bank[STATIC_MEM_MAX_BANKS];
    uint64_t total;                 /* bytes, the sum of the banks */
    bool direct_map;
};

/* Read node's xen,static-mem and direct-map into *out (chosen: the node's
 * parent, whose cells the banks use). NULL when they are usable or absent
 * (out->nr 0), else why not: cells other than 1 or 2, a length that is not
 * whole entries, too many banks, an empty, unaligned or wrapping bank,
 * direct-map without static memory, or a "memory" of two cells that is not
 * the banks' total. Touches no state. */
const char *static_mem_read(const struct fdt *fdt, int chosen, int node, struct static_mem *out);

/* Where [start, start + size) of one bank may not be: outside RAM, over
 * the hypervisor, the device tree, a /reserved-memory child or a usable
 * boot module (boot_ranges.h), over another bank in 'others' (n of them),
 * or over a static shared memory region of bi->shm (when set: the regions
 * are scanned before the banks). BOOT_RANGE_OK, or the verdict; *other is
 * the module index (BOOT_RANGE_MODULE), the index in bi->reserved
 * (BOOT_RANGE_RESERVED), in others (BOOT_RANGE_STATIC) or in
 * bi->shm->regions (BOOT_RANGE_SHM). */
enum boot_range_verdict static_mem_bank_check(const struct boot_info *bi,
                                              const struct boot_owned *owned,
                                              const struct static_mem_bank *b,
                                              const struct static_mem_bank *others,
                                              unsigned int n, uint32_t *other);

/* Read and check the static memory of every xen,domain node of /chosen
 * that has xen,static-mem or direct-map, in tree order, remembering the
 * verdict for static_mem_lookup(). A refused domain prints one line naming
 * its node, the reason and, for an overlap, the other node (module,
 * /reserved-memory child, static bank or shared memory node); its banks
 * count for nothing after. Banks of
 * different domains must not overlap: of two that do, the later domain is
 * refused. Returns how many domains were refused. */
unsigned int static_mem_check_all(const struct boot_info *bi, const struct boot_owned *owned);

/* The host ranges a direct-mapped domain's extended regions must leave
 * out besides what the architecture knows: every reserved static memory
 * bank (the domain's own among them) and every static shared memory
 * region of bi->shm, as Xen 4.17's reserved_mem holds them. Fills
 * out[0..*nr); false (and *nr 0) if more than max. */
bool static_mem_host_cuts(const struct boot_info *bi, struct boot_range *out, unsigned int max,
                          unsigned int *nr);

enum static_mem_status {
    STATIC_MEM_NONE,        /* not a domain static_mem_check_all() read */
    STATIC_MEM_OK,          /* its banks passed and are reserved */
    STATIC_MEM_REFUSED,     /* reported at boot: the domain must be skipped */
};

/* The verdict on node: for STATIC_MEM_OK *out is its banks, for
 * STATIC_MEM_REFUSED *why is the reason. */
enum static_mem_status static_mem_lookup(int node, const struct static_mem **out,
                                         const char **why);

/* The banks that passed, i-th of all domains' in order (for the boot
 * allocator to reserve): false past the last. */
bool static_mem_reserved_bank(unsigned int i, struct static_mem_bank *out);

/* One piece of a domain's static RAM: host frames at host, mapped at
 * guest. A bank split over two guest RAM banks makes two pieces. */
struct static_mem_piece {
    paddr_t host;
    paddr_t guest;
    uint64_t size;
};

#define STATIC_MEM_MAX_PIECES (STATIC_MEM_MAX_BANKS + GUEST_RAM_MAX_BANKS)

/* Where sm's banks go in the guest: pieces (returns how many, 0 if they do
 * not fit in the guest RAM banks) and the guest's RAM regions, lowest
 * first as the device tree lists them (*nr_regions; regions has
 * STATIC_MEM_MAX_BANKS entries). Without direct-map the banks fill the
 * architecture's guest banks in order, splitting where a guest bank ends;
 * with it, each bank is a region at its own address. */
unsigned int static_mem_layout(const struct static_mem *sm, struct static_mem_piece *pieces,
                               struct static_mem_bank *regions, unsigned int *nr_regions);

#endif
