/* Boot allocator: two sorted lists of page-granular ranges, RAM and
 * reserved; free memory is RAM minus reserved, computed when needed. An
 * allocation is simply one more reserved range. See bootmem.h. */
#include <proxenos/bootmem.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/printk.h>

struct range {
    paddr_t start;
    paddr_t end;    /* exclusive */
};

/* Sorted by start, non-overlapping and non-adjacent (merged). */
struct range_list {
    struct range r[BOOTMEM_MAX_RANGES];
    unsigned int nr;
};

static struct range_list ram;
static struct range_list reserved;
static uint64_t allocated_bytes;
static bool closed;

/* Free ranges never outnumber RAM ranges plus reserved ranges. Scratch
 * space for computing them: boot runs on one CPU, so one copy is enough. */
static struct range free_scratch[2U * BOOTMEM_MAX_RANGES];

void bootmem_reset(void)
{
    ram.nr = 0U;
    reserved.nr = 0U;
    allocated_bytes = 0U;
    closed = false;
}

/* Insert [s, e) keeping the list sorted, merging every range it overlaps
 * or touches. */
static int range_list_add(struct range_list *l, paddr_t s, paddr_t e)
{
    unsigned int i = 0U;
    unsigned int j;
    unsigned int k;

    /* First range that ends at or after s: it is the first that can
     * touch [s, e) or that must come after it. */
    while ((i < l->nr) && (l->r[i].end < s)) {
        i++;
    }
    j = i;
    while ((j < l->nr) && (l->r[j].start <= e)) {
        s = MIN(s, l->r[j].start);
        e = MAX(e, l->r[j].end);
        j++;
    }
    if (j == i) {
        /* Touches nothing: make room at i. */
        if (l->nr >= BOOTMEM_MAX_RANGES) {
            return -ENOSPC;
        }
        for (k = l->nr; k > i; k--) {
            l->r[k] = l->r[k - 1U];
        }
        l->nr++;
    } else {
        /* Ranges i .. j-1 collapse into slot i. */
        for (k = 0U; (j + k) < l->nr; k++) {
            l->r[i + 1U + k] = l->r[j + k];
        }
        l->nr -= (j - i) - 1U;
    }
    l->r[i].start = s;
    l->r[i].end = e;
    return 0;
}

int bootmem_add_ram(paddr_t start, paddr_t end)
{
    paddr_t s;
    paddr_t e = ALIGN_DOWN(end, PAGE_SIZE);

    if (closed) {
        return -EBUSY;
    }
    if (end < start) {
        return -EINVAL;
    }
    if (start > (UINT64_MAX - (PAGE_SIZE - 1U))) {
        return 0;   /* no whole page above start */
    }
    s = ALIGN_UP(start, PAGE_SIZE);
    if (s >= e) {
        return 0;
    }
    return range_list_add(&ram, s, e);
}

int bootmem_reserve(paddr_t start, paddr_t end)
{
    paddr_t s = ALIGN_DOWN(start, PAGE_SIZE);

    if (closed) {
        return -EBUSY;
    }
    if (end < start) {
        return -EINVAL;
    }
    if (end == start) {
        return 0;
    }
    if (end > (UINT64_MAX - (PAGE_SIZE - 1U))) {
        return -ERANGE;
    }
    return range_list_add(&reserved, s, ALIGN_UP(end, PAGE_SIZE));
}

/* Fill free_scratch with RAM minus reserved, sorted; return the count. */
static unsigned int collect_free(void)
{
    unsigned int n = 0U;
    unsigned int j = 0U;
    unsigned int i;

    for (i = 0U; i < ram.nr; i++) {
        paddr_t pos = ram.r[i].start;
        unsigned int k;

        /* Skip reservations wholly below this bank. Both lists are
         * sorted, so j only moves forward. */
        while ((j < reserved.nr) && (reserved.r[j].end <= pos)) {
            j++;
        }
        for (k = j; (k < reserved.nr) && (reserved.r[k].start < ram.r[i].end); k++) {
            if (reserved.r[k].start > pos) {
                free_scratch[n].start = pos;
                free_scratch[n].end = reserved.r[k].start;
                n++;
            }
            pos = MAX(pos, reserved.r[k].end);
        }
        if (pos < ram.r[i].end) {
            free_scratch[n].start = pos;
            free_scratch[n].end = ram.r[i].end;
            n++;
        }
    }
    return n;
}

int bootmem_alloc(uint64_t size, uint64_t align, paddr_t *pa)
{
    unsigned int n;
    unsigned int i;
    int rc;

    if (closed) {
        return -EBUSY;
    }
    if ((size == 0U) || (pa == NULL)) {
        return -EINVAL;
    }
    if (align < PAGE_SIZE) {
        align = PAGE_SIZE;
    }
    if (!is_power_of_2(align)) {
        return -EINVAL;
    }
    if (size > (UINT64_MAX - (PAGE_SIZE - 1U))) {
        return -ENOMEM;
    }
    size = ALIGN_UP(size, PAGE_SIZE);

    /* Highest free range first: keep low memory for guests. */
    n = collect_free();
    for (i = n; i > 0U; i--) {
        const struct range *f = &free_scratch[i - 1U];
        paddr_t cand;

        if ((f->end - f->start) < size) {
            continue;
        }
        cand = ALIGN_DOWN(f->end - size, align);
        if (cand < f->start) {
            continue;
        }
        rc = range_list_add(&reserved, cand, cand + size);
        if (rc != 0) {
            return rc;
        }
        allocated_bytes += size;
        *pa = cand;
        return 0;
    }
    return -ENOMEM;
}

unsigned int bootmem_ram_count(void)
{
    return ram.nr;
}

int bootmem_ram_range(unsigned int idx, paddr_t *start, paddr_t *end)
{
    if (idx >= ram.nr) {
        return -ENOENT;
    }
    *start = ram.r[idx].start;
    *end = ram.r[idx].end;
    return 0;
}

uint64_t bootmem_free_bytes(void)
{
    unsigned int n = collect_free();
    uint64_t total = 0U;
    unsigned int i;

    for (i = 0U; i < n; i++) {
        total += free_scratch[i].end - free_scratch[i].start;
    }
    return total;
}

uint64_t bootmem_allocated_bytes(void)
{
    return allocated_bytes;
}

int bootmem_handover(bootmem_free_fn fn, void *arg)
{
    unsigned int n;
    unsigned int i;

    if (closed) {
        return -EBUSY;
    }
    n = collect_free();
    /* Closed before the first call: whatever fn does, the ranges it was
     * given can no longer be handed out here. */
    closed = true;
    for (i = 0U; i < n; i++) {
        int rc = fn(free_scratch[i].start, free_scratch[i].end, arg);

        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

static void dump_list(const char *what, const struct range *r, unsigned int n)
{
    unsigned int i;

    pr_info("  %s: %u range%s\n", what, n, (n == 1U) ? "" : "s");
    for (i = 0U; i < n; i++) {
        pr_info("    [%#018llx, %#018llx) %llu KiB\n", (unsigned long long)r[i].start,
                (unsigned long long)r[i].end,
                (unsigned long long)((r[i].end - r[i].start) >> 10));
    }
}

void bootmem_dump(void)
{
    pr_info("Boot memory%s: %llu KiB allocated\n", closed ? " (handed over)" : "",
            (unsigned long long)(allocated_bytes >> 10));
    dump_list("RAM", ram.r, ram.nr);
    dump_list("reserved", reserved.r, reserved.nr);
    dump_list("free", free_scratch, collect_free());
}
