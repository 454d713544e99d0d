/*
 * Xen 4.17's hypercall families as the test guests call them: numbers,
 * sub-operations and argument layouts of the public ABI (AArch64: guest
 * handles and xen_ulong_t are 64 bits). Written from the published
 * numbers; each struct's size is asserted so a layout slip fails the build.
 */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "xen.h"

/* Hypercall numbers (Xen's __HYPERVISOR_*). */
#define XEN_HC_PLATFORM_OP      7
#define XEN_HC_MEMORY_OP        12
#define XEN_HC_MULTICALL        13
#define XEN_HC_XEN_VERSION      17
#define XEN_HC_GRANT_TABLE_OP   20
#define XEN_HC_VM_ASSIST        21
#define XEN_HC_VCPU_OP          24
#define XEN_HC_EVENT_CHANNEL_OP 32
#define XEN_HC_PHYSDEV_OP       33
#define XEN_HC_HVM_OP           34
#define XEN_HC_SYSCTL           35
#define XEN_HC_DOMCTL           36

/* Xen's errno values, negated in hypercall results. */
#define XEN_EPERM       1
#define XEN_ENOENT      2
#define XEN_ESRCH       3
#define XEN_ENXIO       6
#define XEN_EBADF       9
#define XEN_EAGAIN      11
#define XEN_ENOMEM      12
#define XEN_EACCES      13
#define XEN_EFAULT      14
#define XEN_EBUSY       16
#define XEN_EEXIST      17
#define XEN_ENODEV      19
#define XEN_EINVAL      22
#define XEN_ENOSPC      28
#define XEN_ERANGE      34
#define XEN_ENOSYS      38
#define XEN_EOPNOTSUPP  95

#define DOMID_SELF      0x7ff0U
#define DOMID_INVALID   0x7ff4U

#define XEN_PAGE_SIZE   4096U
#define XEN_PAGE_SHIFT  12U

/* xen_version */
#define XENVER_version              0
#define XENVER_extraversion         1
#define XENVER_compile_info         2
#define XENVER_capabilities         3
#define XENVER_changeset            4
#define XENVER_platform_parameters  5
#define XENVER_get_features         6
#define XENVER_pagesize             7
#define XENVER_guest_handle         8
#define XENVER_commandline          9

struct xen_feature_info {
    uint32_t submap_idx;
    uint32_t submap;
};
#define XENFEAT_auto_translated_physmap 2

/* vm_assist */
#define VMASST_CMD_enable                   0
#define VMASST_CMD_disable                  1
#define VMASST_TYPE_runstate_update_flag    5

/* vcpu_op */
#define VCPUOP_initialise                       0
#define VCPUOP_up                               1
#define VCPUOP_is_up                            3
#define VCPUOP_get_runstate_info                4
#define VCPUOP_register_runstate_memory_area    5
#define VCPUOP_register_vcpu_info               10

struct vcpu_register_vcpu_info {
    uint64_t mfn;
    uint32_t offset;
    uint32_t rsvd;
};

#define RUNSTATE_running    0
#define RUNSTATE_runnable   1
#define RUNSTATE_blocked    2
#define RUNSTATE_offline    3
#define XEN_RUNSTATE_UPDATE (UINT64_C(1) << 63)

struct vcpu_runstate_info {
    int32_t state;
    uint64_t state_entry_time;
    uint64_t time[4];
};

/* memory_op */
#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_maximum_ram_page     2
#define XENMEM_current_reservation  3
#define XENMEM_maximum_reservation  4
#define XENMEM_populate_physmap     6
#define XENMEM_add_to_physmap       7
#define XENMEM_maximum_gpfn         14
#define XENMEM_remove_from_physmap  15

struct xen_memory_reservation {
    uint64_t extent_start;      /* guest handle: xen_pfn_t[] */
    uint64_t nr_extents;
    uint32_t extent_order;
    uint32_t mem_flags;
    uint16_t domid;
};

#define XENMAPSPACE_shared_info     0
#define XENMAPSPACE_grant_table     1
#define XENMAPSPACE_gmfn            2
#define XENMAPSPACE_gmfn_range      3
#define XENMAPSPACE_gmfn_foreign    4
#define XENMAPSPACE_dev_mmio        5
#define XENMAPIDX_grant_table_status 0x80000000U

struct xen_add_to_physmap {
    uint16_t domid;
    uint16_t size;
    uint32_t space;
    uint64_t idx;
    uint64_t gpfn;
};

struct xen_remove_from_physmap {
    uint16_t domid;
    uint64_t gpfn;
};

/* hvm_op */
#define HVMOP_set_param 0
#define HVMOP_get_param 1
#define HVM_PARAM_CALLBACK_IRQ  0
#define HVM_PARAM_STORE_PFN     1
#define HVM_PARAM_STORE_EVTCHN  2
#define HVM_NR_PARAMS           39

struct xen_hvm_param {
    uint16_t domid;
    uint32_t index;
    uint64_t value;
};

/* sched_op (SCHEDOP_shutdown is in xen.h) */
#define SCHEDOP_yield           0
#define SCHEDOP_block           1
#define SCHEDOP_poll            3
#define SCHEDOP_remote_shutdown 4

struct sched_poll {
    uint64_t ports;             /* guest handle: evtchn_port_t[] */
    uint32_t nr_ports;
    uint64_t timeout;           /* absolute Xen system time in ns, 0 = none */
};

struct sched_remote_shutdown {
    uint16_t domain_id;
    uint32_t reason;
};

/* platform_op */
#define XENPF_INTERFACE_VERSION 0x03000001U
#define XENPF_settime64         62

struct xen_platform_op_hdr {
    uint32_t cmd;
    uint32_t interface_version;
    uint8_t payload[128];       /* the union, large enough for every sub-op */
};

#define PHYSDEVOP_eoi           12
#define PHYSDEVOP_map_pirq      13

/* Hypercall with up to five arguments (x0-x4); the result is x0. */
long xen_hypercall5(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);

static inline uint64_t hc_ptr(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

static inline long hyp_xen_version(uint32_t cmd, void *arg)
{
    return xen_hypercall(XEN_HC_XEN_VERSION, cmd, hc_ptr(arg), 0U);
}

static inline long hyp_memory_op(uint64_t cmd, void *arg)
{
    return xen_hypercall(XEN_HC_MEMORY_OP, cmd, hc_ptr(arg), 0U);
}

static inline long hyp_vcpu_op(uint32_t cmd, uint32_t vcpu, void *arg)
{
    return xen_hypercall(XEN_HC_VCPU_OP, cmd, vcpu, hc_ptr(arg));
}

static inline long hyp_sched_op(uint32_t cmd, void *arg)
{
    return xen_hypercall(XEN_HC_SCHED_OP, cmd, hc_ptr(arg), 0U);
}

static inline long hyp_hvm_op(uint32_t cmd, void *arg)
{
    return xen_hypercall(XEN_HC_HVM_OP, cmd, hc_ptr(arg), 0U);
}

static inline long hyp_evtchn_op(uint32_t cmd, void *arg)
{
    return xen_hypercall(XEN_HC_EVENT_CHANNEL_OP, cmd, hc_ptr(arg), 0U);
}

static inline long hyp_gnttab_op(uint32_t cmd, void *arg, uint32_t count)
{
    return xen_hypercall(XEN_HC_GRANT_TABLE_OP, cmd, hc_ptr(arg), count);
}

/* Map the shared info page at gfn (XENMEM_add_to_physmap); 0 or -errno. */
long xen_map_shared_info(uint64_t gfn);

/* HVMOP_get_param for this domain; 0 or -errno. */
long xen_get_param(uint32_t index, uint64_t *value);

/* "-EINVAL" style name of a negative Xen errno (or "0"), for messages. */
const char *xen_errno_name(long rc);

/* TEST name: PASS when got == want, else FAIL with both values and their errno names. */
bool xen_expect(const char *name, long got, long want);

#endif
