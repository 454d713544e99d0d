/* Paging pool: the pages a domain's stage-2 tables may use, set aside when
 * the domain is created (Xen 4.17's "P2M pool", sized by the dom0less
 * property xen,domain-p2m-mem-mb).
 *
 * Why a pool: table pages are needed at awkward times (a guest's grant map,
 * a block split on unmap), and a domain must never be able to use them to
 * drain the page allocator or starve another domain. So every page a
 * domain's tables will ever use is taken from the page allocator up front;
 * afterwards the domain can only reuse its own pages, and running out is
 * -ENOMEM for that domain alone.
 *
 * Life cycle: paging_pool_init() (empty), paging_pool_resize() while the
 * domain is being built, paging_pool_seal() when it first runs (resizing is
 * refused from then on), paging_pool_teardown() when it dies, which returns
 * every page to the page allocator.
 *
 * Pages handed out by paging_pool_take() are zeroed. While a page is taken,
 * its struct page_info next/prev fields belong to the taker (for its own
 * lists); the pool keeps an ownership tag in page_info.u, so a page given
 * back to the wrong pool, or twice, is caught (panic: a hypervisor bug).
 *
 * Each pool has its own lock; the p2m also serialises its own use.
 */
#ifndef PROXENOS_PAGING_POOL_H
#define PROXENOS_PAGING_POOL_H

#include <proxenos/types.h>
#include <proxenos/page_alloc.h>
#include <proxenos/spinlock.h>

struct paging_pool {
    spinlock_t lock;
    struct page_list free_list;  /* pages not handed out */
    uint64_t nr_total;          /* pages owned: free + taken */
    uint64_t nr_free;           /* pages on free_list */
    uint64_t peak_used;         /* most pages ever taken at once */
    uint64_t nr_failed;         /* paging_pool_take calls that found none */
    bool sealed;                /* the domain runs: size fixed */
};

/* An empty, unsealed pool. */
void paging_pool_init(struct paging_pool *pool);

/* Make the pool own exactly pages pages. Growing takes order-0 pages from
 * the page allocator and is all or nothing: -ENOMEM leaves the pool as it
 * was. Shrinking returns free pages; -EBUSY if more than pages pages are
 * taken. -EPERM once sealed. */
int paging_pool_resize(struct paging_pool *pool, uint64_t pages);

/* The domain is built: its pool size is final. */
void paging_pool_seal(struct paging_pool *pool);

/* A zeroed page, or INVALID_MFN when the pool is empty (never falls back
 * on the page allocator). */
mfn_t paging_pool_take(struct paging_pool *pool);

/* Return a page from paging_pool_take of this pool. */
void paging_pool_give_back(struct paging_pool *pool, mfn_t m);

/* Give every page back to the page allocator and leave an empty, unsealed
 * pool. All taken pages must have been given back (panics otherwise). */
void paging_pool_teardown(struct paging_pool *pool);

uint64_t paging_pool_total(struct paging_pool *pool);
uint64_t paging_pool_free(struct paging_pool *pool);

struct paging_pool_stats {
    uint64_t total;
    uint64_t free;
    uint64_t used;
    uint64_t peak_used;
    uint64_t nr_failed;
    bool sealed;
};

void paging_pool_stats(struct paging_pool *pool, struct paging_pool_stats *st);

/* Xen 4.17's default pool size, in pages, for a dom0less domain with
 * ram_bytes of RAM and nr_vcpus vCPUs when xen,domain-p2m-mem-mb is absent:
 * 1 MiB per vCPU + 4 KiB per (whole) MiB of RAM + 512 KiB, rounded up to a
 * whole MiB. */
uint64_t p2m_default_pool_pages(uint64_t ram_bytes, unsigned int nr_vcpus);

#endif
