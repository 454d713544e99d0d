/* Small-object allocator on top of the page allocator.
 *
 * Requests up to XMALLOC_MAX_SMALL bytes are served from power-of-two size
 * classes (16 .. 2048 bytes): each class cuts whole pages ("slabs") into
 * equal slots, with the slab's bookkeeping in its struct page_info so the
 * page itself holds only objects. Bigger requests get their own block of
 * pages. Every object is aligned to at least 16 bytes (a slot of size 2^k
 * is aligned to 2^k, a large object to a page).
 *
 * Usable from every CPU (one lock). Handing xfree a pointer xmalloc did not
 * return, or returning one twice, is a hypervisor bug and panics.
 */
#ifndef PROXENOS_XMALLOC_H
#define PROXENOS_XMALLOC_H

#include <proxenos/types.h>

#define XMALLOC_MIN_SIZE 16U
#define XMALLOC_MAX_SMALL 2048U
#define XMALLOC_NR_CLASSES 8U       /* 16, 32, ..., 2048 */

/* Forget every object and slab (without freeing them): the state at
 * power-on. Boot code need not call it (static storage starts empty and
 * xmalloc works as soon as page_alloc_init() has run); host tests call it
 * after re-initialising the page allocator. */
void xmalloc_reset(void);

/* size bytes, not cleared; NULL when memory is exhausted or size is
 * unreasonable. size 0 yields a minimum-size object. */
void *xmalloc(size_t size);
/* The same, cleared to zero. */
void *xzalloc(size_t size);
/* size bytes aligned to align (a power of two, at most PAGE_SIZE); NULL
 * also for a bad alignment. */
void *xmalloc_align(size_t size, size_t align);
void *xzalloc_align(size_t size, size_t align);
/* Free an object from any of the above; NULL is ignored. */
void xfree(void *ptr);

/* n objects of elem bytes each, NULL if n * elem overflows. */
void *xmalloc_array_bytes(size_t elem, size_t n, size_t align);
void *xzalloc_array_bytes(size_t elem, size_t n, size_t align);

/* Typed forms: struct foo *p = xzalloc_obj(struct foo); the cast makes
 * assigning the result to the wrong pointer type a compile error. */
/* MISRA-DEV(R20.7): macro-type-arg */
#define xmalloc_obj(type) ((type *)xmalloc_align(sizeof(type), _Alignof(type)))
/* MISRA-DEV(R20.7): macro-type-arg */
#define xzalloc_obj(type) ((type *)xzalloc_align(sizeof(type), _Alignof(type)))
/* MISRA-DEV(R20.7): macro-type-arg */
#define xmalloc_array(type, n) \
    ((type *)xmalloc_array_bytes(sizeof(type), (n), _Alignof(type)))
/* MISRA-DEV(R20.7): macro-type-arg */
#define xzalloc_array(type, n) \
    ((type *)xzalloc_array_bytes(sizeof(type), (n), _Alignof(type)))

struct xmalloc_class_stats {
    uint32_t size;          /* slot size in bytes */
    uint64_t objs_in_use;
    uint64_t bytes_in_use;  /* objs_in_use * size: counted in whole slots */
    uint64_t slabs;         /* pages held by this class */
};

struct xmalloc_stats {
    struct xmalloc_class_stats cls[XMALLOC_NR_CLASSES];
    uint64_t large_in_use;  /* large objects live */
    uint64_t large_pages;   /* pages they hold */
    uint64_t pages_held;    /* all pages taken from the page allocator */
    uint64_t bytes_in_use;  /* all live objects, in whole slots / pages */
    uint64_t nr_allocs;     /* successful allocations */
    uint64_t nr_failed;
    uint64_t nr_frees;
};

void xmalloc_stats(struct xmalloc_stats *st);
/* Print the statistics as a short table (pr_info), for the 'm' key. */
void xmalloc_dump(void);
/* Close the reboot window (alloc_count.h) and give back to the heap every
 * object and block freed in it that the rebuild did not take again. */
void xmalloc_recycle_end(void);

/* Return every slab that holds no object to the page allocator (each
 * class otherwise keeps one empty slab to avoid churn). */
void xmalloc_trim(void);

#endif
