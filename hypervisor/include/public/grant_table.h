/* Xen 4.17's grant-table ABI (GNTTABOP_*) as an arm64 guest sees it.
 *
 * Numbers and layouts checked against Xen 4.17.0 (RELEASE-4.17.0):
 * xen/include/public/grant_table.h. Only what a version 1 guest on Arm can
 * use is here: Xen 4.17 on Arm offers grant tables version 1 only by
 * default, so the version 2 entry formats are left out. Guest handles are
 * 64-bit guest virtual addresses (uint64_t). Self-contained: includes
 * nothing but <public/xen.h>. */
#ifndef PUBLIC_GRANT_TABLE_H
#define PUBLIC_GRANT_TABLE_H

#include <public/xen.h>

typedef uint32_t grant_handle_t;

/* ---- Version 1 grant entry (in the granting guest's own frames) --------- */
struct grant_entry_v1 {
    uint16_t flags;         /* GTF_* */
    xen_domid_t domid;      /* who may use the grant */
    uint32_t frame;         /* the granted guest frame number */
};

#define GNTTAB_NR_RESERVED_ENTRIES 8U
#define GNTTAB_RESERVED_CONSOLE    0U
#define GNTTAB_RESERVED_XENSTORE   1U

/* Entry type (flags[1:0]) and the bits the hypervisor and guest share. */
#define GTF_invalid         0U
#define GTF_permit_access   1U
#define GTF_accept_transfer 2U
#define GTF_transitive      3U
#define GTF_type_mask       3U
#define GTF_readonly        (1U << 2)   /* guest: mappers may only read */
#define GTF_reading         (1U << 3)   /* hypervisor: in use for reading */
#define GTF_writing         (1U << 4)   /* hypervisor: in use for writing */
#define GTF_PWT             (1U << 5)
#define GTF_PCD             (1U << 6)
#define GTF_PAT             (1U << 7)
#define GTF_sub_page        (1U << 8)   /* version 2 only */

/* ---- Operations (x0 of HYPERVISOR_grant_table_op) ----------------------- */
#define GNTTABOP_map_grant_ref     0U
#define GNTTABOP_unmap_grant_ref   1U
#define GNTTABOP_setup_table       2U
#define GNTTABOP_dump_table        3U
#define GNTTABOP_transfer          4U
#define GNTTABOP_copy              5U
#define GNTTABOP_query_size        6U
#define GNTTABOP_unmap_and_replace 7U
#define GNTTABOP_set_version       8U
#define GNTTABOP_get_status_frames 9U
#define GNTTABOP_get_version       10U
#define GNTTABOP_swap_grant_ref    11U
#define GNTTABOP_cache_flush       12U

/* The command is cmd[11:0]; only cache_flush may use the bits above (its
 * continuation keeps progress there). */
#define GNTTABOP_CONTINUATION_ARG_SHIFT 12U
#define GNTTABOP_CMD_MASK  ((1U << GNTTABOP_CONTINUATION_ARG_SHIFT) - 1U)

/* map_grant_ref / unmap_grant_ref flags. */
#define GNTMAP_device_map      (1U << 0)
#define GNTMAP_host_map        (1U << 1)
#define GNTMAP_readonly        (1U << 2)
#define GNTMAP_application_map (1U << 3)
#define GNTMAP_contains_pte    (1U << 4)
#define GNTMAP_guest_avail_mask (0xffffffffU << 16)

struct gnttab_map_grant_ref {
    uint64_t host_addr;     /* IN: guest-physical address on Arm */
    uint32_t flags;         /* IN: GNTMAP_* */
    grant_ref_t ref;        /* IN */
    xen_domid_t dom;        /* IN: the granting domain */
    int16_t status;         /* OUT: GNTST_* */
    grant_handle_t handle;  /* OUT */
    uint64_t dev_bus_addr;  /* OUT */
};

struct gnttab_unmap_grant_ref {
    uint64_t host_addr;     /* IN: 0 = leave the host mapping */
    uint64_t dev_bus_addr;  /* IN */
    grant_handle_t handle;  /* IN */
    int16_t status;         /* OUT */
};

struct gnttab_setup_table {
    xen_domid_t dom;        /* IN */
    uint32_t nr_frames;     /* IN */
    int16_t status;         /* OUT */
    uint64_t frame_list;    /* IN: guest address of nr_frames xen_pfn_t (OUT) */
};

#define GNTCOPY_source_gref (1U << 0)
#define GNTCOPY_dest_gref   (1U << 1)

struct gnttab_copy_ptr {
    union {
        grant_ref_t ref;
        xen_pfn_t gmfn;
    } u;
    xen_domid_t domid;
    uint16_t offset;
};

struct gnttab_copy {
    struct gnttab_copy_ptr source;  /* IN */
    struct gnttab_copy_ptr dest;    /* IN */
    uint16_t len;                   /* IN */
    uint16_t flags;                 /* IN: GNTCOPY_* */
    int16_t status;                 /* OUT */
};

struct gnttab_query_size {
    xen_domid_t dom;        /* IN */
    uint32_t nr_frames;     /* OUT */
    uint32_t max_nr_frames; /* OUT */
    int16_t status;         /* OUT */
};

struct gnttab_set_version {
    uint32_t version;       /* IN/OUT */
};

struct gnttab_get_version {
    xen_domid_t dom;        /* IN */
    uint16_t pad;
    uint32_t version;       /* OUT */
};

struct gnttab_get_status_frames {
    uint32_t nr_frames;     /* IN */
    xen_domid_t dom;        /* IN */
    int16_t status;         /* OUT */
    uint64_t frame_list;    /* IN: guest address of nr_frames uint64_t (OUT) */
};

struct gnttab_swap_grant_ref {
    grant_ref_t ref_a;      /* IN */
    grant_ref_t ref_b;      /* IN */
    int16_t status;         /* OUT */
};

#define GNTTAB_CACHE_CLEAN       (1U << 0)
#define GNTTAB_CACHE_INVAL       (1U << 1)
#define GNTTAB_CACHE_SOURCE_GREF (1U << 31)

struct gnttab_cache_flush {
    union {
        uint64_t dev_bus_addr;
        grant_ref_t ref;
    } a;
    uint16_t offset;
    uint16_t length;
    uint32_t op;            /* GNTTAB_CACHE_* */
};

/* ---- Per-operation status (GNTST_*, all <= 0) ---------------------------- */
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
#define GNTST_no_space          (-13)

#endif
