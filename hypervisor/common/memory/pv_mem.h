/* What the grant-table files (gnttab.c, gnttab_map.c, gnttab_copy.c)
 * and the memory_op files (memory_op.c, memory_reservation.c) share: the
 * per-domain state behind d->gnttab and a few helpers (pv_mem.c). Not a
 * public API: <proxenos/gnttab.h> is the one the rest of the
 * hypervisor uses. */
#ifndef COMMON_PV_MEM_H
#define COMMON_PV_MEM_H

#include <proxenos/arch/domain.h>
#include <proxenos/domain.h>
#include <proxenos/gnttab.h>
#include <proxenos/hypercall.h>
#include <proxenos/spinlock.h>
#include <public/grant_table.h>

/* Version 1 entries per grant frame. */
#define GNTTAB_ENTRIES_PER_FRAME ((uint32_t)(PAGE_SIZE / sizeof(struct grant_entry_v1)))
/* Maptrack entries per maptrack frame (Xen's: 8-byte entries per page). */
#define GNTTAB_MAPTRACK_PER_FRAME 512U
#define GNTTAB_MAPTRACK_NONE      UINT32_MAX

/* Pin counts of an active entry, as Xen keeps them: 8-bit counters of
 * writable and read-only host uses (maps and copies in progress). */
#define GNTTAB_PIN_W_INC   1U
#define GNTTAB_PIN_W_MASK  0xffU
#define GNTTAB_PIN_R_INC   (1U << 8)
#define GNTTAB_PIN_R_MASK  (0xffU << 8)
/* A counter stops at half its range, as Xen's overflow check. */
#define GNTTAB_PIN_LIMIT   0x80U

/* Hypervisor state of one grant entry while someone uses it. */
struct gnttab_active {
    uint32_t pin;           /* GNTTAB_PIN_* counters; 0: unused */
    domid_t domid;          /* the domain holding the pins */
    uint16_t pad;
    mfn_t mfn;              /* the granted frame, pinned while pin != 0 */
};

/* One mapping made by this domain of someone else's grant. */
struct gnttab_maptrack {
    uint64_t gfn;           /* where it is mapped in this domain */
    uint32_t ref;           /* the grant; next free handle while free */
    domid_t domid;          /* the granting domain */
    uint16_t flags;         /* GNTMAP_host_map [| readonly]; 0: free */
    /* The granting domain, held by a reference for as long as the mapping
     * exists (NULL: the mapper itself), as Xen's page references keep a
     * destroyed domain's granted pages until their last user unmaps them. */
    struct domain *owner;
};

/* A foreign entry of a domain's stage 2 (foreign_map.c): a page or
 * grant-table frame of another domain, mapped there by
 * add_to_physmap_batch(gmfn_foreign) or acquire_resource. */
struct pv_foreign {
    struct domain *owner;   /* the page's domain: one reference held */
    mfn_t mfn;
    bool pinned;            /* the owner's RAM page: its pin count was raised */
};

/* A domain's foreign entries by gfn: open addressing, linear probing. */
struct fm_slot {
    uint64_t gfn;           /* INVALID_GFN_RAW: free */
    struct pv_foreign f;
};

struct foreign_maps {
    /* Taken around every change of the domain's physmap made through
     * pv_physmap_set, so that the stage 2 and this table agree. Held
     * with the stage-2 lock inside it; never with another domain's. */
    spinlock_t lock;
    struct fm_slot *slot;   /* cap slots, or NULL */
    uint64_t cap;           /* 0 or a power of two */
    uint64_t nr;            /* entries in use */
};

struct grant_table {
    spinlock_t lock;        /* everything below but foreign; never held with another's */
    struct domain *d;
    uint32_t nr_frames;
    uint32_t max_frames;
    uint32_t max_maptrack_frames;
    struct grant_entry_v1 *shared[GNTTAB_MAX_FRAMES];
    gfn_t frame_gfn[GNTTAB_MAX_FRAMES];     /* INVALID_GFN: not mapped */
    struct gnttab_active *active[GNTTAB_MAX_FRAMES];
    struct gnttab_maptrack **maptrack;          /* max_maptrack_frames slots */
    uint32_t maptrack_frames;
    uint32_t maptrack_free;                 /* first free handle */
    uint32_t maptrack_used;

    /* memory_op's per-domain state (until struct domain has a place). */
    gfn_t shinfo_gfn;       /* where the shared info page is mapped */
    mfn_t reuse_head;       /* ballooned-out pages kept for populate */
    uint64_t reuse_nr;
    uint64_t max_gfn;       /* highest gfn memory_op or grant maps mapped */
    struct foreign_maps foreign;
};

#define INVALID_GFN_RAW UINT64_MAX

static inline bool gfn_valid_raw(uint64_t g)
{
    return g != INVALID_GFN_RAW;
}

/* The domain a guest names: DOMID_SELF is the caller's own. NULL if none.
 * Held until pv_domain_put(). */
struct domain *pv_domain_any(domid_t id);
/* Whether the current domain may act on d (Xen's XSM_TARGET default:
 * itself, or the caller is privileged). */
bool pv_may_target(const struct domain *d);
/* The current vCPU's domain (NULL outside a hypercall). */
struct domain *pv_current_domain(void);
/* Let go of what pv_domain_any() returned (NULL is fine). */
static inline void pv_domain_put(struct domain *d)
{
    domain_put_any(pv_current_domain(), d);
}

/* Grant entry ref of gt (bounds-checked by the caller). */
struct grant_entry_v1 *gnttab_entry(struct grant_table *gt, uint32_t ref);
struct gnttab_active *gnttab_active_entry(struct grant_table *gt, uint32_t ref);
/* Entries the table has now. Lock held. */
static inline uint32_t gnttab_nr_entries(const struct grant_table *gt)
{
    return gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME;
}

/* Take a pin on grant ref of rd for domain ld (readonly or not), as map
 * and copy do: check the entry, set GTF_reading/GTF_writing, pin the page
 * on first use. A GNTST_* value; on success *mfn is the frame. sub_page:
 * also refuse GTF_sub_page entries (maps). */
int gnttab_pin_grant(struct domain *rd, uint32_t ref, domid_t ld, bool readonly, bool sub_page,
                 mfn_t *mfn);
/* Drop a pin taken by gnttab_pin_grant. */
void gnttab_unpin_grant(struct domain *rd, uint32_t ref, bool readonly);

/* The frame behind gfn of d if it is d's RAM (read-only RAM only when
 * readonly): GNTST_okay or GNTST_bad_page. */
int gnttab_guest_frame(struct domain *d, uint64_t g, bool readonly, mfn_t *mfn);


long gnttab_map_ops(struct hcall_args *args, uint32_t count);
long gnttab_unmap_ops(struct hcall_args *args, uint32_t count);
long gnttab_copy_ops(struct hcall_args *args, uint32_t count);

/* Operations handled per invocation before a continuation. */
#define GNTTAB_OPS_PER_CALL 64U

/* Change d's stage-2 entry at gfn to mfn/t (GUEST_FRAME_NONE: remove it),
 * keeping the records of hypervisor pages the guest mapped (shared info,
 * grant frames) right, and dropping what a foreign entry replaced or
 * removed held (its reference and pin). Refuses (-EBUSY) to replace a
 * grant mapping, which only unmap_grant_ref may remove. t may not be a
 * foreign type (pv_map_foreign). */
int pv_physmap_set(struct domain *d, uint64_t g, mfn_t mfn, enum guest_frame_type t);
/* The same with the foreign entry f (NULL: not foreign) recorded when the
 * stage 2 took it; f's reference and pin become the entry's only on
 * success (-ENOMEM: d has as many foreign entries as it may have). */
int pv_physmap_change(struct domain *d, uint64_t g, mfn_t mfn, enum guest_frame_type t,
                      const struct pv_foreign *f);
/* Remove d's stage-2 entry at g only if it still maps expect, checked
 * under the same lock as the change: -ENOENT when it does not (another
 * vCPU removed or replaced it since the caller looked). Whoever frees the
 * page behind an entry removes it this way, so that two racing removals
 * of one gfn cannot both free its page. */
int pv_physmap_remove_if(struct domain *d, uint64_t g, mfn_t expect);
/* Map n frames from m at g (n a power of two, both aligned to it) as RAM
 * in one stage-2 change, so that aligned extents get block mappings: only
 * where nothing is mapped yet (-EEXIST otherwise: the caller goes page by
 * page). 0 or the stage 2's error, nothing changed on failure. */
int pv_physmap_populate(struct domain *d, uint64_t g, mfn_t m, uint64_t n);
/* Whether t is a foreign entry. */
static inline bool pv_is_foreign(enum guest_frame_type t)
{
    return (t == GUEST_FRAME_FOREIGN_RW) || (t == GUEST_FRAME_FOREIGN_RO);
}

/* ---- Foreign entries (foreign_map.c) ---------------------------------------- */

/* The page at od's gfn idx if it is od's RAM, pinned (so that od
 * ballooning it out cannot hand it to anyone again): *t is the foreign
 * type that maps it (read-only RAM: FOREIGN_RO). 0 or -EINVAL. */
int fm_pin_page(struct domain *od, uint64_t idx, mfn_t *mfn, enum guest_frame_type *t);
/* (pv_mem.c) Map owner's frame mfn at d's gfn g as t with a new reference on owner
 * (-ESRCH if owner is dying). pinned: mfn was pinned by fm_pin_page, a
 * pin the entry keeps, or which is given back on failure. */
int pv_map_foreign(struct domain *d, uint64_t g, struct domain *owner, mfn_t mfn,
                   enum guest_frame_type t, bool pinned);
/* Give back what a foreign entry held (nothing for a NULL owner). */
void fm_drop(const struct pv_foreign *f);
/* Give back f's pin, if it has one (its reference stays). */
void fm_unpin(const struct pv_foreign *f);
/* Table operations, with fm->lock held. fm_reserve: room for one more
 * entry while fewer than limit are in use (-ENOMEM otherwise, or if the
 * table cannot grow); fm_insert then cannot fail. fm_take: the entry at g
 * leaves the table (false: there is none). */
int fm_reserve(struct foreign_maps *fm, uint64_t limit);
void fm_insert(struct foreign_maps *fm, uint64_t g, const struct pv_foreign *f);
bool fm_take(struct foreign_maps *fm, uint64_t g, struct pv_foreign *out);
/* d's teardown: unmap every foreign entry and give back what it held. */
void fm_release_all(struct domain *d);

/* acquire_resource of d's grant table: the frames [first, first + nr),
 * the table grown to them if its limit allows (0; -EINVAL for nr 0, or
 * beyond what the table has or can get), and its limit in frames. */
int gnttab_resource_frames(struct domain *d, uint32_t first, uint32_t nr, mfn_t *mfns);
uint32_t gnttab_max_frames(const struct domain *d);

/* XENMEM_acquire_resource (memory_resource.c). */
long xenmem_acquire_resource(struct hcall_args *args, uint64_t start);
/* Whether mfn is a hypervisor page d can map (shared info, grant frame;
 * pv_mem.c). */
bool pv_is_xen_frame(struct domain *d, mfn_t mfn);

/* memory_op's reservation commands (memory_reservation.c). */
long xenmem_reservation(struct hcall_args *args, uint32_t op, uint64_t start);
/* Whether d's RAM is mapped 1:1 (gfn == mfn), as Xen 4.17's dom0 on Arm. */
bool pv_direct_mapped(const struct domain *d);
/* (pv_mem.c) d's memory limit in pages: d->max_pages, or, when the domain
 * builder left it 0, what the domain had when it first used memory_op. */
uint64_t pv_max_pages(struct domain *d);
/* The highest gfn of d's RAM (XENMEM_maximum_gpfn). */
uint64_t pv_ram_top(struct domain *d);

#endif
