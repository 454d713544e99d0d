/* Boot allocator: knows host RAM before the page allocator exists.
 *
 * Boot code reports RAM banks and every range that must not be reused (the
 * hypervisor image, the DTB, boot modules, /memreserve/ and
 * /reserved-memory); early allocations (the frame table, boot-time
 * structures) are carved from the top of the highest bank so that low
 * memory stays free for guests; page_alloc_init() then takes over whatever
 * is left, after which this allocator refuses further work.
 *
 * Ranges are [start, end) in bytes and kept page granular: RAM is rounded
 * inwards (a partial page is not usable), reservations outwards (a partial
 * page is not free). Overlapping and adjacent ranges merge. Everything
 * lives in fixed arrays: no allocation is needed to describe memory.
 * Not locked: used by the boot CPU alone.
 */
#ifndef PROXENOS_BOOTMEM_H
#define PROXENOS_BOOTMEM_H

#include <proxenos/types.h>

/* Capacity of each range list (RAM banks, reserved ranges). */
#define BOOTMEM_MAX_RANGES 128U

/* Forget everything: the state at power-on. Boot code need not call it
 * (static storage starts empty); host tests call it between cases. */
void bootmem_reset(void);

/* Add [start, end) as RAM. A range smaller than a page after rounding is
 * ignored (returns 0). -EINVAL if end < start, -ENOSPC if the list is
 * full, -EBUSY after the handover. */
int bootmem_add_ram(paddr_t start, paddr_t end);

/* Never hand out [start, end). It may lie partly or wholly outside RAM.
 * -EINVAL if end < start, -ERANGE if rounding overflows, -ENOSPC if the
 * list is full, -EBUSY after the handover. */
int bootmem_reserve(paddr_t start, paddr_t end);

/* Allocate size bytes (rounded up to pages) at an align-aligned address
 * (a power of two; anything below PAGE_SIZE means PAGE_SIZE), as high as
 * possible. The memory is not cleared. On success stores the address in
 * *pa and returns 0; otherwise -EINVAL (bad size or alignment), -ENOMEM
 * (nothing fits), -ENOSPC (reserved list full) or -EBUSY (after the
 * handover). */
int bootmem_alloc(uint64_t size, uint64_t align, paddr_t *pa);

/* RAM banks, sorted by address and merged: index 0 .. count-1. */
unsigned int bootmem_ram_count(void);
int bootmem_ram_range(unsigned int idx, paddr_t *start, paddr_t *end);

/* Bytes of RAM that are neither reserved nor allocated. */
uint64_t bootmem_free_bytes(void);
/* Bytes handed out by bootmem_alloc (after page rounding). */
uint64_t bootmem_allocated_bytes(void);

/* Give every free range, lowest first, to fn and close the allocator: all
 * later calls except the queries above fail with -EBUSY. Stops at and
 * returns the first non-zero value fn returns. */
typedef int (*bootmem_free_fn)(paddr_t start, paddr_t end, void *arg);
int bootmem_handover(bootmem_free_fn fn, void *arg);

/* Print RAM, reserved and free ranges (pr_info). */
void bootmem_dump(void);

#endif
