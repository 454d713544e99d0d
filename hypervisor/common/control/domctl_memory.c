/* A domain's memory as the toolstack manages it: its limit (max_mem), its
 * stage-2 paging pool, cache maintenance over its RAM, and its address
 * size. */
#include "control.h"
#include <proxenos/arch/domain.h>
#include <proxenos/errno.h>

/* Xen on Arm's MAX_ORDER: the most frames one cacheflush may name. */
#define CACHEFLUSH_MAX_FRAMES (1ULL << 18)

long domctl_max_mem(struct xen_domctl *op, struct domain *d, const struct control_caller *c)
{
    /* Xen keeps the limit in 32 bits of pages and does not refuse a limit
     * below what the domain holds: it then gets no more memory until it
     * has given enough back. */
    uint64_t pages = MIN(op->u.max_mem.max_memkb >> (PAGE_SHIFT - 10U), (uint64_t)UINT32_MAX);
    unsigned long flags;

    (void)c;
    flags = spin_lock_irqsave(&d->lock);
    d->max_pages = pages;
    spin_unlock_irqrestore(&d->lock, flags);
    return 0;
}

long domctl_get_paging_mempool_size(struct xen_domctl *op, struct domain *d,
                                    const struct control_caller *c)
{
    (void)c;
    op->u.paging_mempool.size = arch_paging_pool_pages(d) << PAGE_SHIFT;
    return 0;
}

long domctl_set_paging_mempool_size(struct xen_domctl *op, struct domain *d,
                                    const struct control_caller *c)
{
    uint64_t size = op->u.paging_mempool.size;

    (void)c;
    if ((size & (PAGE_SIZE - 1U)) != 0U) {
        return -EINVAL;
    }
    return arch_paging_pool_resize(d, size >> PAGE_SHIFT);
}

long domctl_cacheflush(struct xen_domctl *op, struct domain *d, const struct control_caller *c)
{
    uint64_t start = op->u.cacheflush.start_pfn;
    uint64_t nr = op->u.cacheflush.nr_pfns;

    (void)c;
    if ((nr > CACHEFLUSH_MAX_FRAMES) || ((start + nr) < start)) {
        return -EINVAL;
    }
    arch_guest_cache_flush(d, gfn(start), nr);
    return 0;
}

long domctl_set_address_size(struct xen_domctl *op, struct domain *d,
                             const struct control_caller *c)
{
    (void)c;
    switch (op->u.address_size.size) {
    case 64U:
        /* Xen switches the domain to 64-bit, which it already is here,
         * and refuses that once the domain has memory. */
        return (d->tot_pages != 0U) ? -EBUSY : 0;
    case 32U:
        /* Proxenos runs 64-bit guests only: Xen's answer on a CPU
         * without AArch32 at EL1. */
        return -EINVAL;
    default:
        return -EINVAL;
    }
}
