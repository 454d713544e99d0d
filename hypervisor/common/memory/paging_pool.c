/* Paging pool: pages for a domain's stage-2 tables, set aside at domain
 * creation (see paging_pool.h for why). */
#include <proxenos/arch/mm.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/page_alloc.h>
#include <proxenos/paging_pool.h>
#include <proxenos/printk.h>
#include <proxenos/string.h>

/* page_info.u.raw of a pool page: the pool's address, with bit 0 set while
 * the page is taken. Pools are at least 8-byte aligned, so bit 0 is free. */
#define TAG_TAKEN 1U

static uint64_t pool_tag(const struct paging_pool *pool)
{
    return (uint64_t)(uintptr_t)pool;
}

/* A page the pool is about to own. */
static void adopt(struct paging_pool *pool, struct page_info *pg)
{
    pg->u.raw = pool_tag(pool);
    page_list_push(&pool->free_list, pg);
    pool->nr_free++;
    pool->nr_total++;
}

/* Take one free page off the list and return it to the page allocator. */
static void release_one(struct paging_pool *pool)
{
    struct page_info *pg = pool->free_list.first;

    page_list_remove(&pool->free_list, pg);
    pg->u.raw = 0U;
    pool->nr_free--;
    pool->nr_total--;
    free_pages(page_to_mfn(pg), 0U);
}

void paging_pool_init(struct paging_pool *pool)
{
    spin_lock_init(&pool->lock);
    pool->free_list.first = NULL;
    pool->nr_total = 0U;
    pool->nr_free = 0U;
    pool->peak_used = 0U;
    pool->nr_failed = 0U;
    pool->sealed = false;
}

/* Grow by n pages, all or nothing: the new pages are gathered on a private
 * list first so that a failure leaves the pool untouched. */
static int grow_locked(struct paging_pool *pool, uint64_t n)
{
    struct page_list fresh = { NULL };
    uint64_t got = 0U;

    while (got < n) {
        mfn_t m = alloc_pages(0U, 0U);

        if (mfn_eq(m, INVALID_MFN)) {
            break;
        }
        page_list_push(&fresh, mfn_to_page(m));
        got++;
    }
    while (!page_list_empty(&fresh)) {
        struct page_info *pg = fresh.first;

        page_list_remove(&fresh, pg);
        if (got < n) {
            free_pages(page_to_mfn(pg), 0U);
        } else {
            adopt(pool, pg);
        }
    }
    return (got < n) ? -ENOMEM : 0;
}

int paging_pool_resize(struct paging_pool *pool, uint64_t pages)
{
    unsigned long flags = spin_lock_irqsave(&pool->lock);
    uint64_t used = pool->nr_total - pool->nr_free;
    int rc = 0;

    if (pool->sealed) {
        rc = -EPERM;
    } else if (pages > pool->nr_total) {
        rc = grow_locked(pool, pages - pool->nr_total);
    } else if (pages < used) {
        rc = -EBUSY;
    } else {
        while (pool->nr_total > pages) {
            release_one(pool);
        }
    }
    spin_unlock_irqrestore(&pool->lock, flags);
    return rc;
}

void paging_pool_seal(struct paging_pool *pool)
{
    unsigned long flags = spin_lock_irqsave(&pool->lock);

    pool->sealed = true;
    spin_unlock_irqrestore(&pool->lock, flags);
}

mfn_t paging_pool_take(struct paging_pool *pool)
{
    unsigned long flags = spin_lock_irqsave(&pool->lock);
    struct page_info *pg = pool->free_list.first;
    uint64_t used;
    mfn_t m;

    if (pg == NULL) {
        pool->nr_failed++;
        spin_unlock_irqrestore(&pool->lock, flags);
        return INVALID_MFN;
    }
    page_list_remove(&pool->free_list, pg);
    pg->u.raw = pool_tag(pool) | TAG_TAKEN;
    pool->nr_free--;
    used = pool->nr_total - pool->nr_free;
    if (used > pool->peak_used) {
        pool->peak_used = used;
    }
    spin_unlock_irqrestore(&pool->lock, flags);

    /* Zeroed here rather than on give-back: a table page is always handed
     * out empty, whatever its last user left in it. */
    m = page_to_mfn(pg);
    (void)memset(arch_maddr_to_virt(mfn_to_paddr(m)), 0, PAGE_SIZE);
    return m;
}

void paging_pool_give_back(struct paging_pool *pool, mfn_t m)
{
    struct page_info *pg = mfn_to_page(m);
    unsigned long flags = spin_lock_irqsave(&pool->lock);

    if ((pg == NULL) || (pg->u.raw != (pool_tag(pool) | TAG_TAKEN))) {
        spin_unlock_irqrestore(&pool->lock, flags);
        panic("paging pool %p: mfn %#llx was not taken from it", (void *)pool,
              (unsigned long long)mfn_x(m));
    }
    pg->u.raw = pool_tag(pool);
    page_list_push(&pool->free_list, pg);
    pool->nr_free++;
    spin_unlock_irqrestore(&pool->lock, flags);
}

void paging_pool_teardown(struct paging_pool *pool)
{
    unsigned long flags = spin_lock_irqsave(&pool->lock);

    if (pool->nr_free != pool->nr_total) {
        uint64_t used = pool->nr_total - pool->nr_free;

        spin_unlock_irqrestore(&pool->lock, flags);
        panic("paging pool %p: teardown with %llu page(s) still taken", (void *)pool,
              (unsigned long long)used);
    }
    while (pool->nr_total > 0U) {
        release_one(pool);
    }
    pool->sealed = false;
    pool->peak_used = 0U;
    pool->nr_failed = 0U;
    spin_unlock_irqrestore(&pool->lock, flags);
}

uint64_t paging_pool_total(struct paging_pool *pool)
{
    unsigned long flags = spin_lock_irqsave(&pool->lock);
    uint64_t n = pool->nr_total;

    spin_unlock_irqrestore(&pool->lock, flags);
    return n;
}

uint64_t paging_pool_free(struct paging_pool *pool)
{
    unsigned long flags = spin_lock_irqsave(&pool->lock);
    uint64_t n = pool->nr_free;

    spin_unlock_irqrestore(&pool->lock, flags);
    return n;
}

void paging_pool_stats(struct paging_pool *pool, struct paging_pool_stats *st)
{
    unsigned long flags = spin_lock_irqsave(&pool->lock);

    st->total = pool->nr_total;
    st->free = pool->nr_free;
    st->used = pool->nr_total - pool->nr_free;
    st->peak_used = pool->peak_used;
    st->nr_failed = pool->nr_failed;
    st->sealed = pool->sealed;
    spin_unlock_irqrestore(&pool->lock, flags);
}

/* Fact (Xen 4.17.0, xen/arch/arm/domain_build.c, domain_p2m_pages(), used
 * by construct_domU() when xen,domain-p2m-mem-mb is absent):
 *     memkb = 4 * (256 * smp_cpus + (maxmem_kb / 1024) + 128);
 *     pages = DIV_ROUND_UP(memkb, 1024) << (20 - PAGE_SHIFT);
 * i.e. 256 pages (1 MiB) per vCPU, one page per whole MiB of RAM, 128 pages
 * (512 KiB) for the extended regions, rounded up to a whole MiB. maxmem_kb
 * is the `memory` property (KiB); whole MiB of ram_bytes is the same
 * number, as ram_bytes = maxmem_kb * 1024. */
uint64_t p2m_default_pool_pages(uint64_t ram_bytes, unsigned int nr_vcpus)
{
    uint64_t ram_mib = ram_bytes >> 20;
    uint64_t kib = 4U * ((256U * (uint64_t)nr_vcpus) + ram_mib + 128U);
    uint64_t mib = (kib + 1023U) / 1024U;

    return mib << (20U - PAGE_SHIFT);
}
