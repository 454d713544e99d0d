/* Grant tables: pages a domain offers to others (common/grant/gnttab.c,
 * gnttab_map.c, gnttab_copy.c), and the per-domain state memory_op keeps
 * with them (common/memory/memory_op.c, memory_reservation.c). */
#ifndef PROXENOS_GRANT_TABLE_H
#define PROXENOS_GRANT_TABLE_H

#include <proxenos/domain.h>

/* Xen 4.17's defaults (gnttab_max_frames, gnttab_max_maptrack_frames). */
#define GNTTAB_MAX_FRAMES          64U
#define GNTTAB_MAX_MAPTRACK_FRAMES 1024U

/* Maptrack frames a new domain may use (GNTTAB_MAX_MAPTRACK_FRAMES; host
 * tests lower it to reach the limit quickly). */
extern uint32_t gnttab_max_maptrack_frames;

/* Domain life cycle (called by domain_pv_init/destroy). Destroying a
 * domain also removes every mapping other domains hold of its grants and
 * gives back the pins it holds on theirs. */
int gnttab_init(struct domain *d);
void gnttab_destroy(struct domain *d);
/* Static mode (alloc_count.h): the first maptrack frame (256 handles) at
 * build, so that mapping grants does not allocate; more are refused.
 * 0 or -ENOMEM. */
int gnttab_maptrack_prealloc(struct domain *d);

/* Lower d's table limit from GNTTAB_MAX_FRAMES to max (Xen's
 * max_grant_frames of domain creation; dom0 gets gnttab_dom0_frames(), the
 * size of the window its /hypervisor node offers). Right after creation,
 * before d runs. 0, -EINVAL (max outside 1..GNTTAB_MAX_FRAMES), -EBUSY
 * (the table already has more frames). */
int gnttab_set_max_frames(struct domain *d, uint32_t max);

/* XENMAPSPACE_grant_table: map frame idx of d's table (grown on demand)
 * at gfn. 0, -EINVAL (beyond the table's limit), -EBUSY (already mapped
 * somewhere: remove it first, as Xen 4.17), -ENOMEM. */
int gnttab_map_frame(struct domain *d, uint64_t idx, gfn_t gfn);
/* XENMAPSPACE_shared_info, with the same rules. */
int gnttab_map_shared_info(struct domain *d, gfn_t gfn);
/* d is being destroyed: undo every grant mapping d holds of other domains'
 * grants (and of its own), giving their references back. */
void gnttab_release_mappings(struct domain *d);

/* Frames and entries of d's table (for tests and debug keys). */
uint32_t gnttab_nr_frames(const struct domain *d);
/* Mappings d holds of other domains' grants. */
uint32_t gnttab_maptrack_in_use(const struct domain *d);
/* Ballooned-out pages d keeps for populate_physmap. */
uint64_t xenmem_reuse_pages(const struct domain *d);
/* Foreign entries d holds (other domains' pages it maps), those of them
 * whose domain is dying (destroyed, kept for them), and all over all
 * domains (common/memory/foreign_map.c). */
uint64_t xenmem_foreign_maps(const struct domain *d);
uint64_t xenmem_foreign_dying(struct domain *d);
uint64_t xenmem_foreign_total(void);

#endif
