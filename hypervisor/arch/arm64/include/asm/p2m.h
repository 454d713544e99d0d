/* Stage 2 (P2M): how a domain's guest-physical addresses (IPA) map to host
 * memory, for the whole domain, on every CPU.
 *
 * Shape: 4 KiB granule; IPA size chosen once at boot from
 * ID_AA64MMFR0_EL1.PARange and capped to 40 bits (Xen's guest layout puts
 * RAM bank 1 up to 1 TiB), so the walk always starts at level 1: one root
 * page for 32- and 36-bit IPAs, two concatenated root pages (1024 entries)
 * for 40 bits (VTCR_EL2.T0SZ = 24, SL0 = 1). Leaves are 1 GiB blocks
 * (level 1), 2 MiB blocks (level 2) and 4 KiB pages (level 3), the largest
 * that the alignment of both addresses and the length allow.
 *
 * Memory: the root comes from the page allocator at p2m_init (it must be
 * contiguous and aligned to its size, which the order-0 pool cannot
 * promise; Xen 4.17 does the same); every other table page comes from the
 * domain's paging pool, which is filled at p2m_init and never refilled
 * behind its back. An operation first counts the table pages it will need
 * and fails with -ENOMEM, changing nothing, if the pool has fewer free; so
 * no mapping is ever half made. Table pages that become empty (unmap) or
 * unreachable (a block replacing a table) go back to the pool after the
 * TLB flush that makes them unreachable for the walkers too.
 *
 * Changes to a valid entry follow break-before-make: invalidate, flush the
 * domain's TLB entries (p2m_flush_tlb), then write the new entry.
 *
 * Locking: each p2m has a spinlock (taken with interrupts masked) that
 * serialises map, unmap, lookup and pool resizing; callers may be on any
 * CPU. The p2m.c part is plain C (host-tested); the parts that touch
 * system registers are in p2m_hw.c and p2m_cpu_init.c, the VMID allocator
 * in vmid.c.
 */
#ifndef ASM_P2M_H
#define ASM_P2M_H

#include <proxenos/types.h>
#include <proxenos/arch/p2m.h>
#include <proxenos/paging_pool.h>
#include <proxenos/spinlock.h>

/* ---- Stage-2 descriptors (VMSAv8-64, 4 KiB granule, FEAT_S2FWB off) ----
 * Arm ARM (DDI 0487), "VMSAv8-64 translation table format descriptors"
 * (D5.3 in issues F-H: level 0-2 and level 3 descriptor formats, "Memory
 * attribute fields in the VMSAv8-64 translation table format descriptors")
 * and "Stage 2 memory type and Cacheability attributes when FEAT_S2FWB is
 * disabled":
 *   [1:0]   0b11 table (levels 0-2) or page (level 3); 0b01 block (1-2)
 *   [5:2]   MemAttr: [5:4] = 0b00 Device, [3:2] = 0b00 nGnRnE, 0b01 nGnRE;
 *           otherwise [5:4] outer, [3:2] inner: 0b01 NC, 0b10 WT, 0b11 WB
 *   [7:6]   S2AP: 0b00 none, 0b01 read-only, 0b10 write-only, 0b11 RW
 *   [9:8]   SH: 0b11 Inner Shareable (ignored for Device and NC memory,
 *           which are always Outer Shareable)
 *   [10]    AF: access flag (set: no Access flag faults)
 *   [11]    RES0 at stage 2 (no nG)
 *   [47:12] output address (block: [47:30] at level 1, [47:21] at level 2)
 *   [52]    Contiguous hint (not used)
 *   [54:53] XN[1:0]: 0b10 = not executable at EL1 or EL0 (without
 *           FEAT_XNX, bit 54 alone is XN and bit 53 is RES0: same value)
 *   [58:55] reserved for software: we keep the enum p2m_type here. */
#define S2_VALID            (1ULL << 0)
#define S2_DESC_MASK        3ULL
#define S2_TABLE            3ULL
#define S2_PAGE             3ULL
#define S2_BLOCK            1ULL
#define S2_MEMATTR(x)       ((uint64_t)(x) << 2)
#define S2_MEMATTR_MASK     S2_MEMATTR(0xfU)
#define S2_MEMATTR_DEVICE_nGnRE 0x1U    /* 0b0001 */
#define S2_MEMATTR_NORMAL_NC    0x5U    /* 0b0101: outer NC, inner NC */
#define S2_MEMATTR_NORMAL_WB    0xfU    /* 0b1111: outer WB, inner WB */
#define S2_AP_RO            (1ULL << 6)
#define S2_AP_RW            (3ULL << 6)
#define S2_AP_MASK          (3ULL << 6)
#define S2_SH_INNER         (3ULL << 8)
#define S2_SH_MASK          (3ULL << 8)
#define S2_AF               (1ULL << 10)
#define S2_CONTIG           (1ULL << 52)
#define S2_XN               (2ULL << 53)
#define S2_XN_MASK          (3ULL << 53)
#define S2_SW_SHIFT         55U
#define S2_SW_MASK          (0xfULL << S2_SW_SHIFT)
#define S2_OA_MASK          0x0000fffffffff000ULL

/* ---- VTCR_EL2 / VTTBR_EL2 (Arm ARM system register descriptions) ------ */
#define VTCR_T0SZ(n)        ((uint64_t)(n) & 0x3fU)     /* [5:0] IPA = 64 - n bits */
#define VTCR_SL0(n)         ((uint64_t)(n) << 6)        /* [7:6] 4K: 0 L2, 1 L1, 2 L0 */
#define VTCR_IRGN0_WBWA     (1ULL << 8)                 /* walks: inner WB RA WA */
#define VTCR_ORGN0_WBWA     (1ULL << 10)                /* walks: outer WB RA WA */
#define VTCR_SH0_INNER      (3ULL << 12)                /* walks: inner shareable */
#define VTCR_TG0_4K         (0ULL << 14)
#define VTCR_PS(n)          ((uint64_t)(n) << 16)       /* [18:16] PARange encoding */
#define VTCR_VS             (1ULL << 19)                /* 16-bit VMID */
#define VTCR_RES1           (1ULL << 31)
#define VTTBR_VMID_SHIFT    48U                         /* VMID [63:48] ([55:48] if 8-bit) */
#define VTTBR_BADDR_MASK    0x0000fffffffffffeULL       /* BADDR [47:1], CnP [0] = 0 */

/* ID_AA64MMFR0_EL1.PARange [3:0] encodings. */
#define PARANGE_32          0U
#define PARANGE_36          1U
#define PARANGE_40          2U
#define PARANGE_42          3U
#define PARANGE_44          4U
#define PARANGE_48          5U
#define PARANGE_52          6U

/* Guest IPA size limit: Xen's guest memory map ends at 1 TiB. */
#define P2M_MAX_IPA_BITS    40U

/* What a guest frame maps to. The value is kept in the descriptor's
 * software bits, so there are at most 16. */
enum p2m_type {
    P2M_INVALID = 0,    /* nothing (never mapped with this type) */
    P2M_RAM_RW,         /* guest RAM: Normal WB, RW, executable */
    P2M_RAM_RO,         /* guest RAM: Normal WB, read-only, executable */
    P2M_MMIO_DEVICE,    /* passthrough device: Device-nGnRE, RW, XN */
    P2M_MMIO_NC,        /* e.g. a framebuffer: Normal non-cacheable, RW, XN */
    P2M_GRANT_RW,       /* another domain's granted page: Normal WB, RW, XN */
    P2M_GRANT_RO,       /* the same, read-only */
    P2M_FOREIGN_RW,     /* another domain's page mapped by a privileged one: WB, RW, XN */
    P2M_FOREIGN_RO,     /* the same, read-only (the owner maps it read-only) */
    P2M_STATIC_SHM,     /* static shared memory, no domain's page: WB, RW, XN */
    P2M_NR_TYPES,
};

/* Fixed at boot by p2m_configure(); the same for every domain. */
struct p2m_geometry {
    unsigned int ipa_bits;      /* 32, 36 or 40 */
    unsigned int pa_bits;       /* output address bits (VTCR.PS), at most 48 */
    unsigned int parange;       /* the PARange encoding of pa_bits */
    unsigned int root_level;    /* 1 */
    unsigned int root_order;    /* log2 of the concatenated root pages */
    unsigned int t0sz;
    unsigned int sl0;
};

struct p2m_stats {
    uint64_t leaves[4];         /* valid leaves per level: [1] 1 GiB, [2] 2 MiB, [3] 4 KiB */
    uint64_t tables;            /* table pages in use, from the pool (root not counted) */
    uint64_t splits;            /* blocks broken into a table of smaller leaves */
    uint64_t flushes;           /* TLB flushes by VMID */
    uint64_t nr_enomem;         /* map/unmap refused because the pool was too small */
};

struct p2m_domain {
    spinlock_t lock;
    bool ready;                 /* p2m_init succeeded, p2m_destroy not yet run */
    uint16_t vmid;
    mfn_t root;                 /* first page of the (concatenated) root */
    uint64_t vttbr;
    struct paging_pool pool;    /* only through p2m_pool_* once p2m_init ran */
    struct p2m_stats stats;
};

/* ---- Boot-time configuration (p2m.c; called by p2m_hw_cpu_init) -------- */

/* Choose the geometry for a CPU reporting this PARange. 0, or -EINVAL for
 * a reserved encoding. Must run before the first p2m_init. */
int p2m_configure(unsigned int parange);
bool p2m_configured(void);
const struct p2m_geometry *p2m_geometry(void);
/* VTCR_EL2 for the chosen geometry; vmid16 sets VS. */
uint64_t p2m_vtcr(bool vmid16);

/* ---- Per domain (p2m.c) -------------------------------------------------- */

/* Allocate a VMID (-ENOSPC when all are in use), fill the pool with
 * pool_pages pages (-ENOMEM) and allocate the zeroed root (-ENOMEM). On
 * failure everything taken is given back. */
int p2m_init(struct p2m_domain *p2m, uint64_t pool_pages);

/* Undo p2m_init: flush the domain's TLB entries, give every table back and
 * the pool, root and VMID to their allocators. Not the RAM it mapped (the
 * domain owns that). No vCPU of the domain may be running. A p2m that was
 * never initialised (or already destroyed) is left alone. */
void p2m_destroy(struct p2m_domain *p2m);

/* Map nr_pages guest frames from gfn to the machine frames from mfn with
 * type t, replacing whatever mapped them (break-before-make). 0, -EINVAL
 * (t invalid, gfn range beyond the IPA size or mfn range beyond the output
 * size), or -ENOMEM (pool too small: nothing changed). nr_pages 0 is a
 * no-op. */
int p2m_map(struct p2m_domain *p2m, gfn_t gfn, mfn_t mfn, uint64_t nr_pages, enum p2m_type t);

/* Unmap nr_pages guest frames from gfn (unmapped frames are skipped),
 * splitting blocks that are only partly covered. 0, -EINVAL (range beyond
 * the IPA size) or -ENOMEM (a block split needs more pages than the pool
 * has: nothing changed). */
int p2m_unmap(struct p2m_domain *p2m, gfn_t gfn, uint64_t nr_pages);

/* What gfn maps to: machine frame, type and the order of the leaf that maps
 * it (0, 9 or 18). Any output pointer may be NULL. 0, -ENOENT (not mapped)
 * or -EINVAL (beyond the IPA size). Takes the lock, hence not const. */
/* Whether nothing at all is mapped in gfn .. gfn + nr_pages - 1 (false
 * for a range outside the IPA space). */
bool p2m_range_unmapped(struct p2m_domain *p2m, gfn_t gfn, uint64_t nr_pages);
int p2m_lookup(struct p2m_domain *p2m, gfn_t gfn, mfn_t *mfn, enum p2m_type *t,
               unsigned int *order);

/* VTTBR_EL2 for this domain (VMID and root): load it when switching to one
 * of its vCPUs. Inline: p2m_hw.c reads it without calling back into p2m.c. */
static inline uint64_t p2m_vttbr(const struct p2m_domain *p2m)
{
    return p2m->vttbr;
}

/* Resize the domain's paging pool while it is being built (see
 * paging_pool_resize for the errors); seal it when it first runs. */
int p2m_pool_resize(struct p2m_domain *p2m, uint64_t pages);
void p2m_pool_seal(struct p2m_domain *p2m);

void p2m_get_stats(struct p2m_domain *p2m, struct p2m_stats *st);
/* A few lines for the 'q' debug key: VMID, VTTBR, leaves per level, table
 * and pool use. */
void p2m_dump(struct p2m_domain *p2m);

/* ---- Hardware (p2m_hw.c, and p2m_cpu_init.c for p2m_hw_cpu_init; host
 * tests provide fakes) ------------------------------------------------------ */

/* Invalidate every stage-1 and stage-2 TLB entry of this domain's VMID on
 * all CPUs (inner shareable), after making earlier descriptor writes
 * visible to the table walkers. */
void p2m_flush_tlb(struct p2m_domain *p2m);
/* Make descriptor writes visible to the table walkers (a new table's
 * contents before the entry that links it; new entries before the caller
 * lets a guest use them). */
void p2m_tables_sync(void);
/* Per CPU, at bring-up, before any guest runs on it: the boot CPU (first)
 * also reads ID_AA64MMFR0/1_EL1 and calls p2m_configure and vmid_init;
 * every CPU then programs VTCR_EL2. Panics on a CPU weaker than the boot
 * CPU (smaller PARange, or no 16-bit VMIDs when the boot CPU had them). */
void p2m_hw_cpu_init(void);
/* Load this domain's VTTBR_EL2 (context switch to one of its vCPUs). */
void p2m_hw_load(const struct p2m_domain *p2m);

/* ---- VMID allocator (vmid.c) --------------------------------------------
 * VMIDs tag TLB entries per domain. 8 or 16 bits wide
 * (ID_AA64MMFR1_EL1.VMIDBits); VMID 0 is never handed out (it is what
 * VTTBR_EL2 holds while no guest has run). */

/* Start over with bits-wide VMIDs (8 or 16; anything else means 8). Boot
 * only; host tests call it between cases. */
void vmid_init(unsigned int bits);
unsigned int vmid_bits(void);
/* A free VMID in *vmid, or -ENOSPC. */
int vmid_alloc(uint16_t *vmid);
/* Give back a VMID from vmid_alloc (panics on 0 or one not allocated). The
 * caller has flushed its TLB entries. */
void vmid_free(uint16_t vmid);
/* VMIDs currently allocated. */
unsigned int vmid_in_use(void);

#endif
