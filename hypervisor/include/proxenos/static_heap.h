/* The static heap: /chosen's "xen,static-heap" (Xen 4.17's binding, on
 * Arm64 the one heap).
 *
 * When the property is present, the heap is exactly its banks: the boot
 * allocator (frame tables, early structures), the page allocator and so
 * xmalloc and every domain's memory come from them alone, and the rest of
 * RAM is never handed out. The property is a list of <address size> pairs
 * in the root node's #address-cells/#size-cells, as Xen reads it (Xen's
 * early scan passes /chosen's properties its parent's cells).
 *
 * Xen takes the banks on trust (a bank outside RAM or over the hypervisor
 * is used as it stands). Here each bank is checked like a boot module
 * (boot_ranges.h): a bank that is empty is skipped as in Xen; one that
 * wraps, is not inside one RAM bank, or overlaps the hypervisor, the boot
 * device tree, a boot module or an earlier heap bank is reported and left
 * out. Parsed once into struct static_heap; nothing reads the tree later.
 */
#ifndef PROXENOS_STATIC_HEAP_H
#define PROXENOS_STATIC_HEAP_H

#include <proxenos/boot_ranges.h>
#include <proxenos/bootinfo.h>

#define STATIC_HEAP_MAX_BANKS 32U

struct static_heap {
    bool present;                 /* /chosen has xen,static-heap */
    struct boot_range banks[STATIC_HEAP_MAX_BANKS];   /* usable, sorted by address */
    uint32_t nr_banks;
    uint32_t nr_refused;          /* banks reported and left out */
};

/* Read /chosen's xen,static-heap into *sh and check each bank against RAM,
 * the hypervisor's own ranges (owned) and bi's usable modules, printing a
 * line for each bank left out. Returns 0 (also when there is no property:
 * then sh->present is false), or -EINVAL when the property itself cannot
 * be read (cells other than 1 or 2, a length that is not a whole number
 * of banks) or -ENOSPC (more than STATIC_HEAP_MAX_BANKS non-empty banks);
 * *why then says what is wrong. */
int static_heap_scan(const struct boot_info *bi, const struct boot_owned *owned,
                     struct static_heap *sh, const char **why);

/* Keep the boot allocator's free memory to the heap banks: reserve every
 * part of bi's RAM outside them (bootmem_reserve). Call once the RAM is
 * added and before the first bootmem_alloc. 0 or bootmem_reserve's error. */
int static_heap_reserve_rest(const struct boot_info *bi, const struct static_heap *sh);

/* Bytes in the usable banks. */
uint64_t static_heap_bytes(const struct static_heap *sh);

#endif
