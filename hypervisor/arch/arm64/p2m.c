/* Stage-2 translation tables: building, changing and reading a domain's
 * IPA -> PA map (see asm/p2m.h for the shape and the rules). Plain C: the
 * system register and TLB work is in p2m_hw.c, the per-CPU set-up in
 * p2m_cpu_init.c.
 *
 * A change that might need more table pages than the pool holds walks the
 * tables twice. The first walk (a dry run) only counts the pages the change
 * will take; if the pool has fewer free, the change is refused with -ENOMEM
 * before anything is written. The second walk makes the change, and cannot
 * run out. Walks are loops over levels (no recursion): the depth is at most
 * four. Reading the tables (lookups, statistics) is in p2m_query.c. */
#include <asm/p2m.h>
#include "p2m_desc.h"
#include <proxenos/arch/mm.h>
#include <proxenos/arch/p2m.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/page_alloc.h>
#include <proxenos/printk.h>

struct p2m_geometry p2m_geo;
static bool geo_set;
static unsigned int nr_live;    /* initialised p2ms: the geometry is fixed while any exist */

/* One map or unmap, dry run or real. */
struct p2m_op {
    bool dry_run;
    uint64_t tables_needed;         /* dry run: pool pages the real run will take */
    uint64_t memo_base[NR_LEVELS];  /* dry run: first gfn of the last table counted per level */
    bool memo_set[NR_LEVELS];
    struct page_list deferred;      /* unlinked table pages, for the pool after a flush */
    bool flush_pending;             /* entries invalidated since the last flush */
};

/* ---- Geometry ----------------------------------------------------------- */

/* Per ID_AA64MMFR0_EL1.PARange encoding: physical address bits. */
static const unsigned int parange_bits[] = { 32U, 36U, 40U, 42U, 44U, 48U, 52U };

int p2m_configure(unsigned int parange)
{
    unsigned int ipa_enc;
    unsigned int pa_enc;

    if (parange >= ARRAY_SIZE(parange_bits)) {
        return -EINVAL;
    }
    if (__atomic_load_n(&nr_live, __ATOMIC_ACQUIRE) != 0U) {
        return -EBUSY;
    }
    /* Output addresses: all the CPU has, but 48 bits at most (52-bit
     * output needs FEAT_LPA2 descriptors, which we do not use). */
    pa_enc = MIN(parange, PARANGE_48);
    /* Input (IPA): at most 40 bits, never more than the CPU's PA size. */
    ipa_enc = MIN(parange, PARANGE_40);
    p2m_geo.ipa_bits = parange_bits[ipa_enc];
    p2m_geo.pa_bits = parange_bits[pa_enc];
    p2m_geo.parange = pa_enc;
    /* Level 1 resolves IPA bits [38:30] from one table; a 40-bit IPA needs
     * IPA bit 39 too, so two level-1 tables are concatenated (1024
     * entries, VTTBR aligned to 8 KiB). 32 and 36 bits fit in one. The
     * combinations (T0SZ 32/28/24 with SL0 = 1) are within the Arm ARM's
     * limits for a 4 KiB granule stage 2 starting at level 1. */
    p2m_geo.root_level = 1U;
    p2m_geo.root_order = (p2m_geo.ipa_bits > 39U) ? (p2m_geo.ipa_bits - 39U) : 0U;
    p2m_geo.t0sz = 64U - p2m_geo.ipa_bits;
    p2m_geo.sl0 = 1U;
    geo_set = true;
    return 0;
}

bool p2m_configured(void)
{
    return geo_set;
}

const struct p2m_geometry *p2m_geometry(void)
{
    return &p2m_geo;
}

unsigned int arch_guest_ipa_bits(void)
{
    return p2m_geo.ipa_bits;
}

uint64_t p2m_vtcr(bool vmid16)
{
    uint64_t v = VTCR_RES1 | VTCR_T0SZ(p2m_geo.t0sz) | VTCR_SL0(p2m_geo.sl0) | VTCR_IRGN0_WBWA |
                 VTCR_ORGN0_WBWA | VTCR_SH0_INNER | VTCR_TG0_4K | VTCR_PS(p2m_geo.parange);

    if (vmid16) {
        v |= VTCR_VS;
    }
    return v;
}

/* ---- Descriptors and indexing --------------------------------------------- */

/* A single 64-bit store: a walker never sees half a descriptor. */
static void write_entry(s2_pte_t *e, s2_pte_t d)
{
    WRITE_ONCE(*e, d);
}

static s2_pte_t type_attrs(enum p2m_type t)
{
    s2_pte_t ram = S2_MEMATTR(S2_MEMATTR_NORMAL_WB) | S2_SH_INNER | S2_AF;
    s2_pte_t a;

    switch (t) {
    case P2M_RAM_RW:
        a = ram | S2_AP_RW;
        break;
    case P2M_RAM_RO:
        a = ram | S2_AP_RO;
        break;
    case P2M_MMIO_DEVICE:
        /* SH is ignored for Device memory: left 0. */
        a = S2_MEMATTR(S2_MEMATTR_DEVICE_nGnRE) | S2_AP_RW | S2_AF | S2_XN;
        break;
    case P2M_MMIO_NC:
        a = S2_MEMATTR(S2_MEMATTR_NORMAL_NC) | S2_SH_INNER | S2_AF | S2_AP_RW | S2_XN;
        break;
    case P2M_GRANT_RO:
    case P2M_FOREIGN_RO:
        /* Another domain's page: data, never code. */
        a = ram | S2_AP_RO | S2_XN;
        break;
    case P2M_GRANT_RW:
    case P2M_FOREIGN_RW:
    case P2M_STATIC_SHM:
        a = ram | S2_AP_RW | S2_XN;
        break;
    default:
        /* p2m_map refuses other types; no access at all if one slipped by. */
        a = 0U;
        break;
    }
    return a | ((s2_pte_t)t << S2_SW_SHIFT);
}

static s2_pte_t leaf_desc(uint64_t mfn_nr, unsigned int level, enum p2m_type t)
{
    s2_pte_t kind = (level == LEAF_LEVEL) ? S2_PAGE : S2_BLOCK;

    return ((mfn_nr << PAGE_SHIFT) & S2_OA_MASK) | type_attrs(t) | kind;
}

/* ---- Table pages ------------------------------------------------------------ */

static void flush(struct p2m_domain *p2m, struct p2m_op *op)
{
    p2m_flush_tlb(p2m);
    p2m->stats.flushes++;
    op->flush_pending = false;
}

/* A table page is no longer linked: it goes back to the pool only after a
 * TLB flush, as a walker may still hold it in its walk cache. */
static void defer_table(struct p2m_domain *p2m, struct p2m_op *op, paddr_t pa)
{
    page_list_push(&op->deferred, mfn_to_page(paddr_to_mfn(pa & S2_OA_MASK)));
    p2m->stats.tables--;
    op->flush_pending = true;
}

/* The tables below a table descriptor of level (already unlinked): every
 * table page deferred, every leaf uncounted. Depth-first with an explicit
 * stack of (table, next index) per level. */
static void defer_subtree(struct p2m_domain *p2m, struct p2m_op *op, s2_pte_t desc,
                          unsigned int level)
{
    s2_pte_t *tables[NR_LEVELS];
    paddr_t pas[NR_LEVELS];
    unsigned int next[NR_LEVELS];
    unsigned int top = level + 1U;
    unsigned int l = top;

    pas[l] = desc & S2_OA_MASK;
    tables[l] = table_va(pas[l]);
    next[l] = 0U;
    for (;;) {
        s2_pte_t d;

        if (next[l] == TABLE_ENTRIES) {
            defer_table(p2m, op, pas[l]);
            if (l == top) {
                break;
            }
            l--;
            continue;
        }
        d = tables[l][next[l]];
        next[l]++;
        if (!desc_valid(d)) {
            continue;
        }
        if (desc_is_table(d, l)) {
            l++;
            pas[l] = d & S2_OA_MASK;
            tables[l] = table_va(pas[l]);
            next[l] = 0U;
        } else {
            p2m->stats.leaves[l]--;
        }
    }
}

/* Dry run: the walk needs a table at level (one that maps the entry of
 * level - 1 containing gfn) that does not exist yet. Walks go up in
 * address, so the same new table is only met again right after. */
static void count_table(struct p2m_op *op, unsigned int level, uint64_t gfn)
{
    uint64_t base = gfn & ~(level_pages(level - 1U) - 1U);

    if (!op->memo_set[level] || (op->memo_base[level] != base)) {
        op->memo_set[level] = true;
        op->memo_base[level] = base;
        op->tables_needed++;
    }
}

/* Make *e (at level) point to a table of level + 1: empty if *e was
 * invalid, or mapping exactly what the block *e mapped (a split, with
 * break-before-make). Returns the new table. */
static s2_pte_t *install_table(struct p2m_domain *p2m, struct p2m_op *op, s2_pte_t *e,
                               unsigned int level)
{
    mfn_t t = paging_pool_take(&p2m->pool);
    s2_pte_t old = *e;
    s2_pte_t *table;

    /* The dry run made sure the pool has enough. */
    BUG_ON(mfn_eq(t, INVALID_MFN));
    table = table_va(mfn_to_paddr(t));
    p2m->stats.tables++;
    if (desc_valid(old)) {
        unsigned int sub = level + 1U;
        s2_pte_t attrs = old & ~(S2_OA_MASK | S2_DESC_MASK | S2_CONTIG);
        s2_pte_t kind = (sub == LEAF_LEVEL) ? S2_PAGE : S2_BLOCK;
        paddr_t pa = old & S2_OA_MASK;
        paddr_t step = level_pages(sub) << PAGE_SHIFT;
        unsigned int i;

        for (i = 0U; i < TABLE_ENTRIES; i++) {
            table[i] = (pa + ((paddr_t)i * step)) | attrs | kind;
        }
        p2m->stats.leaves[level]--;
        p2m->stats.leaves[sub] += TABLE_ENTRIES;
        p2m->stats.splits++;
        p2m_tables_sync();
        write_entry(e, 0U);
        flush(p2m, op);
    } else {
        p2m_tables_sync();
    }
    write_entry(e, mfn_to_paddr(t) | S2_TABLE);
    return table;
}

/* Whether table maps nothing, just after its entry at cleared was
 * cleared. The neighbours are looked at first: a run is unmapped in
 * order (privcmd, the balloon), so one of them usually still maps
 * something, and the full scan happens about once per table instead of
 * once per page, which made every unmap cost a walk over the table. */
static bool table_empty(const s2_pte_t *table, const s2_pte_t *cleared)
{
    size_t at = (size_t)(cleared - table);
    unsigned int i;

    if (((at + 1U) < TABLE_ENTRIES) && desc_valid(table[at + 1U])) {
        return false;
    }
    if ((at > 0U) && desc_valid(table[at - 1U])) {
        return false;
    }
    for (i = 0U; i < TABLE_ENTRIES; i++) {
        if (desc_valid(table[i])) {
            return false;
        }
    }
    return true;
}

static void op_start(struct p2m_op *op, bool dry_run)
{
    unsigned int i;

    op->dry_run = dry_run;
    op->tables_needed = 0U;
    for (i = 0U; i < NR_LEVELS; i++) {
        op->memo_base[i] = 0U;
        op->memo_set[i] = false;
    }
    op->deferred.first = NULL;
    op->flush_pending = false;
}

/* Flush if entries were invalidated without one, then hand the unlinked
 * table pages back to the pool, and publish the new entries. */
static void op_finish(struct p2m_domain *p2m, struct p2m_op *op)
{
    if (op->flush_pending) {
        flush(p2m, op);
    }
    while (!page_list_empty(&op->deferred)) {
        struct page_info *pg = op->deferred.first;

        page_list_remove(&op->deferred, pg);
        paging_pool_give_back(&p2m->pool, page_to_mfn(pg));
    }
    p2m_tables_sync();
}

/* ---- Map ------------------------------------------------------------------- */

/* The level of the largest leaf that can map gfn..: both frame numbers
 * aligned to it and at least that many pages left. */
static unsigned int leaf_level_for(uint64_t gfn, uint64_t mfn_nr, uint64_t nr)
{
    unsigned int l;

    for (l = p2m_geo.root_level; l < LEAF_LEVEL; l++) {
        uint64_t span = level_pages(l);

        if ((((gfn | mfn_nr) & (span - 1U)) == 0U) && (nr >= span)) {
            break;
        }
    }
    return l;
}

/* Write leaf desc into *e, replacing what was there (break-before-make);
 * a table it replaces is freed with everything below it. */
static void set_leaf(struct p2m_domain *p2m, struct p2m_op *op, s2_pte_t *e,
                     unsigned int level, s2_pte_t desc)
{
    s2_pte_t old = *e;

    if (old == desc) {
        return;
    }
    if (desc_valid(old)) {
        write_entry(e, 0U);
        if (desc_is_table(old, level)) {
            defer_subtree(p2m, op, old, level);
        } else {
            p2m->stats.leaves[level]--;
        }
        flush(p2m, op);
    }
    write_entry(e, desc);
    p2m->stats.leaves[level]++;
}

/* d, a descriptor at level above the leaf level wanted, is a block that
 * already maps gfn to mfn_nr with type t. */
static bool block_maps(s2_pte_t d, unsigned int level, uint64_t gfn, uint64_t mfn_nr,
                       enum p2m_type t)
{
    uint64_t off = gfn & (level_pages(level) - 1U);

    return desc_valid(d) && !desc_is_table(d, level) && (mfn_nr >= off) &&
           (d == leaf_desc(mfn_nr - off, level, t));
}

/* Map one leaf at level for gfn (dry run: count the tables on the way). */
static void map_one(struct p2m_domain *p2m, struct p2m_op *op, uint64_t gfn, uint64_t mfn_nr,
                    unsigned int level, enum p2m_type t)
{
    s2_pte_t *table = root_va(p2m);
    unsigned int l = p2m_geo.root_level;
    bool virtual_table = false;     /* dry run: below here nothing exists yet */

    while (l < level) {
        s2_pte_t *e = virtual_table ? NULL : &table[index_at(gfn, l)];

        if ((e != NULL) && block_maps(*e, l, gfn, mfn_nr, t)) {
            return;     /* already mapped exactly so: no split */
        }
        if ((e != NULL) && desc_is_table(*e, l)) {
            table = table_va(*e);
        } else if (op->dry_run) {
            virtual_table = true;
            count_table(op, l + 1U, gfn);
        } else {
            table = install_table(p2m, op, e, l);
        }
        l++;
    }
    if (!op->dry_run) {
        set_leaf(p2m, op, &table[index_at(gfn, level)], level, leaf_desc(mfn_nr, level, t));
    }
}

static void map_walk(struct p2m_domain *p2m, struct p2m_op *op, uint64_t gfn, uint64_t mfn_nr,
                     uint64_t nr, enum p2m_type t)
{
    while (nr > 0U) {
        unsigned int level = leaf_level_for(gfn, mfn_nr, nr);
        uint64_t span = level_pages(level);

        map_one(p2m, op, gfn, mfn_nr, level, t);
        gfn += span;
        mfn_nr += span;
        nr -= span;
    }
}

/* ---- Unmap ------------------------------------------------------------------ */

/* After an unmap step that ended at gfn end: tables on the path (deepest
 * first) that the walk is leaving for good and that are now empty are
 * unlinked from their parent. A table still holding anything keeps its
 * parents busy too. */
static void reclaim_tables(struct p2m_domain *p2m, struct p2m_op *op,
                           s2_pte_t *const entries[], s2_pte_t *const tables[],
                           unsigned int deepest, uint64_t end, bool last)
{
    unsigned int l;

    for (l = deepest; l > p2m_geo.root_level; l--) {
        uint64_t covered = level_pages(l - 1U);
        s2_pte_t parent = *entries[l - 1U];

        if ((!last && ((end & (covered - 1U)) != 0U)) || !table_empty(tables[l], entries[l])) {
            break;
        }
        write_entry(entries[l - 1U], 0U);
        defer_table(p2m, op, parent);
    }
}

/* Unmap what maps gfn, at most nr pages of it; returns the pages handled
 * (cleared or found unmapped). */
static uint64_t unmap_step(struct p2m_domain *p2m, struct p2m_op *op, uint64_t gfn, uint64_t nr)
{
    s2_pte_t *entries[NR_LEVELS] = { NULL };
    s2_pte_t *tables[NR_LEVELS] = { NULL };
    s2_pte_t *table = root_va(p2m);
    unsigned int l = p2m_geo.root_level;
    bool virtual_block = false;     /* dry run: this level holds split copies */
    uint64_t done;

    for (;;) {
        uint64_t span = level_pages(l);
        uint64_t off = gfn & (span - 1U);
        bool whole = (off == 0U) && (nr >= span);
        s2_pte_t *e;

        if (virtual_block) {
            if (whole) {
                done = span;
                break;
            }
            count_table(op, l + 1U, gfn);
            l++;
            continue;
        }
        e = &table[index_at(gfn, l)];
        tables[l] = table;
        entries[l] = e;
        if (!desc_valid(*e)) {
            done = MIN(nr, span - off);
            break;
        }
        if (desc_is_table(*e, l)) {
            table = table_va(*e);
            l++;
            continue;
        }
        if (whole) {
            if (!op->dry_run) {
                write_entry(e, 0U);
                p2m->stats.leaves[l]--;
                op->flush_pending = true;
            }
            done = span;
            break;
        }
        /* A block only partly unmapped: split it and go one level down. */
        if (op->dry_run) {
            virtual_block = true;
            count_table(op, l + 1U, gfn);
        } else {
            table = install_table(p2m, op, e, l);
        }
        l++;
    }
    if (!op->dry_run) {
        reclaim_tables(p2m, op, entries, tables, l, gfn + done, done == nr);
    }
    return done;
}

static void unmap_walk(struct p2m_domain *p2m, struct p2m_op *op, uint64_t gfn, uint64_t nr)
{
    while (nr > 0U) {
        uint64_t done = unmap_step(p2m, op, gfn, nr);

        gfn += done;
        nr -= done;
    }
}

/* ---- Public operations ------------------------------------------------------- */

/* At most how many tables a change of gfn .. gfn + nr - 1 can add: at
 * each level below the root, one per entry of the level above that the
 * range touches. */
static uint64_t tables_bound(uint64_t gfn, uint64_t nr)
{
    uint64_t last = gfn + nr - 1U;
    uint64_t bound = 0U;
    unsigned int l;

    for (l = p2m_geo.root_level; l < LEAF_LEVEL; l++) {
        bound += (last / level_pages(l)) - (gfn / level_pages(l)) + 1U;
    }
    return bound;
}

/* One walk over the change, a dry run or the real thing. */
static void walk(struct p2m_domain *p2m, struct p2m_op *op, bool dry_run, bool map, uint64_t gfn,
                 uint64_t mfn_nr, uint64_t nr, enum p2m_type t)
{
    op_start(op, dry_run);
    if (map) {
        map_walk(p2m, op, gfn, mfn_nr, nr, t);
    } else {
        unmap_walk(p2m, op, gfn, nr);
    }
}

/* Dry run, then the real thing if the pool suffices. The dry run is
 * skipped when the pool holds more than the change could ever take (the
 * usual case for single pages: privcmd, grants, the balloon), since all
 * it would learn is that the change fits. Called locked. */
static int change(struct p2m_domain *p2m, bool map, uint64_t gfn, uint64_t mfn_nr, uint64_t nr,
                  enum p2m_type t)
{
    struct p2m_op op;

    if (tables_bound(gfn, nr) > paging_pool_free(&p2m->pool)) {
        walk(p2m, &op, true, map, gfn, mfn_nr, nr, t);
        if (op.tables_needed > paging_pool_free(&p2m->pool)) {
            p2m->stats.nr_enomem++;
            return -ENOMEM;
        }
    }
    walk(p2m, &op, false, map, gfn, mfn_nr, nr, t);
    op_finish(p2m, &op);
    return 0;
}

int p2m_map(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn, uint64_t nr_pages, enum p2m_type t)
{
    unsigned long flags;
    int rc;

    if (!p2m->ready || (t == P2M_INVALID) || ((unsigned int)t >= (unsigned int)P2M_NR_TYPES) ||
        !range_ok(gfn_x(gfn), nr_pages, p2m_geo.ipa_bits) ||
        !range_ok(mfn_x(mfn), nr_pages, p2m_geo.pa_bits)) {
        return -EINVAL;
    }
    if (nr_pages == 0U) {
        return 0;
    }
    flags = spin_lock_irqsave(&p2m->lock);
    rc = change(p2m, true, gfn_x(gfn), mfn_x(mfn), nr_pages, t);
    spin_unlock_irqrestore(&p2m->lock, flags);
    return rc;
}

int p2m_unmap(struct p2m_domain *p2m, gfn_t gfn, uint64_t nr_pages)
{
    unsigned long flags;
    int rc;

    if (!p2m->ready || !range_ok(gfn_x(gfn), nr_pages, p2m_geo.ipa_bits)) {
        return -EINVAL;
    }
    if (nr_pages == 0U) {
        return 0;
    }
    flags = spin_lock_irqsave(&p2m->lock);
    rc = change(p2m, false, gfn_x(gfn), 0U, nr_pages, P2M_INVALID);
    spin_unlock_irqrestore(&p2m->lock, flags);
    return rc;
}

/* ---- Life cycle -------------------------------------------------------------- */

int p2m_init(struct p2m_domain *p2m, uint64_t pool_pages)
{
    uint16_t vmid = 0U;
    unsigned int i;
    int rc;

    BUG_ON(!geo_set);
    spin_lock_init(&p2m->lock);
    p2m->ready = false;
    p2m->vmid = 0U;
    p2m->vttbr = 0U;
    p2m->root = INVALID_MFN;
    for (i = 0U; i < NR_LEVELS; i++) {
        p2m->stats.leaves[i] = 0U;
    }
    p2m->stats.tables = 0U;
    p2m->stats.splits = 0U;
    p2m->stats.flushes = 0U;
    p2m->stats.nr_enomem = 0U;
    paging_pool_init(&p2m->pool);

    rc = vmid_alloc(&vmid);
    if (rc != 0) {
        return rc;
    }
    rc = paging_pool_resize(&p2m->pool, pool_pages);
    if (rc == 0) {
        p2m->root = alloc_pages(p2m_geo.root_order, ALLOC_ZERO);
        if (mfn_eq(p2m->root, INVALID_MFN)) {
            paging_pool_teardown(&p2m->pool);
            rc = -ENOMEM;
        }
    }
    if (rc != 0) {
        vmid_free(vmid);
        return rc;
    }
    p2m->vmid = vmid;
    p2m->vttbr = ((uint64_t)vmid << VTTBR_VMID_SHIFT) |
                 (mfn_to_paddr(p2m->root) & VTTBR_BADDR_MASK);
    p2m->ready = true;
    (void)__atomic_fetch_add(&nr_live, 1U, __ATOMIC_ACQ_REL);
    /* The zeroed root must be visible to walkers, and nothing cached under
     * this VMID (by a domain that had it before, or by firmware) may
     * survive. */
    p2m_tables_sync();
    p2m_flush_tlb(p2m);
    p2m->stats.flushes++;
    return 0;
}

void p2m_destroy(struct p2m_domain *p2m)
{
    struct p2m_op op;
    unsigned long flags;
    s2_pte_t *root;
    uint64_t i;

    if (!p2m->ready) {
        return;
    }
    flags = spin_lock_irqsave(&p2m->lock);
    op_start(&op, false);
    root = root_va(p2m);
    for (i = 0U; i < root_entries(); i++) {
        s2_pte_t d = root[i];

        if (!desc_valid(d)) {
            continue;
        }
        write_entry(&root[i], 0U);
        if (desc_is_table(d, p2m_geo.root_level)) {
            defer_subtree(p2m, &op, d, p2m_geo.root_level);
        } else {
            p2m->stats.leaves[p2m_geo.root_level]--;
        }
    }
    /* Always flush: the VMID is about to be reused by another domain. */
    op.flush_pending = true;
    op_finish(p2m, &op);
    p2m->ready = false;
    spin_unlock_irqrestore(&p2m->lock, flags);

    paging_pool_teardown(&p2m->pool);
    free_pages(p2m->root, p2m_geo.root_order);
    p2m->root = INVALID_MFN;
    vmid_free(p2m->vmid);
    p2m->vmid = 0U;
    p2m->vttbr = 0U;
    (void)__atomic_fetch_sub(&nr_live, 1U, __ATOMIC_ACQ_REL);
}

int p2m_pool_resize(struct p2m_domain *p2m, uint64_t pages)
{
    /* Under the p2m lock: a change's dry run counted on the free pages. */
    unsigned long flags = spin_lock_irqsave(&p2m->lock);
    int rc = paging_pool_resize(&p2m->pool, pages);

    spin_unlock_irqrestore(&p2m->lock, flags);
    return rc;
}

void p2m_pool_seal(struct p2m_domain *p2m)
{
    paging_pool_seal(&p2m->pool);
}
