/* The arm64 side of the toolstack's domain commands (domctl): the stage-2
 * paging pool (sealed when the build ends) and data-cache maintenance over
 * a guest's memory. */
#include <asm/domain.h>
#include <asm/p2m.h>
#include <asm/sysregs.h>
#include <proxenos/arch/domain.h>
#include <proxenos/arch/mm.h>
#include <proxenos/errno.h>

uint64_t arch_paging_pool_pages(struct domain *d)
{
    return paging_pool_total(&d->arch->p2m.pool);
}

void arch_domain_creation_finished(struct domain *d)
{
    /* The toolstack sized the pool while building (set_paging_mempool_size);
     * from now on the domain lives with what it has. */
    p2m_pool_seal(&d->arch->p2m);
}

int arch_paging_pool_resize(struct domain *d, uint64_t pages)
{
    int rc = p2m_pool_resize(&d->arch->p2m, pages);

    /* Xen on Arm cannot shrink past the pages in use either, and says
     * -ENOMEM for it. */
    return (rc == -EBUSY) ? -ENOMEM : rc;
}

/* Bytes per data cache line: CTR_EL0.DminLine is log2 of the words in the
 * smallest line of any data or unified cache. */
static uint64_t dcache_line(void)
{
    return 4ULL << ((READ_SYSREG(ctr_el0) >> 16) & 0xfU);
}

static void flush_page(mfn_t m, uint64_t line)
{
    uintptr_t va = (uintptr_t)arch_maddr_to_virt(mfn_to_paddr(m));

    for (uintptr_t p = va; p < (va + PAGE_SIZE); p += line) {
        __asm__ volatile("dc civac, %0" :: "r"(p) : "memory");
    }
}

static bool is_memory(enum p2m_type t)
{
    return (t == P2M_RAM_RW) || (t == P2M_RAM_RO) || (t == P2M_GRANT_RW) ||
           (t == P2M_GRANT_RO) || (t == P2M_FOREIGN_RW) || (t == P2M_FOREIGN_RO) ||
           (t == P2M_STATIC_SHM);
}

void arch_guest_cache_flush(struct domain *d, gfn_t first, uint64_t nr)
{
    uint64_t line = dcache_line();
    uint64_t g = gfn_x(first);
    uint64_t end = g + nr;

    while (g < end) {
        enum p2m_type t = P2M_INVALID;
        unsigned int order = 0U;
        mfn_t m = INVALID_MFN;
        /* One lookup per leaf: a block maps 2^order frames from its start. */
        bool mapped = (p2m_lookup(&d->arch->p2m, gfn(g), &m, &t, &order) == 0);
        uint64_t leaf_end = (g | ((1ULL << order) - 1U)) + 1U;
        uint64_t stop = MIN(end, leaf_end);

        if (!mapped) {
            /* Nothing here (or beyond the IPA size): the next 4 KiB. */
            stop = g + 1U;
        } else if (is_memory(t)) {
            for (uint64_t f = g; f < stop; f++) {
                flush_page(mfn(mfn_x(m) + (f - g)), line);
            }
        } else {
            /* device memory: not ours to clean */
        }
        g = stop;
    }
    dsb_sy();
}
