/* Buddy page allocator over the memory the boot allocator leaves; see
 * page_alloc.h for the frame table layout and the rules.
 *
 * Invariant on every managed page: it is the first page of a free block
 * (PGS_FREE, on free_lists[order]), the first page of an allocated block
 * (PGS_ALLOCATED) or any other page of either (PGS_TAIL). Splitting and
 * merging touch only first pages, so both cost O(1) per order step, and a
 * pointer into the middle of a block is still recognised as one. */
#include <proxenos/page_alloc.h>
#include <proxenos/alloc_count.h>
#include <proxenos/bootmem.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/printk.h>
#include <proxenos/spinlock.h>
#include <proxenos/string.h>
#include <proxenos/arch/mm.h>

/* One RAM bank and its frame table. Banks come from the boot allocator's
 * merged RAM list, so they are sorted and never touch. */
struct bank {
    uint64_t first_mfn;
    uint64_t nr_pages;
    struct page_info *table;
};

static struct bank banks[BOOTMEM_MAX_RANGES];
static unsigned int nr_banks;

/* Everything below is protected by heap_lock (banks are written only at
 * init, before other CPUs run). */
static spinlock_t heap_lock = SPINLOCK_INIT;
static struct page_list free_lists[MAX_ORDER + 1U];
static uint64_t free_blocks[MAX_ORDER + 1U];
static uint64_t total_pages;
static uint64_t free_page_count;
static uint64_t nr_allocs;
static uint64_t nr_failed;
static uint64_t nr_frees;
static uint64_t frame_table_bytes;
/* Blocks freed in a reboot window, still PGS_ALLOCATED, by order. */
static struct page_list recycled[MAX_ORDER + 1U];

static inline uint64_t order_pages(unsigned int order)
{
    return 1ULL << order;
}

/* Bank holding frame m, or NULL: binary search over the sorted banks. */
static struct bank *bank_of(uint64_t m)
{
    unsigned int lo = 0U;
    unsigned int hi = nr_banks;

    while (lo < hi) {
        unsigned int mid = lo + ((hi - lo) / 2U);
        struct bank *b = &banks[mid];

        if (m < b->first_mfn) {
            hi = mid;
        } else if ((m - b->first_mfn) >= b->nr_pages) {
            lo = mid + 1U;
        } else {
            return b;
        }
    }
    return NULL;
}

static inline struct page_info *bank_page(const struct bank *b, uint64_t m)
{
    return &b->table[m - b->first_mfn];
}

static inline uint64_t bank_mfn(const struct bank *b, const struct page_info *pg)
{
    return b->first_mfn + (uint64_t)(pg - b->table);
}

/* The bank whose frame table holds pg, or NULL. Compared as integers: pg
 * need not point into any table. Banks are few (one on most machines). */
static struct bank *bank_of_page(const struct page_info *pg)
{
    uintptr_t p = (uintptr_t)pg;

    for (unsigned int i = 0U; i < nr_banks; i++) {
        uintptr_t base = (uintptr_t)banks[i].table;
        uintptr_t off = p - base;

        if ((p >= base) && ((off / sizeof(struct page_info)) < banks[i].nr_pages) &&
            ((off % sizeof(struct page_info)) == 0U)) {
            return &banks[i];
        }
    }
    return NULL;
}

static void free_list_add(struct page_info *pg, unsigned int order)
{
    pg->state = (uint8_t)PGS_FREE;
    pg->order = (uint8_t)order;
    pg->use = (uint16_t)PAGE_USE_NONE;
    pg->u.raw = 0U;
    page_list_push(&free_lists[order], pg);
    free_blocks[order]++;
}

static void free_list_del(struct page_info *pg, unsigned int order)
{
    page_list_remove(&free_lists[order], pg);
    free_blocks[order]--;
}

/* Put the allocated block of 2^order pages at m back on the free lists,
 * merging it with its buddy for as long as the buddy is a free block of
 * the same order. Buddies are aligned, so the merged block starts at the
 * lower of the two. Lock held. */
static void free_block_locked(struct bank *b, uint64_t m, unsigned int order)
{
    struct page_info *pg = bank_page(b, m);

    while (order < MAX_ORDER) {
        uint64_t buddy = m ^ order_pages(order);
        struct page_info *bp;

        if ((buddy < b->first_mfn) || ((buddy - b->first_mfn) >= b->nr_pages)) {
            break;
        }
        bp = bank_page(b, buddy);
        if ((bp->state != (uint8_t)PGS_FREE) || (bp->order != (uint8_t)order)) {
            break;
        }
        free_list_del(bp, order);
        if (buddy < m) {
            pg->state = (uint8_t)PGS_TAIL;
            pg = bp;
            m = buddy;
        } else {
            bp->state = (uint8_t)PGS_TAIL;
        }
        order++;
    }
    free_list_add(pg, order);
}

/* Largest order of an aligned block starting at m that ends by limit. */
static unsigned int block_order_at(uint64_t m, uint64_t limit)
{
    unsigned int order = 0U;

    while ((order < MAX_ORDER) && ((m & (order_pages(order + 1U) - 1U)) == 0U) &&
           ((limit - m) >= order_pages(order + 1U))) {
        order++;
    }
    return order;
}

/* Feed [first, limit) of bank b (all PGS_TAIL) as the largest aligned
 * blocks it holds; each is freed like a returned allocation, so it merges
 * with free neighbours. Lock held, or no other CPU running yet. */
static void feed_blocks_locked(struct bank *b, uint64_t first, uint64_t limit)
{
    uint64_t m = first;

    while (m < limit) {
        unsigned int order = block_order_at(m, limit);

        free_block_locked(b, m, order);
        total_pages += order_pages(order);
        free_page_count += order_pages(order);
        m += order_pages(order);
    }
}

int page_alloc_add_range(paddr_t start, paddr_t end)
{
    uint64_t first = start >> PAGE_SHIFT;
    uint64_t limit = end >> PAGE_SHIFT;
    struct bank *b;
    unsigned long flags;
    uint64_t m;

    if ((start >= end) || !IS_ALIGNED(start, PAGE_SIZE) || !IS_ALIGNED(end, PAGE_SIZE)) {
        return -EINVAL;
    }
    b = bank_of(first);
    if ((b == NULL) || ((limit - b->first_mfn) > b->nr_pages)) {
        return -EINVAL;
    }

    flags = spin_lock_irqsave(&heap_lock);
    for (m = first; m < limit; m++) {
        if (bank_page(b, m)->state != (uint8_t)PGS_UNMANAGED) {
            spin_unlock_irqrestore(&heap_lock, flags);
            return -EINVAL;
        }
    }
    for (m = first; m < limit; m++) {
        bank_page(b, m)->state = (uint8_t)PGS_TAIL;
    }
    feed_blocks_locked(b, first, limit);
    spin_unlock_irqrestore(&heap_lock, flags);
    return 0;
}

/* Pages [first, limit) of bank b: not the allocator's. */
static void mark_unmanaged(struct bank *b, uint64_t first, uint64_t limit)
{
    for (uint64_t m = first; m < limit; m++) {
        bank_page(b, m)->state = (uint8_t)PGS_UNMANAGED;
    }
}

/* The boot hand-over takes the boot allocator's free ranges, ascending and
 * disjoint, while the frame tables are still all PGS_TAIL (zero): a free
 * range needs no pass over its pages, only the first page of each block
 * is written. What lies between the ranges (the image, boot allocations,
 * the frame tables themselves: little) is marked unmanaged as the cursor
 * passes it, and what lies after the last one at the end. */
struct boot_feed {
    unsigned int bank;      /* banks below this one are classified */
    uint64_t cursor;        /* in that bank, pages below this one are */
};

/* Classify as unmanaged everything from the cursor up to page m of bank
 * upto, or to the end of every bank when upto is nr_banks. */
static void feed_skip_to(struct boot_feed *f, unsigned int upto, uint64_t m)
{
    while (f->bank < nr_banks) {
        struct bank *b = &banks[f->bank];
        uint64_t from = MAX(f->cursor, b->first_mfn);

        if (f->bank == upto) {
            mark_unmanaged(b, from, m);
            return;
        }
        mark_unmanaged(b, from, b->first_mfn + b->nr_pages);
        f->bank++;
        f->cursor = 0U;
    }
}

static int take_free_range(paddr_t start, paddr_t end, void *arg)
{
    struct boot_feed *f = arg;
    uint64_t first = start >> PAGE_SHIFT;
    uint64_t limit = end >> PAGE_SHIFT;
    struct bank *b;
    unsigned int idx;

    if ((start >= end) || !IS_ALIGNED(start, PAGE_SIZE) || !IS_ALIGNED(end, PAGE_SIZE)) {
        return -EINVAL;
    }
    b = bank_of(first);
    if ((b == NULL) || ((limit - b->first_mfn) > b->nr_pages)) {
        return -EINVAL;
    }
    idx = (unsigned int)(b - banks);
    if ((idx < f->bank) || ((idx == f->bank) && (first < f->cursor))) {
        return -EINVAL;     /* not ascending: the hand-over's promise broken */
    }
    feed_skip_to(f, idx, first);
    feed_blocks_locked(b, first, limit);
    f->cursor = limit;
    return 0;
}

static void reset_state(void)
{
    unsigned int i;

    spin_lock_init(&heap_lock);
    nr_banks = 0U;
    for (i = 0U; i <= MAX_ORDER; i++) {
        free_lists[i].first = NULL;
        free_blocks[i] = 0U;
        recycled[i].first = NULL;
    }
    total_pages = 0U;
    free_page_count = 0U;
    nr_allocs = 0U;
    nr_failed = 0U;
    nr_frees = 0U;
    frame_table_bytes = 0U;
}

int page_alloc_init(void)
{
    unsigned int n = bootmem_ram_count();
    struct boot_feed feed = { 0U, 0U };
    unsigned int i;
    int rc;

    reset_state();
    if (n > ARRAY_SIZE(banks)) {
        return -ENOSPC;
    }
    for (i = 0U; i < n; i++) {
        paddr_t start;
        paddr_t end;
        paddr_t pa;
        uint64_t bytes;

        rc = bootmem_ram_range(i, &start, &end);
        if (rc != 0) {
            return rc;
        }
        banks[i].first_mfn = start >> PAGE_SHIFT;
        banks[i].nr_pages = (end - start) >> PAGE_SHIFT;
        bytes = banks[i].nr_pages * (uint64_t)sizeof(struct page_info);
        rc = bootmem_alloc(bytes, PAGE_SIZE, &pa);
        if (rc != 0) {
            pr_err("page_alloc: no memory for the frame table of bank %u (%llu bytes)\n",
                   i, (unsigned long long)bytes);
            return rc;
        }
        banks[i].table = arch_maddr_to_virt(pa);
        /* All zero is PGS_TAIL with empty links: the hand-over below makes
         * what it is not given unmanaged. */
        arch_clear_memory(banks[i].table, (size_t)bytes);
        frame_table_bytes += ALIGN_UP(bytes, PAGE_SIZE);
        /* Visible to lookups only once its table is ready. */
        nr_banks = i + 1U;
    }
    rc = bootmem_handover(take_free_range, &feed);
    if (rc == 0) {
        feed_skip_to(&feed, nr_banks, 0U);
    }
    return rc;
}

mfn_t alloc_pages_for(unsigned int order, unsigned int flags, const void *caller,
                      bool *recycled_block)
{
    struct page_info *pg = NULL;
    unsigned long irq;
    unsigned int o;
    uint64_t m;

    ASSERT((flags & ~ALLOC_ZERO) == 0U);
    *recycled_block = false;
    if ((order > MAX_ORDER) || !alloc_count_admit(ALLOC_KIND_PAGES)) {
        return INVALID_MFN;
    }

    irq = spin_lock_irqsave(&heap_lock);
    if (alloc_recycling() && !page_list_empty(&recycled[order])) {
        /* A rebooting domain's own block, given back. */
        pg = recycled[order].first;
        page_list_remove(&recycled[order], pg);
        pg->use = (uint16_t)PAGE_USE_NONE;
        pg->u.raw = 0U;
        m = bank_mfn(bank_of_page(pg), pg);
        spin_unlock_irqrestore(&heap_lock, irq);
        alloc_count_note_recycled(ALLOC_KIND_PAGES);
        *recycled_block = true;
        if ((flags & ALLOC_ZERO) != 0U) {
            arch_clear_memory(arch_maddr_to_virt(m << PAGE_SHIFT), (size_t)(PAGE_SIZE << order));
        }
        return mfn(m);
    }
    for (o = order; o <= MAX_ORDER; o++) {
        if (!page_list_empty(&free_lists[o])) {
            pg = free_lists[o].first;
            break;
        }
    }
    if (pg == NULL) {
        nr_failed++;
        spin_unlock_irqrestore(&heap_lock, irq);
        return INVALID_MFN;
    }
    free_list_del(pg, o);
    m = bank_mfn(bank_of_page(pg), pg);
    /* Keep the lower half, free the upper half, until the size fits. */
    while (o > order) {
        o--;
        free_list_add(&pg[order_pages(o)], o);
    }
    pg->state = (uint8_t)PGS_ALLOCATED;
    pg->order = (uint8_t)order;
    pg->use = (uint16_t)PAGE_USE_NONE;
    pg->u.raw = 0U;
    pg->next = NULL;
    pg->prev = NULL;
    free_page_count -= order_pages(order);
    nr_allocs++;
    spin_unlock_irqrestore(&heap_lock, irq);
    alloc_count_note(ALLOC_KIND_PAGES, caller);

    if ((flags & ALLOC_ZERO) != 0U) {
        arch_clear_memory(arch_maddr_to_virt(m << PAGE_SHIFT), (size_t)(PAGE_SIZE << order));
    }
    return mfn(m);
}

mfn_t alloc_pages(unsigned int order, unsigned int flags)
{
    bool recycled_block;

    return alloc_pages_for(order, flags, __builtin_return_address(0), &recycled_block);
}

/* A static block back out of use: unmanaged, as the boot allocator left
 * it, so that only page_alloc_acquire_static() can take it again. Lock
 * held. */
static void release_static_locked(struct page_info *pg, unsigned int order)
{
    for (uint64_t i = 0U; i < order_pages(order); i++) {
        pg[i].state = (uint8_t)PGS_UNMANAGED;
        pg[i].order = 0U;
        pg[i].use = (uint16_t)PAGE_USE_NONE;
        pg[i].u.raw = 0U;
        pg[i].next = NULL;
        pg[i].prev = NULL;
    }
}

/* A caller freed something it does not own: a hypervisor bug. The lock is
 * dropped first so that the panic path can still use the allocator. */
static __noreturn void bad_free(unsigned long irq, uint64_t m, unsigned int order,
                                const char *why)
{
    spin_unlock_irqrestore(&heap_lock, irq);
    panic("free_pages(mfn %#llx, order %u): %s", (unsigned long long)m, order, why);
}

void free_pages(mfn_t mf, unsigned int order)
{
    uint64_t m = mfn_x(mf);
    unsigned long irq = spin_lock_irqsave(&heap_lock);
    struct bank *b = bank_of(m);
    struct page_info *pg;

    if (b == NULL) {
        bad_free(irq, m, order, "not a RAM frame");
    }
    if (order > MAX_ORDER) {
        bad_free(irq, m, order, "order too large");
    }
    pg = bank_page(b, m);
    if (pg->state == (uint8_t)PGS_FREE) {
        bad_free(irq, m, order, "double free");
    }
    if (pg->state != (uint8_t)PGS_ALLOCATED) {
        bad_free(irq, m, order, "not the start of an allocated block (double free?)");
    }
    if (pg->order != (uint8_t)order) {
        bad_free(irq, m, order, "order differs from the allocation's");
    }
    if (pg->use == (uint16_t)PAGE_USE_STATIC) {
        /* Static memory never joins the heap: out of use, it waits for
         * its domain's next build. */
        release_static_locked(pg, order);
        spin_unlock_irqrestore(&heap_lock, irq);
        return;
    }
    if (pg->use == (uint16_t)PAGE_USE_RECYCLED) {
        bad_free(irq, m, order, "double free (kept for a rebooting domain)");
    }
    if (alloc_recycling()) {
        /* Kept for the domain being rebuilt: see alloc_count.h. */
        pg->use = (uint16_t)PAGE_USE_RECYCLED;
        page_list_push(&recycled[order], pg);
        spin_unlock_irqrestore(&heap_lock, irq);
        return;
    }
    pg->use = (uint16_t)PAGE_USE_NONE;
    free_block_locked(b, m, order);
    free_page_count += order_pages(order);
    nr_frees++;
    spin_unlock_irqrestore(&heap_lock, irq);
}

void page_alloc_recycle_flush(void)
{
    unsigned long irq;

    alloc_recycle_end();
    irq = spin_lock_irqsave(&heap_lock);
    for (unsigned int o = 0U; o <= MAX_ORDER; o++) {
        while (!page_list_empty(&recycled[o])) {
            struct page_info *pg = recycled[o].first;
            struct bank *b = bank_of_page(pg);
            uint64_t m = bank_mfn(b, pg);

            page_list_remove(&recycled[o], pg);
            pg->use = (uint16_t)PAGE_USE_NONE;
            free_block_locked(b, m, o);
            free_page_count += order_pages(o);
            nr_frees++;
        }
    }
    spin_unlock_irqrestore(&heap_lock, irq);
}

int page_alloc_acquire_static(mfn_t mf, unsigned int order)
{
    uint64_t m = mfn_x(mf);
    struct bank *b;
    struct page_info *pg;
    unsigned long irq;

    if ((order > MAX_ORDER) || ((m & (order_pages(order) - 1U)) != 0U)) {
        return -EINVAL;
    }
    b = bank_of(m);
    if ((b == NULL) || ((m - b->first_mfn) > (b->nr_pages - order_pages(order)))) {
        return -EINVAL;
    }
    pg = bank_page(b, m);
    irq = spin_lock_irqsave(&heap_lock);
    for (uint64_t i = 0U; i < order_pages(order); i++) {
        if (pg[i].state != (uint8_t)PGS_UNMANAGED) {
            spin_unlock_irqrestore(&heap_lock, irq);
            return -EBUSY;
        }
    }
    for (uint64_t i = 1U; i < order_pages(order); i++) {
        pg[i].state = (uint8_t)PGS_TAIL;
    }
    pg->state = (uint8_t)PGS_ALLOCATED;
    pg->order = (uint8_t)order;
    pg->use = (uint16_t)PAGE_USE_STATIC;
    pg->u.raw = 0U;
    pg->next = NULL;
    pg->prev = NULL;
    spin_unlock_irqrestore(&heap_lock, irq);
    /* What a previous run of the domain left there is not the new one's. */
    arch_clear_memory(arch_maddr_to_virt(m << PAGE_SHIFT), (size_t)(PAGE_SIZE << order));
    return 0;
}

void *alloc_xenheap_pages(unsigned int order, unsigned int flags)
{
    bool recycled_block;
    mfn_t m = alloc_pages_for(order, flags, __builtin_return_address(0), &recycled_block);

    if (mfn_eq(m, INVALID_MFN)) {
        return NULL;
    }
    return arch_maddr_to_virt(mfn_to_paddr(m));
}

void free_xenheap_pages(void *ptr, unsigned int order)
{
    paddr_t pa;

    if (ptr == NULL) {
        return;
    }
    pa = arch_virt_to_maddr(ptr);
    if (!IS_ALIGNED(pa, PAGE_SIZE)) {
        panic("free_xenheap_pages(%p): not page aligned", ptr);
    }
    free_pages(paddr_to_mfn(pa), order);
}

struct page_info *mfn_to_page(mfn_t m)
{
    struct bank *b = bank_of(mfn_x(m));

    return (b != NULL) ? bank_page(b, mfn_x(m)) : NULL;
}

mfn_t page_to_mfn(const struct page_info *pg)
{
    const struct bank *b = bank_of_page(pg);

    return (b != NULL) ? mfn(bank_mfn(b, pg)) : INVALID_MFN;
}

struct page_info *virt_to_page(const void *va)
{
    return mfn_to_page(paddr_to_mfn(arch_virt_to_maddr(va)));
}

void page_alloc_stats(struct page_alloc_stats *st)
{
    unsigned long irq = spin_lock_irqsave(&heap_lock);
    unsigned int i;

    st->total_pages = total_pages;
    st->free_pages = free_page_count;
    st->largest_free_pages = 0U;
    for (i = 0U; i <= MAX_ORDER; i++) {
        st->free_blocks[i] = free_blocks[i];
        if (free_blocks[i] != 0U) {
            st->largest_free_pages = order_pages(i);
        }
    }
    st->nr_allocs = nr_allocs;
    st->nr_failed = nr_failed;
    st->nr_frees = nr_frees;
    st->frame_table_bytes = frame_table_bytes;
    st->nr_banks = nr_banks;
    spin_unlock_irqrestore(&heap_lock, irq);
}

/* One table row: a label, then one right-aligned column per order in
 * [first, last]. Built in a buffer so that the row prints as one line. */
static void dump_row(const char *label, const uint64_t *vals, unsigned int first,
                     unsigned int last)
{
    char line[128];
    size_t len;
    unsigned int i;

    (void)snprintf(line, sizeof(line), "  %-6s", label);
    for (i = first; i <= last; i++) {
        len = strlen(line);
        (void)snprintf(&line[len], sizeof(line) - len, "%6llu", (unsigned long long)vals[i]);
    }
    pr_info("%s\n", line);
}

void page_alloc_dump(void)
{
    struct page_alloc_stats st;
    uint64_t orders[MAX_ORDER + 1U];
    unsigned int i;

    page_alloc_stats(&st);
    for (i = 0U; i <= MAX_ORDER; i++) {
        orders[i] = i;
    }
    pr_info("Page allocator: %u bank%s, %llu pages (%llu MiB) managed, %llu free (%llu MiB)\n",
            st.nr_banks, (st.nr_banks == 1U) ? "" : "s",
            (unsigned long long)st.total_pages,
            (unsigned long long)(st.total_pages >> (20U - PAGE_SHIFT)),
            (unsigned long long)st.free_pages,
            (unsigned long long)(st.free_pages >> (20U - PAGE_SHIFT)));
    pr_info("  largest free block %llu pages, frame table %llu KiB, "
            "%llu allocs (%llu failed), %llu frees\n",
            (unsigned long long)st.largest_free_pages,
            (unsigned long long)(st.frame_table_bytes >> 10),
            (unsigned long long)st.nr_allocs, (unsigned long long)st.nr_failed,
            (unsigned long long)st.nr_frees);
    /* Free blocks per order, in two rows of columns to stay narrow. */
    dump_row("order", orders, 0U, 9U);
    dump_row("free", st.free_blocks, 0U, 9U);
    dump_row("order", orders, 10U, MAX_ORDER);
    dump_row("free", st.free_blocks, 10U, MAX_ORDER);
}
