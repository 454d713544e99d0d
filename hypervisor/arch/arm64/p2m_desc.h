/* The stage-2 descriptor format and table indexing, shared by the files
 * that change the tables (p2m.c) and read them (p2m_query.c). Internal to
 * arch/arm64: the rest of the hypervisor uses asm/p2m.h. */
#ifndef ARM64_P2M_DESC_H
#define ARM64_P2M_DESC_H

#include <asm/p2m.h>
#include <proxenos/arch/mm.h>

typedef uint64_t s2_pte_t;

#define LEAF_LEVEL      3U
#define NR_LEVELS       4U
#define TABLE_ENTRIES   512U

/* The geometry every p2m uses (p2m_configure). */
extern struct p2m_geometry p2m_geo;

/* Guest pages one entry at level covers: 2^18, 2^9 or 1 at levels 1-3. */
static inline uint64_t level_pages(unsigned int level)
{
    return 1ULL << (9U * (LEAF_LEVEL - level));
}

static inline uint64_t root_entries(void)
{
    return (uint64_t)TABLE_ENTRIES << p2m_geo.root_order;
}

static inline unsigned int index_at(uint64_t gfn, unsigned int level)
{
    uint64_t nr = (level == p2m_geo.root_level) ? root_entries() : TABLE_ENTRIES;

    return (unsigned int)((gfn / level_pages(level)) & (nr - 1U));
}

static inline bool desc_valid(s2_pte_t d)
{
    return (d & S2_VALID) != 0U;
}

static inline bool desc_is_table(s2_pte_t d, unsigned int level)
{
    return (level < LEAF_LEVEL) && ((d & S2_DESC_MASK) == S2_TABLE);
}

static inline s2_pte_t *table_va(paddr_t pa)
{
    return (s2_pte_t *)arch_maddr_to_virt(pa & S2_OA_MASK);
}

static inline s2_pte_t *root_va(const struct p2m_domain *p2m)
{
    return table_va(mfn_to_paddr(p2m->root));
}

static inline bool range_ok(uint64_t first, uint64_t nr, unsigned int bits)
{
    uint64_t limit = 1ULL << (bits - PAGE_SHIFT);

    return (first < limit) && (nr <= (limit - first));
}

#endif
