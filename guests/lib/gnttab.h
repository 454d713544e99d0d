/*
 * Xen grant tables v1 from the guest side: GNTTABOP_* arguments, the
 * shared grant entries (mapped into the /hypervisor window with
 * XENMEM_add_to_physmap) and helpers to grant a page to a domain.
 */
#ifndef GUEST_GNTTAB_H
#define GUEST_GNTTAB_H

#include <stdbool.h>
#include <stdint.h>

#include "hypercall.h"
#include "platform.h"

#define GNTTABOP_map_grant_ref      0
#define GNTTABOP_unmap_grant_ref    1
#define GNTTABOP_setup_table        2
#define GNTTABOP_dump_table         3
#define GNTTABOP_transfer           4
#define GNTTABOP_copy               5
#define GNTTABOP_query_size         6
#define GNTTABOP_unmap_and_replace  7
#define GNTTABOP_set_version        8
#define GNTTABOP_get_status_frames  9
#define GNTTABOP_get_version        10
#define GNTTABOP_swap_grant_ref     11
#define GNTTABOP_cache_flush        12

#define GTF_permit_access   1U
#define GTF_readonly        (1U << 2)
#define GTF_reading         (1U << 3)
#define GTF_writing         (1U << 4)

#define GNTMAP_device_map       1U
#define GNTMAP_host_map         2U
#define GNTMAP_readonly         4U
#define GNTMAP_application_map  8U
#define GNTMAP_contains_pte     16U

#define GNTCOPY_source_gref 1U
#define GNTCOPY_dest_gref   2U

#define GNTST_okay              0
#define GNTST_general_error     (-1)
#define GNTST_bad_domain        (-2)
#define GNTST_bad_gntref        (-3)
#define GNTST_bad_handle        (-4)
#define GNTST_bad_virt_addr     (-5)
#define GNTST_bad_dev_addr      (-6)
#define GNTST_no_device_space   (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page          (-9)
#define GNTST_bad_copy_arg      (-10)
#define GNTST_address_too_big   (-11)
#define GNTST_eagain            (-12)

struct grant_entry_v1 {
    uint16_t flags;
    uint16_t domid;
    uint32_t frame;
};

struct gnttab_setup_table {
    uint16_t dom;
    uint32_t nr_frames;
    int16_t status;             /* out */
    uint64_t frame_list;        /* guest handle: xen_pfn_t[] */
};

struct gnttab_query_size {
    uint16_t dom;
    uint32_t nr_frames;         /* out */
    uint32_t max_nr_frames;     /* out */
    int16_t status;             /* out */
};

struct gnttab_set_version {
    uint32_t version;
};

struct gnttab_get_version {
    uint16_t dom;
    uint16_t pad;
    uint32_t version;           /* out */
};

struct gnttab_map_grant_ref {
    uint64_t host_addr;
    uint32_t flags;
    uint32_t ref;
    uint16_t dom;
    int16_t status;             /* out */
    uint32_t handle;            /* out */
    uint64_t dev_bus_addr;      /* out */
};

struct gnttab_unmap_grant_ref {
    uint64_t host_addr;
    uint64_t dev_bus_addr;
    uint32_t handle;
    int16_t status;             /* out */
};

struct gnttab_copy_ptr {
    union {
        uint32_t ref;
        uint64_t gmfn;
    } u;
    uint16_t domid;
    uint16_t offset;
};

struct gnttab_copy {
    struct gnttab_copy_ptr source;
    struct gnttab_copy_ptr dest;
    uint16_t len;
    uint16_t flags;
    int16_t status;             /* out */
};

/* The grant entries, once gnttab_setup mapped frame 0 (NULL before). */
extern volatile struct grant_entry_v1 *gnttab_entries;

/* Maps grant frame 0 at the start of the /hypervisor window. 0 or -errno. */
long gnttab_setup(const struct platform *p);

/* Extended region `index` (1-based: reg[index] of /hypervisor); 0 when absent. */
uint64_t gnttab_free_region(const struct platform *p, uint32_t index, uint64_t *size);

/* Writes entry `ref` granting page `gfn` to `domid` (flags last, after a barrier). */
void gnttab_grant(uint32_t ref, uint16_t domid, uint64_t gfn, bool readonly);
void gnttab_revoke(uint32_t ref);

/* One GNTTABOP_copy; returns the hypercall result, the entry's status in *status. */
long gnttab_copy_one(struct gnttab_copy *c, int16_t *status);

#endif
