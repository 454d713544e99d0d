/* Page allocator: a buddy allocator over every RAM page the boot allocator
 * did not take, usable by all CPUs.
 *
 * Blocks are 2^order contiguous pages, order 0 .. MAX_ORDER, aligned to
 * their size in machine frame numbers. Freeing a block merges it with its
 * free buddy, repeatedly, so fragmentation heals as memory comes back.
 *
 * Frame table: one struct page_info per page of each RAM bank, in one table
 * per bank (not one table over the whole physical span): QEMU and real
 * boards place banks gigabytes apart, and a table over the gap would cost
 * 8 MiB per GiB of nothing. Lookup by frame number is a binary search over
 * the (few, sorted) banks. Tables come from the boot allocator.
 *
 * Misuse by hypervisor code (freeing a block twice, with the wrong order,
 * a page that was never allocated, or a frame outside RAM) is a broken
 * invariant and panics.
 */
#ifndef PROXENOS_PAGE_ALLOC_H
#define PROXENOS_PAGE_ALLOC_H

#include <proxenos/types.h>

/* Largest block: 2^18 pages = 1 GiB. */
#define MAX_ORDER 18U

/* Flags for alloc_pages() and alloc_xenheap_pages(). */
#define ALLOC_ZERO (1U << 0)    /* clear the block before returning it */

#ifndef INVALID_MFN
#define INVALID_MFN ((mfn_t){ UINT64_MAX })
#endif

static inline bool mfn_eq(mfn_t a, mfn_t b)
{
    return mfn_x(a) == mfn_x(b);
}

/* What the page allocator itself knows about a page (page_info.state). */
enum page_state {
    PGS_TAIL = 0,       /* inside a block, not its first page */
    PGS_UNMANAGED,      /* not the allocator's: image, boot allocations, ... */
    PGS_FREE,           /* first page of a free block of page_info.order */
    PGS_ALLOCATED,      /* first page of an allocated block of page_info.order */
};

/* Who uses an allocated block (page_info.use), set by that user so that a
 * pointer handed back can be checked against the kind it must be. */
enum page_use {
    PAGE_USE_NONE = 0,      /* alloc_pages() callers that do not say */
    PAGE_USE_XMALLOC_SLAB,  /* one page cut into xmalloc objects */
    PAGE_USE_XMALLOC_LARGE, /* one xmalloc object of whole pages */
    PAGE_USE_RECYCLED,      /* freed in a reboot window, kept for the rebuild
                               (alloc_count.h) */
    PAGE_USE_STATIC,        /* a domain's static memory (never the heap's) */
};

/* One per RAM page. While a block is free, next/prev link it into its free
 * list; while allocated, they and u belong to whoever allocated it (for
 * example xmalloc keeps its slab lists and counters there). */
struct page_info {
    struct page_info *next;
    struct page_info *prev;
    uint8_t state;          /* enum page_state: page_alloc.c only */
    uint8_t order;          /* block order, meaningful on FREE/ALLOCATED */
    uint16_t use;           /* enum page_use, on an ALLOCATED first page */
    union {
        struct {
            uint16_t first_free;    /* offset of the first free object */
            uint16_t nr_free;       /* free objects in this slab */
            uint8_t cls;            /* size class index */
        } slab;
        struct {
            uint32_t pins;          /* guest RAM page: hypervisor users
                                       (guest_page_get), atomic */
        } guest;
        uint64_t raw;
    } u;
};

/* A NULL-terminated doubly linked list of pages, for owners of allocated
 * pages. The caller provides any locking. */
struct page_list {
    struct page_info *first;
};

static inline void page_list_push(struct page_list *l, struct page_info *pg)
{
    pg->prev = NULL;
    pg->next = l->first;
    if (l->first != NULL) {
        l->first->prev = pg;
    }
    l->first = pg;
}

static inline void page_list_remove(struct page_list *l, struct page_info *pg)
{
    if (pg->prev != NULL) {
        pg->prev->next = pg->next;
    } else {
        l->first = pg->next;
    }
    if (pg->next != NULL) {
        pg->next->prev = pg->prev;
    }
    pg->next = NULL;
    pg->prev = NULL;
}

static inline bool page_list_empty(const struct page_list *l)
{
    return l->first == NULL;
}

/* Build the frame tables from the boot allocator's RAM banks (allocating
 * them from it) and take over all remaining free memory; the boot
 * allocator is closed afterwards. All RAM must be in the direct map
 * (arch_maddr_to_virt) by then. Called once at boot; host tests call it
 * again after bootmem_reset(). 0, or -ENOMEM / -ENOSPC / -EBUSY. */
int page_alloc_init(void);

/* Give [start, end) (page aligned, inside one bank, all pages currently
 * unmanaged) to the allocator, for example init-only memory after boot.
 * 0 or -EINVAL. */
int page_alloc_add_range(paddr_t start, paddr_t end);

/* Allocate 2^order contiguous pages; INVALID_MFN if none (or order is
 * above MAX_ORDER). flags: ALLOC_ZERO or 0. */
mfn_t alloc_pages(unsigned int order, unsigned int flags);
/* The same, for an allocator on top of this one (xmalloc): caller is the
 * code address the after-boot count names, and *recycled_block says
 * whether the block is one kept in a reboot window (alloc_count.h). */
mfn_t alloc_pages_for(unsigned int order, unsigned int flags, const void *caller,
                      bool *recycled_block);
/* Free a block from alloc_pages with the same order. */
void free_pages(mfn_t mfn, unsigned int order);

/* Return the blocks freed in a reboot window that its rebuild did not
 * take back to the free lists (alloc_count.h); the window is closed. */
void page_alloc_recycle_flush(void);
/* Static memory (static_mem.h): pages reserved at boot, never the heap's.
 * Give the 2^order pages at m (aligned to the order, inside one bank, all
 * outside the heap) to a domain as one allocated block, cleared: 0, or
 * -EINVAL (not so) / -EBUSY (some page is in use). free_pages() of such a
 * block takes it back out of use, to its domain's static banks and not to
 * the heap; the next build of the domain acquires it again. */
int page_alloc_acquire_static(mfn_t m, unsigned int order);

/* The same through the direct map: a hypervisor pointer or NULL. */
void *alloc_xenheap_pages(unsigned int order, unsigned int flags);
/* ptr may be NULL (nothing happens). */
void free_xenheap_pages(void *ptr, unsigned int order);

static inline void *alloc_xenheap_page(void)
{
    return alloc_xenheap_pages(0U, 0U);
}

static inline void free_xenheap_page(void *ptr)
{
    free_xenheap_pages(ptr, 0U);
}

/* Frame table lookups: NULL / INVALID_MFN for frames outside every bank
 * (and for pointers that are not frame table entries). */
struct page_info *mfn_to_page(mfn_t mfn);
mfn_t page_to_mfn(const struct page_info *pg);
/* The frame table entry of a direct-map address (NULL if not RAM). */
struct page_info *virt_to_page(const void *va);

static inline bool page_is_allocated(const struct page_info *pg)
{
    return pg->state == (uint8_t)PGS_ALLOCATED;
}

struct page_alloc_stats {
    uint64_t total_pages;       /* pages given to the allocator */
    uint64_t free_pages;
    uint64_t free_blocks[MAX_ORDER + 1U];
    uint64_t largest_free_pages;    /* size of the largest free block, 0 if none */
    uint64_t nr_allocs;         /* successful alloc_pages calls */
    uint64_t nr_failed;         /* alloc_pages calls that found nothing */
    uint64_t nr_frees;
    uint64_t frame_table_bytes;
    unsigned int nr_banks;
};

void page_alloc_stats(struct page_alloc_stats *st);
/* Print the statistics as a short table (pr_info), for the 'm' key. */
void page_alloc_dump(void);

#endif
