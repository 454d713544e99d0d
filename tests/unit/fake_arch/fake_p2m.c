/* Fake stage 2 for the Xen PV memory code: see <fake_p2m.h>. */
#include <proxenos/arch/domain.h>
#include <proxenos/arch/p2m.h>
#include <proxenos/errno.h>
#include <fake_arch.h>
#include <fake_p2m.h>
#include "fake_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAKE_P2M_MAX 8192U

struct p2m_entry {
    const struct domain *d;
    uint64_t gfn;
    uint64_t mfn;
    enum guest_frame_type type; /* GUEST_FRAME_NONE: a hole */
};

static struct p2m_entry table[FAKE_P2M_MAX];
static unsigned int nr_entries;
static unsigned int map_calls;
static unsigned int fail_maps;

#define FAKE_POOLS 8U

struct fake_pool {
    const struct domain *d;
    uint64_t pages;
    uint64_t used;
};

static struct fake_pool pools[FAKE_POOLS];
static uint64_t pool_limit;
static unsigned int flush_calls;
static const struct domain *flush_domain;
static uint64_t flush_first;
static uint64_t flush_nr;

/* One-shot: run after the next lookup, as another vCPU would between a
 * caller's look and its change. */
static void (*after_lookup)(void);

void fake_p2m_after_next_lookup(void (*fn)(void))
{
    after_lookup = fn;
}

void fake_p2m_reset(void)
{
    after_lookup = NULL;
    nr_entries = 0U;
    map_calls = 0U;
    fail_maps = 0U;
    memset(pools, 0, sizeof(pools));
    pool_limit = UINT64_MAX;
    flush_calls = 0U;
    flush_domain = NULL;
    flush_first = 0U;
    flush_nr = 0U;
}

void fake_p2m_forget_domain(const struct domain *d)
{
    unsigned int kept = 0U;

    for (unsigned int i = 0U; i < nr_entries; i++) {
        if (table[i].d != d) {
            table[kept] = table[i];
            kept++;
        }
    }
    nr_entries = kept;
}

unsigned int fake_p2m_entries(void)
{
    return nr_entries;
}

unsigned int fake_p2m_map_calls(void)
{
    return map_calls;
}

void fake_p2m_fail_maps(unsigned int n)
{
    fail_maps = n;
}

static struct p2m_entry *find(const struct domain *d, uint64_t g)
{
    for (unsigned int i = 0U; i < nr_entries; i++) {
        if ((table[i].d == d) && (table[i].gfn == g)) {
            return &table[i];
        }
    }
    return NULL;
}

static int set(const struct domain *d, uint64_t g, uint64_t m, enum guest_frame_type t)
{
    struct p2m_entry *e = find(d, g);

    if (e == NULL) {
        if (nr_entries >= FAKE_P2M_MAX) {
            return -ENOMEM;
        }
        e = &table[nr_entries];
        nr_entries++;
    }
    *e = (struct p2m_entry){ d, g, m, t };
    return 0;
}

bool fake_p2m_ram_frame(const struct domain *d, uint64_t g, uint64_t *m)
{
    const struct p2m_entry *e = find(d, g);

    if ((e == NULL) || (e->type != GUEST_FRAME_RAM)) {
        return false;
    }
    *m = e->mfn;
    return true;
}

__attribute__((weak)) int arch_guest_map_page(struct domain *d, gfn_t g, mfn_t m,
                                                enum guest_frame_type t)
{
    map_calls++;
    if (fail_maps > 0U) {
        fail_maps--;
        return -ENOMEM;
    }
    if ((t != GUEST_FRAME_RAM) && (t != GUEST_FRAME_GRANT_RW) && (t != GUEST_FRAME_GRANT_RO) &&
        (t != GUEST_FRAME_FOREIGN_RW) && (t != GUEST_FRAME_FOREIGN_RO)) {
        return -EINVAL;
    }
    /* The real stage 2 refuses gfns beyond its IPA size (40 bits). */
    if (gfn_x(g) >= (1ULL << (40U - PAGE_SHIFT))) {
        return -EINVAL;
    }
    return set(d, gfn_x(g), mfn_x(m), t);
}

/* nr frames as RAM in one change (all or nothing, as the real one). */
__attribute__((weak)) int arch_map_guest_ram(struct domain *d, gfn_t g, mfn_t m, uint64_t nr)
{
    map_calls++;
    if (fail_maps > 0U) {
        fail_maps--;
        return -ENOMEM;
    }
    if ((gfn_x(g) + nr) > (1ULL << (40U - PAGE_SHIFT))) {
        return -EINVAL;
    }
    if ((nr_entries + nr) > FAKE_P2M_MAX) {
        return -ENOMEM;
    }
    for (uint64_t j = 0U; j < nr; j++) {
        (void)set(d, gfn_x(g) + j, mfn_x(m) + j, GUEST_FRAME_RAM);
    }
    return 0;
}

/* A static shared memory region: frames of no domain, which the PV
 * memory code sees as GUEST_FRAME_OTHER, as on arm64. */
__attribute__((weak)) int arch_map_static_shm(struct domain *d, gfn_t g, mfn_t m, uint64_t nr)
{
    map_calls++;
    if (fail_maps > 0U) {
        fail_maps--;
        return -ENOMEM;
    }
    if (((gfn_x(g) + nr) > (1ULL << (40U - PAGE_SHIFT))) || ((nr_entries + nr) > FAKE_P2M_MAX)) {
        return -EINVAL;
    }
    for (uint64_t j = 0U; j < nr; j++) {
        (void)set(d, gfn_x(g) + j, mfn_x(m) + j, GUEST_FRAME_OTHER);
    }
    return 0;
}

__attribute__((weak)) int arch_guest_unmap_page(struct domain *d, gfn_t g)
{
    return set(d, gfn_x(g), 0U, GUEST_FRAME_NONE);
}

__attribute__((weak)) int arch_guest_lookup_page(struct domain *d, gfn_t g, mfn_t *m,
                                                   enum guest_frame_type *t)
{
    const struct p2m_entry *e = find(d, gfn_x(g));
    paddr_t ma;

    if (after_lookup != NULL) {
        void (*fn)(void) = after_lookup;
        int rc;

        after_lookup = NULL;
        rc = arch_guest_lookup_page(d, g, m, t);
        fn();
        return rc;
    }
    if (e != NULL) {
        *t = e->type;
        *m = mfn(e->mfn);
        return (e->type == GUEST_FRAME_NONE) ? -ENOENT : 0;
    }
    if (arch_guest_ram_to_maddr(d, gfn_x(g) << PAGE_SHIFT, &ma) == 0) {
        *m = paddr_to_mfn(ma);
        *t = GUEST_FRAME_RAM;
        return 0;
    }
    *t = GUEST_FRAME_NONE;
    return -ENOENT;
}

__attribute__((weak)) bool arch_guest_range_unmapped(struct domain *d, gfn_t g, uint64_t nr)
{
    for (uint64_t j = 0U; j < nr; j++) {
        mfn_t m;
        enum guest_frame_type t;

        if (arch_guest_lookup_page(d, gfn(gfn_x(g) + j), &m, &t) == 0) {
            return false;
        }
    }
    return true;
}

/* ---- Paging pools and cache maintenance (domctl) --------------------- */

static struct fake_pool *pool_of(const struct domain *d)
{
    for (unsigned int i = 0U; i < FAKE_POOLS; i++) {
        if (pools[i].d == d) {
            return &pools[i];
        }
    }
    for (unsigned int i = 0U; i < FAKE_POOLS; i++) {
        if (pools[i].d == NULL) {
            pools[i].d = d;
            return &pools[i];
        }
    }
    fprintf(stderr, "fake_p2m: more than %u domains have paging pools\n", FAKE_POOLS);
    abort();
}

void fake_paging_pool_set(const struct domain *d, uint64_t pages, uint64_t used)
{
    struct fake_pool *p = pool_of(d);

    p->pages = pages;
    p->used = used;
}

void fake_paging_pool_limit(uint64_t pages)
{
    pool_limit = pages;
}

unsigned int fake_cache_flushes(const struct domain **d, uint64_t *first, uint64_t *nr)
{
    if (d != NULL) {
        *d = flush_domain;
    }
    if (first != NULL) {
        *first = flush_first;
    }
    if (nr != NULL) {
        *nr = flush_nr;
    }
    return flush_calls;
}

__attribute__((weak)) uint64_t arch_paging_pool_pages(struct domain *d)
{
    return pool_of(d)->pages;
}

__attribute__((weak)) int arch_paging_pool_resize(struct domain *d, uint64_t pages)
{
    struct fake_pool *p = pool_of(d);

    if ((pages > pool_limit) || (pages < p->used)) {
        return -ENOMEM;
    }
    p->pages = pages;
    return 0;
}

__attribute__((weak)) void arch_guest_cache_flush(struct domain *d, gfn_t first, uint64_t nr)
{
    flush_calls++;
    flush_domain = d;
    flush_first = gfn_x(first);
    flush_nr = nr;
}

/* A 40-bit guest address space, what QEMU's virt machine gives with the
 * CPUs the system tests use. Weak: the test_p2m* tests link the real one. */
__attribute__((weak)) unsigned int arch_guest_ipa_bits(void)
{
    return 40U;
}
