/* Allocations after the end of boot, and static mode.
 *
 * The page allocator and xmalloc report here every allocation they make
 * once boot has ended (once the boot domains are built, before the first
 * of them runs), one counter per kind. A system whose every domain is static
 * (dom0less domains only: no dom0, so no toolstack that may create
 * domains) runs in static mode: from the end of boot on, the allocators
 * ask alloc_count_admit first and get "no", so a request fails as an
 * exhausted heap would (NULL, INVALID_MFN; a hypercall returns -ENOMEM)
 * and is counted as refused. What a static system needs later is taken
 * at boot instead.
 *
 * The one exception is a reboot of a boot domain (PSCI SYSTEM_RESET,
 * dom0less_restart): between alloc_recycle_begin and xmalloc_recycle_end
 * the memory the dying domain gives back is kept for it, not returned to
 * the heap, and its rebuild takes those same blocks and objects back
 * (counted as recycled, not as allocations); only what the rebuild needs
 * beyond them comes from the heap, and that counts. The 'b' debug key
 * prints all of it (docs/debug-keys.md).
 */
#ifndef PROXENOS_ALLOC_COUNT_H
#define PROXENOS_ALLOC_COUNT_H

#include <proxenos/types.h>

enum alloc_kind {
    ALLOC_KIND_PAGES,       /* alloc_pages (and alloc_xenheap_pages) */
    ALLOC_KIND_XMALLOC,     /* xmalloc and its forms, one per object */
};

#define ALLOC_NR_KINDS 2U

/* The callers of the first few allocations after boot, for the key. */
#define ALLOC_COUNT_CALLERS 8U

struct alloc_count_stats {
    bool boot_ended;
    bool static_mode;
    uint64_t after_boot[ALLOC_NR_KINDS];    /* allocations from the heap */
    uint64_t refused[ALLOC_NR_KINDS];       /* static mode said no */
    uint64_t recycled[ALLOC_NR_KINDS];      /* a rebooting domain's own, given back */
    const void *callers[ALLOC_COUNT_CALLERS];   /* code addresses, NULL: none yet */
};

/* Say, before any domain starts, whether the system is static. */
void alloc_count_set_static(bool static_mode);
/* Whether the system is static (known before any domain is built): code
 * that would allocate later takes what it needs when its domain is built
 * instead. */
bool alloc_static_mode(void);
/* Boot has ended: count from now on, and refuse from now on in static
 * mode. Called once the boot domains are built, just before the first of
 * them runs (dom0less), and at the end of boot; the first call counts. */
void alloc_count_end_boot(void);

/* Before an allocator allocates: false if it must refuse (static mode,
 * after boot, outside a recycle window), which is counted. */
bool alloc_count_admit(enum alloc_kind kind);

/* After an allocation succeeded (from the heap), made for caller. */
void alloc_count_note(enum alloc_kind kind, const void *caller);

/* An allocation served from the recycle pool (see above). */
void alloc_count_note_recycled(enum alloc_kind kind);

/* The reboot window, on the CPU that opens it: while open, that CPU's
 * frees are kept for the rebuild and its allocations take them back
 * first. Opens only in static mode after boot (returns whether it did).
 * xmalloc_recycle_end (<proxenos/xmalloc.h>) closes it and returns to
 * the heap what the rebuild did not take. */
bool alloc_recycle_begin(void);
void alloc_recycle_end(void);
/* Whether a window is open on this CPU. */
bool alloc_recycling(void);

void alloc_count_stats(struct alloc_count_stats *st);

/* Forget everything (host tests). */
void alloc_count_reset(void);

#endif
