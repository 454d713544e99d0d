/* The system control hypercall (__HYPERVISOR_sysctl, 35) as Xen 4.17's
 * toolstack speaks it: interface version 0x15, the command numbers, and the
 * argument layouts of the commands Proxenos answers.
 *
 * Numbers and layouts were taken from Xen 4.17.7
 * (xen/include/public/sysctl.h, RELEASE-4.17.7) and are proven below: the
 * argument block is 136 bytes, an 8-byte header and a 128-byte union. Only
 * the control domain may use this hypercall.
 *
 * Self-contained: includes nothing but <stddef.h>, <stdint.h> and the
 * domctl header (whose getdomaininfo entries getdomaininfolist returns).
 */
#ifndef PUBLIC_SYSCTL_H
#define PUBLIC_SYSCTL_H

#include <stddef.h>
#include <stdint.h>
#include <public/domctl.h>

/* Any other version: -EACCES, before anything else. */
#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015U

/* ---- Command numbers ---------------------------------------------------- */
#define XEN_SYSCTL_readconsole              1U
#define XEN_SYSCTL_tbuf_op                  2U
#define XEN_SYSCTL_physinfo                 3U
#define XEN_SYSCTL_sched_id                 4U
#define XEN_SYSCTL_perfc_op                 5U
#define XEN_SYSCTL_getdomaininfolist        6U
#define XEN_SYSCTL_debug_keys               7U
#define XEN_SYSCTL_getcpuinfo               8U
#define XEN_SYSCTL_availheap                9U
#define XEN_SYSCTL_get_pmstat               10U
#define XEN_SYSCTL_cpu_hotplug              11U
#define XEN_SYSCTL_pm_op                    12U
#define XEN_SYSCTL_page_offline_op          14U
#define XEN_SYSCTL_lockprof_op              15U
#define XEN_SYSCTL_cputopoinfo              16U
#define XEN_SYSCTL_numainfo                 17U
#define XEN_SYSCTL_cpupool_op               18U
#define XEN_SYSCTL_scheduler_op             19U
#define XEN_SYSCTL_coverage_op              20U
#define XEN_SYSCTL_psr_cmt_op               21U
#define XEN_SYSCTL_pcitopoinfo              22U
#define XEN_SYSCTL_psr_alloc                23U
#define XEN_SYSCTL_get_cpu_levelling_caps   25U
#define XEN_SYSCTL_get_cpu_featureset       26U
#define XEN_SYSCTL_livepatch_op             27U
#define XEN_SYSCTL_get_cpu_policy           29U
/* One past the highest command number. */
#define XEN_SYSCTL_NR_CMDS                  30U

/* ---- readconsole: the hypervisor's console ring --------------------------
 * Indexes count bytes ever written to the ring (they wrap at 2^32). */
struct xen_sysctl_readconsole {
    uint8_t clear;              /* in: forget what was read */
    uint8_t incremental;        /* in: start at index, not at the oldest byte */
    uint8_t pad0, pad1;
    uint32_t index;             /* in: where to start; out: where reading stopped */
    uint64_t buffer;            /* in: guest virtual address */
    uint32_t count;             /* in: buffer size; out: bytes written */
    uint32_t pad2;
};

/* ---- physinfo ------------------------------------------------------------- */
#define XEN_SYSCTL_PHYSCAP_hvm                (1U << 0)
#define XEN_SYSCTL_PHYSCAP_pv                 (1U << 1)
#define XEN_SYSCTL_PHYSCAP_directio           (1U << 2)
#define XEN_SYSCTL_PHYSCAP_hap                (1U << 3)
#define XEN_SYSCTL_PHYSCAP_shadow             (1U << 4)
#define XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share (1U << 5)
#define XEN_SYSCTL_PHYSCAP_vmtrace            (1U << 6)
#define XEN_SYSCTL_PHYSCAP_vpmu               (1U << 7)
#define XEN_SYSCTL_PHYSCAP_gnttab_v1          (1U << 8)
#define XEN_SYSCTL_PHYSCAP_gnttab_v2          (1U << 9)

struct xen_sysctl_physinfo {
    uint32_t threads_per_core;
    uint32_t cores_per_socket;
    uint32_t nr_cpus;           /* online */
    uint32_t max_cpu_id;        /* highest CPU number there can be */
    uint32_t nr_nodes;          /* online NUMA nodes */
    uint32_t max_node_id;
    uint32_t cpu_khz;
    uint32_t capabilities;      /* XEN_SYSCTL_PHYSCAP_* */
    uint32_t arch_capabilities; /* none defined for Arm in 4.17 */
    uint32_t pad;
    uint64_t total_pages;       /* host RAM */
    uint64_t free_pages;
    uint64_t scrub_pages;
    uint64_t outstanding_pages; /* claimed, not yet allocated */
    uint64_t max_mfn;
    uint32_t hw_cap[8];         /* x86 only */
};

/* ---- sched_id: the default scheduler (XEN_SCHEDULER_*) ---------------- */
struct xen_sysctl_sched_id {
    uint32_t sched_id;
};

/* ---- getdomaininfolist ------------------------------------------------- */
struct xen_sysctl_getdomaininfolist {
    uint16_t first_domain;      /* in: the lowest id wanted */
    uint16_t pad;
    uint32_t max_domains;       /* in: entries the buffer holds */
    uint64_t buffer;            /* in: struct xen_domctl_getdomaininfo[] */
    uint32_t num_domains;       /* out: entries written */
    uint32_t pad2;
};

/* ---- debug_keys: keys handled as if typed on the hypervisor's console ---- */
struct xen_sysctl_debug_keys {
    uint64_t keys;              /* in: guest virtual address of nr_keys chars */
    uint32_t nr_keys;
    uint32_t pad;
};

/* ---- getcpuinfo ------------------------------------------------------- */
struct xen_sysctl_cpuinfo {
    uint64_t idletime;          /* ns the CPU was idle */
};

struct xen_sysctl_getcpuinfo {
    uint32_t max_cpus;          /* in: entries the buffer holds */
    uint32_t pad;
    uint64_t info;              /* in: struct xen_sysctl_cpuinfo[] */
    uint32_t nr_cpus;           /* out: entries written */
    uint32_t pad2;
};

/* ---- cputopoinfo and numainfo -------------------------------------------- */
#define XEN_INVALID_CORE_ID    0xffffffffU
#define XEN_INVALID_SOCKET_ID  0xffffffffU
#define XEN_INVALID_NODE_ID    0xffffffffU
#define XEN_INVALID_MEM_SZ     0xffffffffU
#define XEN_INVALID_NODE_DIST  0xffffffffU

struct xen_sysctl_cputopo {
    uint32_t core;
    uint32_t socket;
    uint32_t node;
};

/* A zero cputopo address asks for the count only. */
struct xen_sysctl_cputopoinfo {
    uint32_t num_cpus;          /* in: entries; out: CPU numbers there are */
    uint32_t pad;
    uint64_t cputopo;           /* struct xen_sysctl_cputopo[] or 0 */
};

struct xen_sysctl_meminfo {
    uint64_t memsize;
    uint64_t memfree;
};

/* Zero addresses for both arrays ask for the count only. distance holds
 * num_nodes x num_nodes entries, row i for node i. */
struct xen_sysctl_numainfo {
    uint32_t num_nodes;         /* in: entries; out: nodes there are */
    uint32_t pad;
    uint64_t meminfo;           /* struct xen_sysctl_meminfo[] or 0 */
    uint64_t distance;          /* uint32_t[] or 0 */
};

/* ---- cpupool_op --------------------------------------------------------- */
#define XEN_SYSCTL_CPUPOOL_OP_CREATE     1U
#define XEN_SYSCTL_CPUPOOL_OP_DESTROY    2U
#define XEN_SYSCTL_CPUPOOL_OP_INFO       3U
#define XEN_SYSCTL_CPUPOOL_OP_ADDCPU     4U
#define XEN_SYSCTL_CPUPOOL_OP_RMCPU      5U
#define XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN 6U
#define XEN_SYSCTL_CPUPOOL_OP_FREEINFO   7U
#define XEN_SYSCTL_CPUPOOL_PAR_ANY       0xffffffffU

struct xen_sysctl_cpupool_op {
    uint32_t op;                /* XEN_SYSCTL_CPUPOOL_OP_* */
    uint32_t cpupool_id;        /* INFO: in, the lowest id wanted; out, the pool's */
    uint32_t sched_id;          /* INFO out: XEN_SCHEDULER_* */
    uint32_t domid;             /* MOVEDOMAIN in */
    uint32_t cpu;               /* ADDCPU / RMCPU in */
    uint32_t n_dom;             /* INFO out: domains in the pool */
    struct xenctl_bitmap cpumap;    /* INFO / FREEINFO out */
};

/* ---- scheduler_op: a pool's scheduler-wide parameters --------------------- */
#define XEN_SYSCTL_SCHEDOP_putinfo 0U
#define XEN_SYSCTL_SCHEDOP_getinfo 1U

/* Context-switch rate limit bounds, in microseconds (credit and credit2). */
#define XEN_SYSCTL_SCHED_RATELIMIT_MAX 500000U
#define XEN_SYSCTL_SCHED_RATELIMIT_MIN 100U
/* credit's time slice bounds, in milliseconds. */
#define XEN_SYSCTL_CSCHED_TSLICE_MAX 1000U
#define XEN_SYSCTL_CSCHED_TSLICE_MIN 1U
/* credit's cache-hot time bound, in microseconds. */
#define XEN_SYSCTL_CSCHED_MGR_DLY_MAX_US 100000U

#define ARINC653_MAX_DOMAINS_PER_SCHEDULE 64U

/* The ARINC653 major frame, passed by guest address: each entry names a
 * domain by its handle and a vCPU, with its run time per frame (ns). */
struct xen_sysctl_arinc653_entry {
    xen_domain_handle_t dom_handle;
    uint32_t vcpu_id;
    uint32_t pad;
    uint64_t runtime;
};

struct xen_sysctl_arinc653_schedule {
    uint64_t major_frame;       /* ns */
    uint8_t num_sched_entries;
    uint8_t pad[7];
    struct xen_sysctl_arinc653_entry sched_entries[ARINC653_MAX_DOMAINS_PER_SCHEDULE];
};

struct xen_sysctl_credit_schedule {
    uint32_t tslice_ms;
    uint32_t ratelimit_us;
    uint32_t vcpu_migr_delay_us;
};

struct xen_sysctl_credit2_schedule {
    uint32_t ratelimit_us;
};

struct xen_sysctl_scheduler_op {
    uint32_t cpupool_id;        /* the pool whose scheduler is meant */
    uint32_t sched_id;          /* XEN_SCHEDULER_*: must be that pool's */
    uint32_t cmd;               /* XEN_SYSCTL_SCHEDOP_* */
    uint32_t pad;
    union {
        struct {
            uint64_t schedule;  /* guest address of a xen_sysctl_arinc653_schedule */
        } sched_arinc653;
        struct xen_sysctl_credit_schedule sched_credit;
        struct xen_sysctl_credit2_schedule sched_credit2;
    } u;
};

/* ---- The argument block ------------------------------------------------- */
struct xen_sysctl {
    uint32_t cmd;               /* XEN_SYSCTL_* */
    uint32_t interface_version; /* XEN_SYSCTL_INTERFACE_VERSION */
    union {
        struct xen_sysctl_readconsole readconsole;
        struct xen_sysctl_physinfo physinfo;
        struct xen_sysctl_sched_id sched_id;
        struct xen_sysctl_getdomaininfolist getdomaininfolist;
        struct xen_sysctl_debug_keys debug_keys;
        struct xen_sysctl_getcpuinfo getcpuinfo;
        struct xen_sysctl_cputopoinfo cputopoinfo;
        struct xen_sysctl_numainfo numainfo;
        struct xen_sysctl_cpupool_op cpupool_op;
        struct xen_sysctl_scheduler_op scheduler_op;
        uint8_t pad[128];
    } u;
};

/* ---- The layouts, proven (against Xen 4.17.7's header compiled for arm64) */
_Static_assert(sizeof(struct xen_sysctl) == 136U, "sysctl layout");
_Static_assert(sizeof(struct xen_sysctl_scheduler_op) == 32U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_scheduler_op, u) == 16U, "sysctl layout");
_Static_assert(sizeof(struct xen_sysctl_arinc653_schedule) == 2064U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_arinc653_schedule, sched_entries) == 16U, "sysctl layout");
_Static_assert(sizeof(struct xen_sysctl_arinc653_entry) == 32U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl, u) == 8U, "sysctl layout");
_Static_assert(sizeof(struct xen_sysctl_readconsole) == 24U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_readconsole, index) == 4U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_readconsole, buffer) == 8U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_readconsole, count) == 16U, "sysctl layout");
_Static_assert(sizeof(struct xen_sysctl_physinfo) == 112U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_physinfo, cpu_khz) == 24U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_physinfo, capabilities) == 28U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_physinfo, arch_capabilities) == 32U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_physinfo, total_pages) == 40U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_physinfo, free_pages) == 48U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_physinfo, scrub_pages) == 56U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_physinfo, outstanding_pages) == 64U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_physinfo, max_mfn) == 72U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_physinfo, hw_cap) == 80U, "sysctl layout");
_Static_assert(sizeof(struct xen_sysctl_sched_id) == 4U, "sysctl layout");
_Static_assert(sizeof(struct xen_sysctl_getdomaininfolist) == 24U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_getdomaininfolist, max_domains) == 4U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_getdomaininfolist, buffer) == 8U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_getdomaininfolist, num_domains) == 16U, "sysctl layout");
_Static_assert(sizeof(struct xen_sysctl_debug_keys) == 16U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_debug_keys, nr_keys) == 8U, "sysctl layout");
_Static_assert(sizeof(struct xen_sysctl_cpuinfo) == 8U, "sysctl layout");
_Static_assert(sizeof(struct xen_sysctl_getcpuinfo) == 24U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_getcpuinfo, info) == 8U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_getcpuinfo, nr_cpus) == 16U, "sysctl layout");
_Static_assert(sizeof(struct xen_sysctl_cputopo) == 12U, "sysctl layout");
_Static_assert(sizeof(struct xen_sysctl_cputopoinfo) == 16U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_cputopoinfo, cputopo) == 8U, "sysctl layout");
_Static_assert(sizeof(struct xen_sysctl_meminfo) == 16U, "sysctl layout");
_Static_assert(sizeof(struct xen_sysctl_numainfo) == 24U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_numainfo, meminfo) == 8U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_numainfo, distance) == 16U, "sysctl layout");
_Static_assert(sizeof(struct xen_sysctl_cpupool_op) == 40U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_cpupool_op, n_dom) == 20U, "sysctl layout");
_Static_assert(offsetof(struct xen_sysctl_cpupool_op, cpumap) == 24U, "sysctl layout");

#endif
