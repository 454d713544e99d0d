/* Where a boot description may send the hypervisor to read.
 *
 * Every address a boot module's node gives is checked once, right after the
 * tree is scanned and before anything is read there or the heap is set up:
 * the range must be non-empty, must not wrap, must lie wholly inside one
 * RAM bank that boot_ram_check() kept, and must not overlap the
 * hypervisor's image, the boot device tree, a region a /reserved-memory
 * child sets aside for firmware or devices, or an earlier module (the same range twice is allowed: modules are
 * read-only inputs, and Xen 4.17 merges such modules into one). A module
 * that fails keeps the reason in boot_module.unusable; the domain that
 * owns it is skipped (boot_module_usable_by) and nothing reads it. Modules
 * that pass are what the boot allocator reserves, so the heap, which is
 * carved out of RAM minus the reservations, can never overlap one.
 */
#ifndef PROXENOS_BOOT_RANGES_H
#define PROXENOS_BOOT_RANGES_H

#include <proxenos/bootinfo.h>

enum boot_range_verdict {
    BOOT_RANGE_OK,
    BOOT_RANGE_EMPTY,             /* size 0 */
    BOOT_RANGE_WRAPS,             /* start + size passes the top of the address space */
    BOOT_RANGE_NOT_RAM,           /* not wholly inside one RAM bank */
    BOOT_RANGE_IMAGE,             /* overlaps the hypervisor's image */
    BOOT_RANGE_DTB,               /* overlaps the boot device tree */
    BOOT_RANGE_RESERVED,          /* overlaps a /reserved-memory region */
    BOOT_RANGE_MODULE,            /* overlaps another boot module */
    BOOT_RANGE_STATIC,            /* overlaps another static memory bank (static_mem.h) */
    BOOT_RANGE_SHM,               /* overlaps a static shared memory region (static_mem.h) */
};

/* What the hypervisor itself occupies: its image and the boot device tree.
 * A range of size 0 is not checked. */
struct boot_owned {
    struct boot_range image;
    struct boot_range dtb;
};

/* The verdict on [start, start + size) for a boot module: RAM first, then
 * the hypervisor's own ranges, then /reserved-memory, then the usable modules before index
 * 'before' (pass bi->nr_modules to check against them all). For
 * BOOT_RANGE_MODULE, *other (if not NULL) is the index of the module it
 * overlaps; for BOOT_RANGE_RESERVED, the index in bi->reserved of the
 * /reserved-memory child. */
enum boot_range_verdict boot_range_check(const struct boot_info *bi,
                                         const struct boot_owned *owned, paddr_t start,
                                         uint64_t size, uint32_t before, uint32_t *other);

/* "is empty", "wraps around", "is not in RAM", ... for messages. */
const char *boot_range_verdict_text(enum boot_range_verdict v);

/* The module's node path into buf (size bytes), or its name and its
 * domain's when the path does not fit: for messages. */
void boot_module_path(const struct boot_info *bi, const struct boot_module *m, char *buf,
                      size_t size);

/* The path of the /reserved-memory child bi->reserved[i] into buf, or its
 * range when the path is unknown or does not fit: for messages. */
void boot_reserved_path(const struct boot_info *bi, uint32_t i, char *buf, size_t size);

/* Check every module of bi not already refused by the scan, in tree order:
 * one that fails gets its reason in unusable, and a line naming its node
 * path, its range and the reason. Returns how many modules are unusable,
 * those the scan refused included. */
uint32_t boot_modules_check(struct boot_info *bi, const struct boot_owned *owned);

/* True if m is NULL or usable. Otherwise prints why the one it is for
 * cannot have it ("dom0less: <domain>: ... domain skipped" or, with
 * domain NULL, "dom0: ... dom0 not built") and returns false. */
bool boot_module_usable_by(const struct boot_info *bi, const struct boot_module *m,
                           const char *domain);

#endif
