/* Xen 4.17's memory-reservation and physmap ABI (XENMEM_*) as an arm64
 * guest sees it.
 *
 * Numbers and layouts checked against Xen 4.17.0 (RELEASE-4.17.0):
 * xen/include/public/memory.h and xen/include/xen/hypercall.h (the
 * continuation encoding). Guest handles are 64-bit guest virtual addresses
 * (uint64_t). Self-contained: includes nothing but <public/xen.h>. */
#ifndef PUBLIC_MEMORY_H
#define PUBLIC_MEMORY_H

#include <public/xen.h>

/* ---- Commands (cmd[5:0]; cmd[63:6] is the extent to resume from) -------- */
#define XENMEM_increase_reservation 0U
#define XENMEM_decrease_reservation 1U
#define XENMEM_maximum_ram_page     2U
#define XENMEM_current_reservation  3U
#define XENMEM_maximum_reservation  4U
#define XENMEM_machphys_mfn_list    5U
#define XENMEM_populate_physmap     6U
#define XENMEM_add_to_physmap       7U
#define XENMEM_memory_map           9U
#define XENMEM_machine_memory_map   10U
#define XENMEM_exchange             11U
#define XENMEM_machphys_mapping     12U
#define XENMEM_set_memory_map       13U
#define XENMEM_maximum_gpfn         14U
#define XENMEM_remove_from_physmap  15U
#define XENMEM_get_sharing_freed_pages  18U
#define XENMEM_get_sharing_shared_pages 19U
#define XENMEM_claim_pages          24U
#define XENMEM_add_to_physmap_batch 23U
#define XENMEM_get_vnumainfo        26U
#define XENMEM_reserved_device_memory_map 27U
#define XENMEM_acquire_resource     28U

#define MEMOP_EXTENT_SHIFT 6U
#define MEMOP_CMD_MASK     ((1U << MEMOP_EXTENT_SHIFT) - 1U)

/* mem_flags of a reservation. */
#define XENMEMF_get_address_bits(x) ((x) & 0xffU)
#define XENMEMF_get_node(x)         ((((x) >> 8) - 1U) & 0xffU)
#define XENMEMF_populate_on_demand  (1U << 16)
#define XENMEMF_exact_node_request  (1U << 17)
#define XENMEMF_vnode               (1U << 18)

struct xen_memory_reservation {
    uint64_t extent_start;  /* guest address of nr_extents xen_pfn_t */
    xen_ulong_t nr_extents;
    uint32_t extent_order;  /* each extent is 2^extent_order pages */
    uint32_t mem_flags;     /* XENMEMF_* */
    xen_domid_t domid;
};

struct xen_memory_domain {
    xen_domid_t domid;
};

/* ---- add_to_physmap spaces ------------------------------------------------ */
#define XENMAPSPACE_shared_info  0U
#define XENMAPSPACE_grant_table  1U
#define XENMAPSPACE_gmfn         2U
#define XENMAPSPACE_gmfn_range   3U
#define XENMAPSPACE_gmfn_foreign 4U
#define XENMAPSPACE_dev_mmio     5U

#define XENMAPIDX_grant_table_status 0x80000000U

struct xen_add_to_physmap {
    xen_domid_t domid;
    uint16_t size;          /* gmfn_range only */
    uint32_t space;         /* XENMAPSPACE_* */
    xen_ulong_t idx;
    xen_pfn_t gpfn;
};

struct xen_add_to_physmap_batch {
    xen_domid_t domid;
    uint16_t space;
    uint16_t size;
    union {
        xen_domid_t foreign_domid;  /* gmfn_foreign */
        uint16_t res0;              /* any other space: 0 */
    } u;
    uint64_t idxs;          /* guest address of size xen_ulong_t */
    uint64_t gpfns;         /* guest address of size xen_pfn_t */
    uint64_t errs;          /* guest address of size int32_t (OUT) */
};

struct xen_remove_from_physmap {
    xen_domid_t domid;
    xen_pfn_t gpfn;
};

/* ---- acquire_resource ------------------------------------------------------- */
#define XENMEM_resource_ioreq_server 0U
#define XENMEM_resource_grant_table  1U
#define XENMEM_resource_vmtrace_buf  2U

#define XENMEM_resource_grant_table_id_shared 0U
#define XENMEM_resource_grant_table_id_status 1U

#define XENMEM_resource_ioreq_server_frame_bufioreq 0U
#define XENMEM_resource_ioreq_server_frame_ioreq(n) (1U + (n))

/* 32 bytes. With frame_list 0 and nr_frames 0 it asks for the resource's
 * size, answered in nr_frames. A translated caller (every caller on Arm)
 * puts in frame_list the gfns where the frames are to be mapped. */
struct xen_mem_acquire_resource {
    xen_domid_t domid;      /* the domain whose resource is mapped */
    uint16_t type;          /* XENMEM_resource_* */
    uint32_t id;            /* ioreq server id, or grant_table_id_* */
    uint32_t nr_frames;     /* IN/OUT */
    uint32_t pad;           /* 0 */
    uint64_t frame;         /* first frame of the resource */
    uint64_t frame_list;    /* guest address of nr_frames xen_pfn_t */
};

#endif
