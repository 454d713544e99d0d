/* Small-object allocator: power-of-two size classes carved out of single
 * pages, larger objects as whole page blocks. See xmalloc.h.
 *
 * A slab is one page of equal slots. Its bookkeeping lives in its struct
 * page_info (use = PAGE_USE_XMALLOC_SLAB; u.slab holds the class, the free
 * count and the offset of the first free slot), so that objects start at
 * offset 0 and a slot of 2^k bytes is 2^k aligned. Free slots form a
 * singly linked list through their first 16 bytes: the next free offset
 * and a tag (FREE_TAG ^ slot address). The tag catches writes to freed
 * memory when the slot is reused, and makes a double free cheap to
 * suspect; the free list is then walked to confirm it, so user data that
 * happens to look like a tag is never mistaken for one.
 *
 * Lock order: xmalloc_lock, then the page allocator's lock. */
#include <proxenos/xmalloc.h>
#include <proxenos/alloc_count.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/page_alloc.h>
#include <proxenos/printk.h>
#include <proxenos/spinlock.h>
#include <proxenos/string.h>
#include <proxenos/arch/mm.h>

#define MIN_SHIFT 4U                        /* log2(XMALLOC_MIN_SIZE) */
#define SLOT_NONE 0xffffU                   /* end of a slab's free list */
#define FREE_TAG 0x5a17f4eed0b1ec75ULL      /* arbitrary, unlikely in data */
#define RECYCLE_TAG 0x3c0ffee5ca1ab1e5ULL   /* a slot kept for a rebooting domain */

struct free_slot {
    uint64_t next;      /* offset of the next free slot, or SLOT_NONE; on a
                           recycle list, the next slot's address or 0 */
    uint64_t tag;       /* FREE_TAG (RECYCLE_TAG) ^ address of this slot */
};

struct size_class {
    struct page_list partial;   /* slabs with at least one free slot */
    uint64_t objs_in_use;
    uint64_t slabs;
    uint64_t empty_slabs;       /* slabs on partial with every slot free */
    struct free_slot *recycled; /* objects freed in a reboot window, still in
                                   use for the counts (alloc_count.h) */
};

static spinlock_t xmalloc_lock = SPINLOCK_INIT;
static struct size_class classes[XMALLOC_NR_CLASSES];
static uint64_t large_in_use;
static uint64_t large_pages;
static uint64_t nr_allocs;
static uint64_t nr_failed;
static uint64_t nr_frees;

static inline uint32_t class_size(unsigned int cls)
{
    return XMALLOC_MIN_SIZE << cls;
}

static inline uint16_t slots_per_slab(unsigned int cls)
{
    return (uint16_t)(PAGE_SIZE / class_size(cls));
}

/* Smallest n with 2^n >= x, for x >= 1. */
static unsigned int ceil_log2(uint64_t x)
{
    return (x <= 1U) ? 0U : (ilog2_u64(x - 1U) + 1U);
}

static inline uint64_t slot_tag(const void *slot)
{
    return FREE_TAG ^ (uint64_t)(uintptr_t)slot;
}

static inline uint64_t recycle_tag(const void *slot)
{
    return RECYCLE_TAG ^ (uint64_t)(uintptr_t)slot;
}

static uint8_t *slab_va(const struct page_info *pg)
{
    return arch_maddr_to_virt(mfn_to_paddr(page_to_mfn(pg)));
}

void xmalloc_reset(void)
{
    unsigned int i;

    spin_lock_init(&xmalloc_lock);
    for (i = 0U; i < XMALLOC_NR_CLASSES; i++) {
        classes[i].partial.first = NULL;
        classes[i].objs_in_use = 0U;
        classes[i].slabs = 0U;
        classes[i].empty_slabs = 0U;
        classes[i].recycled = NULL;
    }
    large_in_use = 0U;
    large_pages = 0U;
    nr_allocs = 0U;
    nr_failed = 0U;
    nr_frees = 0U;
}

/* Something about a pointer or a free slot is wrong: a hypervisor bug.
 * Drop the lock first so the panic path can still allocate. */
static __noreturn void xmalloc_bug(unsigned long irq, const void *ptr, const char *why)
{
    spin_unlock_irqrestore(&xmalloc_lock, irq);
    panic("xmalloc: %p: %s", ptr, why);
}

/* A fresh page cut into free slots, put on the class's partial list.
 * NULL when the page allocator is out of memory. Lock held. */
static struct page_info *slab_create(unsigned int cls)
{
    mfn_t m = alloc_pages(0U, 0U);
    uint32_t size = class_size(cls);
    uint16_t n = slots_per_slab(cls);
    struct page_info *pg;
    uint8_t *va;
    uint16_t i;

    if (mfn_eq(m, INVALID_MFN)) {
        return NULL;
    }
    pg = mfn_to_page(m);
    va = arch_maddr_to_virt(mfn_to_paddr(m));
    for (i = 0U; i < n; i++) {
        struct free_slot *s = (struct free_slot *)(void *)&va[(uint32_t)i * size];

        s->next = ((uint16_t)(i + 1U) < n) ? (uint64_t)((uint32_t)(i + 1U) * size) : SLOT_NONE;
        s->tag = slot_tag(s);
    }
    pg->use = (uint16_t)PAGE_USE_XMALLOC_SLAB;
    pg->u.slab.first_free = 0U;
    pg->u.slab.nr_free = n;
    pg->u.slab.cls = (uint8_t)cls;
    page_list_push(&classes[cls].partial, pg);
    classes[cls].slabs++;
    classes[cls].empty_slabs++;
    return pg;
}

/* Give an empty slab back to the page allocator. Lock held. */
static void slab_destroy(unsigned int cls, struct page_info *pg)
{
    page_list_remove(&classes[cls].partial, pg);
    classes[cls].slabs--;
    classes[cls].empty_slabs--;
    free_pages(page_to_mfn(pg), 0U);
}

/* *recycled: the object is one kept in a reboot window (alloc_count.h). */
static void *alloc_small(unsigned int cls, bool *recycled)
{
    struct size_class *c = &classes[cls];
    uint32_t size = class_size(cls);
    unsigned long irq = spin_lock_irqsave(&xmalloc_lock);
    struct page_info *pg = c->partial.first;
    struct free_slot *s;
    uint64_t next;

    if ((c->recycled != NULL) && alloc_recycling()) {
        /* A rebooting domain's own object, given back. */
        s = c->recycled;
        if (s->tag != recycle_tag(s)) {
            xmalloc_bug(irq, s, "kept slot overwritten (use after free?)");
        }
        c->recycled = (struct free_slot *)(uintptr_t)s->next;
        s->tag = 0U;
        spin_unlock_irqrestore(&xmalloc_lock, irq);
        *recycled = true;
        return s;
    }
    if (pg == NULL) {
        pg = slab_create(cls);
        if (pg == NULL) {
            nr_failed++;
            spin_unlock_irqrestore(&xmalloc_lock, irq);
            return NULL;
        }
    }
    if (pg->u.slab.nr_free == slots_per_slab(cls)) {
        c->empty_slabs--;
    }
    s = (struct free_slot *)(void *)(slab_va(pg) + pg->u.slab.first_free);
    next = s->next;
    if ((s->tag != slot_tag(s)) ||
        ((next != SLOT_NONE) && ((next >= PAGE_SIZE) || ((next % size) != 0U)))) {
        xmalloc_bug(irq, s, "free slot overwritten (use after free?)");
    }
    pg->u.slab.first_free = (uint16_t)next;
    pg->u.slab.nr_free--;
    if (pg->u.slab.nr_free == 0U) {
        page_list_remove(&c->partial, pg);
    }
    s->tag = 0U;    /* a live object must not look free */
    c->objs_in_use++;
    nr_allocs++;
    spin_unlock_irqrestore(&xmalloc_lock, irq);
    return s;
}

static void *alloc_large(size_t size, unsigned int flags, const void *caller, bool *recycled)
{
    uint64_t pages = ((uint64_t)size + (PAGE_SIZE - 1U)) >> PAGE_SHIFT;
    unsigned int order = ceil_log2(pages);
    unsigned long irq;
    mfn_t m;

    m = (order <= MAX_ORDER) ? alloc_pages_for(order, flags, caller, recycled) : INVALID_MFN;
    irq = spin_lock_irqsave(&xmalloc_lock);
    if (mfn_eq(m, INVALID_MFN)) {
        nr_failed++;
        spin_unlock_irqrestore(&xmalloc_lock, irq);
        return NULL;
    }
    mfn_to_page(m)->use = (uint16_t)PAGE_USE_XMALLOC_LARGE;
    large_in_use++;
    large_pages += 1ULL << order;
    nr_allocs++;
    spin_unlock_irqrestore(&xmalloc_lock, irq);
    return arch_maddr_to_virt(mfn_to_paddr(m));
}

/* caller: the code address the after-boot count names. */
static void *do_alloc(size_t size, size_t align, bool zero, const void *caller)
{
    uint64_t need = MAX((uint64_t)size, (uint64_t)align);
    bool recycled = false;
    void *p;

    if (!is_power_of_2(align) || (align > PAGE_SIZE) || !alloc_count_admit(ALLOC_KIND_XMALLOC)) {
        return NULL;
    }
    if (need > XMALLOC_MAX_SMALL) {
        /* Page blocks are page aligned, enough for any allowed align. */
        if (size > (PAGE_SIZE << MAX_ORDER)) {
            return NULL;
        }
        p = alloc_large(size, zero ? ALLOC_ZERO : 0U, caller, &recycled);
    } else {
        need = MAX(need, (uint64_t)XMALLOC_MIN_SIZE);
        p = alloc_small(ceil_log2(need) - MIN_SHIFT, &recycled);
        if ((p != NULL) && zero) {
            memset(p, 0, size);
        }
    }
    if ((p != NULL) && recycled) {
        alloc_count_note_recycled(ALLOC_KIND_XMALLOC);
    } else if (p != NULL) {
        alloc_count_note(ALLOC_KIND_XMALLOC, caller);
    } else {
        /* refused or out of memory: nothing to count */
    }
    return p;
}

void *xmalloc(size_t size)
{
    return do_alloc(size, XMALLOC_MIN_SIZE, false, __builtin_return_address(0));
}

void *xzalloc(size_t size)
{
    return do_alloc(size, XMALLOC_MIN_SIZE, true, __builtin_return_address(0));
}

void *xmalloc_align(size_t size, size_t align)
{
    return do_alloc(size, align, false, __builtin_return_address(0));
}

void *xzalloc_align(size_t size, size_t align)
{
    return do_alloc(size, align, true, __builtin_return_address(0));
}

void *xmalloc_array_bytes(size_t elem, size_t n, size_t align)
{
    if ((elem != 0U) && (n > (SIZE_MAX / elem))) {
        return NULL;
    }
    return do_alloc(elem * n, align, false, __builtin_return_address(0));
}

void *xzalloc_array_bytes(size_t elem, size_t n, size_t align)
{
    if ((elem != 0U) && (n > (SIZE_MAX / elem))) {
        return NULL;
    }
    return do_alloc(elem * n, align, true, __builtin_return_address(0));
}

/* Is the slot at offset off on pg's free list? Bounded by the slot count
 * so that a corrupted list cannot loop. */
static bool slot_is_free(const struct page_info *pg, const uint8_t *va, uint16_t off)
{
    uint16_t n = slots_per_slab(pg->u.slab.cls);
    uint64_t o = pg->u.slab.first_free;
    uint16_t steps;

    for (steps = 0U; (steps < n) && (o < PAGE_SIZE); steps++) {
        if (o == off) {
            return true;
        }
        o = ((const struct free_slot *)(const void *)&va[o])->next;
    }
    return false;
}

/* Is s on c's recycle list? Bounded by the objects in use. */
static bool on_recycle_list(const struct size_class *c, const struct free_slot *s)
{
    const struct free_slot *r = c->recycled;

    for (uint64_t steps = 0U; (steps < c->objs_in_use) && (r != NULL); steps++) {
        if (r == s) {
            return true;
        }
        r = (const struct free_slot *)(uintptr_t)r->next;
    }
    return false;
}

static void free_small(unsigned long irq, struct page_info *pg, void *ptr, uint16_t off)
{
    unsigned int cls = pg->u.slab.cls;
    struct free_slot *s = ptr;
    struct size_class *c;

    if ((cls >= XMALLOC_NR_CLASSES) || ((off % class_size(cls)) != 0U)) {
        xmalloc_bug(irq, ptr, "not the start of an object");
    }
    c = &classes[cls];
    if ((s->tag == slot_tag(s)) && slot_is_free(pg, (uint8_t *)ptr - off, off)) {
        xmalloc_bug(irq, ptr, "double free");
    }
    if ((s->tag == recycle_tag(s)) && on_recycle_list(c, s)) {
        xmalloc_bug(irq, ptr, "double free (kept for a rebooting domain)");
    }
    if (alloc_recycling()) {
        /* Kept for the domain being rebuilt: see alloc_count.h. */
        s->next = (uint64_t)(uintptr_t)c->recycled;
        s->tag = recycle_tag(s);
        c->recycled = s;
        spin_unlock_irqrestore(&xmalloc_lock, irq);
        return;
    }
    s->next = pg->u.slab.first_free;
    s->tag = slot_tag(s);
    pg->u.slab.first_free = off;
    pg->u.slab.nr_free++;
    if (pg->u.slab.nr_free == 1U) {
        page_list_push(&c->partial, pg);    /* was full */
    }
    if (pg->u.slab.nr_free == slots_per_slab(cls)) {
        c->empty_slabs++;
        /* Keep one empty slab per class so that an alloc/free pair at the
         * edge of a page does not take and return a page every time. */
        if (c->empty_slabs > 1U) {
            slab_destroy(cls, pg);
        }
    }
    c->objs_in_use--;
    nr_frees++;
    spin_unlock_irqrestore(&xmalloc_lock, irq);
}

void xfree(void *ptr)
{
    paddr_t pa;
    struct page_info *pg;
    unsigned long irq;
    unsigned int order;

    if (ptr == NULL) {
        return;
    }
    pa = arch_virt_to_maddr(ptr);
    irq = spin_lock_irqsave(&xmalloc_lock);
    pg = mfn_to_page(paddr_to_mfn(pa));
    if ((pg == NULL) || !page_is_allocated(pg)) {
        xmalloc_bug(irq, ptr, "not an xmalloc object (or freed twice)");
    }
    if (pg->use == (uint16_t)PAGE_USE_XMALLOC_SLAB) {
        free_small(irq, pg, ptr, (uint16_t)(pa & (PAGE_SIZE - 1U)));
        return;
    }
    if ((pg->use != (uint16_t)PAGE_USE_XMALLOC_LARGE) || !IS_ALIGNED(pa, PAGE_SIZE)) {
        xmalloc_bug(irq, ptr, "not an xmalloc object");
    }
    order = pg->order;
    large_in_use--;
    large_pages -= 1ULL << order;
    nr_frees++;
    spin_unlock_irqrestore(&xmalloc_lock, irq);
    free_pages(paddr_to_mfn(pa), order);
}

void xmalloc_recycle_end(void)
{
    alloc_recycle_end();
    for (unsigned int cls = 0U; cls < XMALLOC_NR_CLASSES; cls++) {
        for (;;) {
            unsigned long irq = spin_lock_irqsave(&xmalloc_lock);
            struct free_slot *s = classes[cls].recycled;
            paddr_t pa;

            if (s == NULL) {
                spin_unlock_irqrestore(&xmalloc_lock, irq);
                break;
            }
            classes[cls].recycled = (struct free_slot *)(uintptr_t)s->next;
            s->tag = 0U;
            pa = arch_virt_to_maddr(s);
            /* Unlocks. */
            free_small(irq, mfn_to_page(paddr_to_mfn(pa)), s, (uint16_t)(pa & (PAGE_SIZE - 1U)));
        }
    }
    page_alloc_recycle_flush();
}

void xmalloc_trim(void)
{
    unsigned long irq = spin_lock_irqsave(&xmalloc_lock);
    unsigned int cls;

    for (cls = 0U; cls < XMALLOC_NR_CLASSES; cls++) {
        struct page_info *pg = classes[cls].partial.first;

        while (pg != NULL) {
            struct page_info *next = pg->next;

            if (pg->u.slab.nr_free == slots_per_slab(cls)) {
                slab_destroy(cls, pg);
            }
            pg = next;
        }
    }
    spin_unlock_irqrestore(&xmalloc_lock, irq);
}

void xmalloc_stats(struct xmalloc_stats *st)
{
    unsigned long irq = spin_lock_irqsave(&xmalloc_lock);
    unsigned int i;

    st->pages_held = large_pages;
    st->bytes_in_use = large_pages << PAGE_SHIFT;
    for (i = 0U; i < XMALLOC_NR_CLASSES; i++) {
        st->cls[i].size = class_size(i);
        st->cls[i].objs_in_use = classes[i].objs_in_use;
        st->cls[i].bytes_in_use = classes[i].objs_in_use * class_size(i);
        st->cls[i].slabs = classes[i].slabs;
        st->pages_held += classes[i].slabs;
        st->bytes_in_use += st->cls[i].bytes_in_use;
    }
    st->large_in_use = large_in_use;
    st->large_pages = large_pages;
    st->nr_allocs = nr_allocs;
    st->nr_failed = nr_failed;
    st->nr_frees = nr_frees;
    spin_unlock_irqrestore(&xmalloc_lock, irq);
}

void xmalloc_dump(void)
{
    struct xmalloc_stats st;
    unsigned int i;

    xmalloc_stats(&st);
    pr_info("xmalloc: %llu pages held, %llu bytes in use, %llu allocs (%llu failed), "
            "%llu frees\n",
            (unsigned long long)st.pages_held, (unsigned long long)st.bytes_in_use,
            (unsigned long long)st.nr_allocs, (unsigned long long)st.nr_failed,
            (unsigned long long)st.nr_frees);
    pr_info("  %6s %8s %10s %6s\n", "size", "objects", "bytes", "pages");
    for (i = 0U; i < XMALLOC_NR_CLASSES; i++) {
        pr_info("  %6u %8llu %10llu %6llu\n", (unsigned int)st.cls[i].size,
                (unsigned long long)st.cls[i].objs_in_use,
                (unsigned long long)st.cls[i].bytes_in_use,
                (unsigned long long)st.cls[i].slabs);
    }
    pr_info("  %6s %8llu %10llu %6llu\n", "large", (unsigned long long)st.large_in_use,
            (unsigned long long)(st.large_pages << PAGE_SHIFT),
            (unsigned long long)st.large_pages);
}
