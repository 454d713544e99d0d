/* Reading a domain's stage 2: what a gfn maps to, whether a range maps
 * anything, and the statistics the 'm' debug key prints. Changes are in
 * p2m.c. */
#include <asm/p2m.h>
#include "p2m_desc.h"
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/printk.h>

int p2m_lookup(struct p2m_domain *p2m, gfn_t gfn, mfn_t *mfn_out, enum p2m_type *t,
               unsigned int *order)
{
    uint64_t g = gfn_x(gfn);
    unsigned long flags;
    const s2_pte_t *table;
    unsigned int l;
    int rc = -ENOENT;

    if (!p2m->ready || !range_ok(g, 1U, p2m_geo.ipa_bits)) {
        return -EINVAL;
    }
    flags = spin_lock_irqsave(&p2m->lock);
    table = root_va(p2m);
    for (l = p2m_geo.root_level; l <= LEAF_LEVEL; l++) {
        s2_pte_t d = table[index_at(g, l)];

        if (!desc_valid(d)) {
            break;
        }
        if (desc_is_table(d, l)) {
            table = table_va(d);
            continue;
        }
        if (mfn_out != NULL) {
            *mfn_out = mfn(((d & S2_OA_MASK) >> PAGE_SHIFT) + (g & (level_pages(l) - 1U)));
        }
        if (t != NULL) {
            *t = (enum p2m_type)((d & S2_SW_MASK) >> S2_SW_SHIFT);
        }
        if (order != NULL) {
            *order = 9U * (LEAF_LEVEL - l);
        }
        rc = 0;
        break;
    }
    spin_unlock_irqrestore(&p2m->lock, flags);
    return rc;
}

bool p2m_range_unmapped(struct p2m_domain *p2m, gfn_t first, uint64_t nr_pages)
{
    uint64_t g = gfn_x(first);
    uint64_t end;
    unsigned long flags;
    bool empty = true;

    if (!p2m->ready || !range_ok(g, nr_pages, p2m_geo.ipa_bits)) {
        return false;
    }
    end = g + nr_pages;
    flags = spin_lock_irqsave(&p2m->lock);
    /* One walk per entry met, not per page: an invalid entry at any level
     * vouches for everything it covers. */
    while (empty && (g < end)) {
        const s2_pte_t *table = root_va(p2m);
        unsigned int l = p2m_geo.root_level;
        s2_pte_t d = table[index_at(g, l)];

        while (desc_is_table(d, l)) {
            table = table_va(d);
            l++;
            d = table[index_at(g, l)];
        }
        empty = !desc_valid(d);
        g = (g | (level_pages(l) - 1U)) + 1U;
    }
    spin_unlock_irqrestore(&p2m->lock, flags);
    return empty;
}

void p2m_get_stats(struct p2m_domain *p2m, struct p2m_stats *st)
{
    unsigned long flags = spin_lock_irqsave(&p2m->lock);

    *st = p2m->stats;
    spin_unlock_irqrestore(&p2m->lock, flags);
}

void p2m_dump(struct p2m_domain *p2m)
{
    struct paging_pool_stats ps;
    struct p2m_stats st;
    uint64_t mapped;

    if (!p2m->ready) {
        pr_info("    p2m: none\n");
        return;
    }
    p2m_get_stats(p2m, &st);
    paging_pool_stats(&p2m->pool, &ps);
    mapped = (st.leaves[1] * level_pages(1U)) + (st.leaves[2] * level_pages(2U)) + st.leaves[3];
    pr_info("    p2m: vmid %u vttbr %#llx ipa %u bits, %llu KiB mapped\n", (unsigned int)p2m->vmid,
            (unsigned long long)p2m->vttbr, p2m_geo.ipa_bits,
            (unsigned long long)(mapped * (PAGE_SIZE / 1024U)));
    pr_info("    p2m: leaves 1G %llu 2M %llu 4K %llu; tables %llu (+%u root), splits %llu, "
            "flushes %llu, refused %llu\n",
            (unsigned long long)st.leaves[1], (unsigned long long)st.leaves[2],
            (unsigned long long)st.leaves[3], (unsigned long long)st.tables,
            1U << p2m_geo.root_order, (unsigned long long)st.splits,
            (unsigned long long)st.flushes, (unsigned long long)st.nr_enomem);
    pr_info("    p2m pool: %llu pages, %llu free, peak %llu used, %llu failed%s\n",
            (unsigned long long)ps.total, (unsigned long long)ps.free,
            (unsigned long long)ps.peak_used, (unsigned long long)ps.nr_failed,
            ps.sealed ? ", sealed" : "");
}
