/* The domain control hypercall (__HYPERVISOR_domctl, 36) as Xen 4.17's
 * toolstack speaks it: interface version 0x15, the command numbers, and the
 * argument layouts of the commands Proxenos answers (the rest of Xen's
 * commands are listed by number only, so that they can be named in tests
 * and documentation).
 *
 * Every number and layout here was taken from Xen 4.17.7
 * (xen/include/public/domctl.h and arch-arm.h, RELEASE-4.17.7) and is
 * proven below by size and offset assertions: one argument block of 144
 * bytes, a 16-byte header and a 128-byte union. Guest handles are 64-bit
 * guest virtual addresses on Arm, written here as uint64_t. Only the
 * control domain may use this hypercall.
 *
 * Self-contained: includes nothing but <stddef.h>, <stdint.h>, the
 * architecture's ABI header (arch.h chooses it) and version.h.
 */
#ifndef PUBLIC_DOMCTL_H
#define PUBLIC_DOMCTL_H

#include <stddef.h>
#include <stdint.h>
#include <public/arch.h>
#include <public/version.h>

/* A call with any other version is refused with -EACCES before anything
 * else is looked at: the tools and the hypervisor must agree exactly. */
#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015U

/* xen_domain_handle_t, a domain's 16-byte identity chosen by the
 * toolstack (xl uses a UUID), comes from version.h (XENVER_guest_handle). */

/* A bitmap in the caller's memory: bit n is bit (n % 8) of byte n / 8.
 * nr_bits says how many bits the caller's buffer holds. */
struct xenctl_bitmap {
    uint64_t bitmap;            /* guest virtual address of the bytes */
    uint32_t nr_bits;
};

/* ---- Command numbers -------------------------------------------------- */
#define XEN_DOMCTL_createdomain              1U
#define XEN_DOMCTL_destroydomain             2U
#define XEN_DOMCTL_pausedomain               3U
#define XEN_DOMCTL_unpausedomain             4U
#define XEN_DOMCTL_getdomaininfo             5U
#define XEN_DOMCTL_setvcpuaffinity           9U
#define XEN_DOMCTL_shadow_op                 10U
#define XEN_DOMCTL_max_mem                   11U
#define XEN_DOMCTL_setvcpucontext            12U
#define XEN_DOMCTL_getvcpucontext            13U
#define XEN_DOMCTL_getvcpuinfo               14U
#define XEN_DOMCTL_max_vcpus                 15U
#define XEN_DOMCTL_scheduler_op              16U
#define XEN_DOMCTL_setdomainhandle           17U
#define XEN_DOMCTL_setdebugging              18U
#define XEN_DOMCTL_irq_permission            19U
#define XEN_DOMCTL_iomem_permission          20U
#define XEN_DOMCTL_ioport_permission         21U
#define XEN_DOMCTL_hypercall_init            22U
#define XEN_DOMCTL_settimeoffset             24U
#define XEN_DOMCTL_getvcpuaffinity           25U
#define XEN_DOMCTL_resumedomain              27U
#define XEN_DOMCTL_sendtrigger               28U
#define XEN_DOMCTL_subscribe                 29U
#define XEN_DOMCTL_gethvmcontext             33U
#define XEN_DOMCTL_sethvmcontext             34U
#define XEN_DOMCTL_set_address_size          35U
#define XEN_DOMCTL_get_address_size          36U
#define XEN_DOMCTL_assign_device             37U
#define XEN_DOMCTL_bind_pt_irq               38U
#define XEN_DOMCTL_memory_mapping            39U
#define XEN_DOMCTL_ioport_mapping            40U
#define XEN_DOMCTL_test_assign_device        45U
#define XEN_DOMCTL_set_target                46U
#define XEN_DOMCTL_deassign_device           47U
#define XEN_DOMCTL_unbind_pt_irq             48U
#define XEN_DOMCTL_get_device_group          50U
#define XEN_DOMCTL_vm_event_op               56U
#define XEN_DOMCTL_set_virq_handler          66U
#define XEN_DOMCTL_setnodeaffinity           68U
#define XEN_DOMCTL_getnodeaffinity           69U
/* 70 was set_max_evtchn until Xen 4.17 folded it into createdomain's
 * max_evtchn_port: the number is unused and answers -ENOSYS. */
#define XEN_DOMCTL_cacheflush                71U
#define XEN_DOMCTL_setvnumainfo              74U
#define XEN_DOMCTL_monitor_op                77U
#define XEN_DOMCTL_soft_reset                79U
#define XEN_DOMCTL_vuart_op                  81U
#define XEN_DOMCTL_get_paging_mempool_size   85U
#define XEN_DOMCTL_set_paging_mempool_size   86U
/* One past the highest command number the dispatcher's table covers; the
 * gdbsx commands (1000-1003) are x86 only and fall outside it. */
#define XEN_DOMCTL_NR_CMDS                   87U

/* ---- createdomain --------------------------------------------------------
 * In: what the new domain gets. domain (in the header) is in/out: 0 or an
 * id of DOMID_FIRST_RESERVED and above asks the hypervisor to pick one. */
#define XEN_DOMCTL_CDF_hvm          (1U << 0)   /* required on Arm */
#define XEN_DOMCTL_CDF_hap          (1U << 1)   /* required on Arm */
#define XEN_DOMCTL_CDF_s3_integrity (1U << 2)
#define XEN_DOMCTL_CDF_oos_off      (1U << 3)
#define XEN_DOMCTL_CDF_xs_domain    (1U << 4)   /* runs xenstored */
#define XEN_DOMCTL_CDF_iommu        (1U << 5)
#define XEN_DOMCTL_CDF_nested_virt  (1U << 6)
#define XEN_DOMCTL_CDF_vpmu         (1U << 7)

#define XEN_DOMCTL_GRANT_version_mask 0xfU      /* low bits of grant_opts */

/* xen_domctl_createdomain.iommu_opts: the IOMMU does not share the CPU's
 * stage-2 tables. */
#define XEN_DOMCTL_IOMMU_no_sharept (1U << 0)

struct xen_domctl_createdomain {
    uint32_t ssidref;
    xen_domain_handle_t handle;
    uint32_t flags;                 /* XEN_DOMCTL_CDF_* */
    uint32_t iommu_opts;        /* XEN_DOMCTL_IOMMU_* */
    uint32_t max_vcpus;
    uint32_t max_evtchn_port;
    int32_t max_grant_frames;       /* negative: the hypervisor's default */
    int32_t max_maptrack_frames;    /* negative: the hypervisor's default */
    uint32_t grant_opts;
    uint32_t vmtrace_size;
    uint32_t cpupool_id;
    struct xen_arch_domainconfig arch;
};

/* ---- getdomaininfo (and each entry of sysctl getdomaininfolist) ---------- */
#define XEN_DOMINF_dying        (1U << 0)   /* being destroyed */
#define XEN_DOMINF_hvm_guest    (1U << 1)   /* every Arm domain */
#define XEN_DOMINF_shutdown     (1U << 2)   /* the guest has shut down */
#define XEN_DOMINF_paused       (1U << 3)   /* paused by the toolstack */
#define XEN_DOMINF_blocked      (1U << 4)   /* every online vCPU waits */
#define XEN_DOMINF_running      (1U << 5)   /* some vCPU is on a CPU */
#define XEN_DOMINF_debugged     (1U << 6)
#define XEN_DOMINF_xs_domain    (1U << 7)
#define XEN_DOMINF_hap          (1U << 8)   /* every Arm domain */
/* The SHUTDOWN_* reason sits in bits 23:16 of flags. */
#define XEN_DOMINF_shutdownmask  255U
#define XEN_DOMINF_shutdownshift 16U

/* max_vcpu_id of a domain without vCPUs. */
#define XEN_INVALID_MAX_VCPU_ID 0xffffffffU

struct xen_domctl_getdomaininfo {
    uint16_t domain;                /* also written to the header's domain */
    uint16_t pad1;
    uint32_t flags;                 /* XEN_DOMINF_* */
    uint64_t tot_pages;
    uint64_t max_pages;
    uint64_t outstanding_pages;
    uint64_t shr_pages;
    uint64_t paged_pages;
    uint64_t shared_info_frame;     /* on Arm: the machine frame */
    uint64_t cpu_time;              /* ns all vCPUs ran */
    uint32_t nr_online_vcpus;
    uint32_t max_vcpu_id;
    uint32_t ssidref;
    xen_domain_handle_t handle;
    uint32_t cpupool;
    uint8_t gpaddr_bits;            /* guest-physical address size */
    uint8_t pad2[7];
    struct xen_arch_domainconfig arch_config;   /* not filled on Arm */
};

/* ---- vCPU affinity (set/get) --------------------------------------------- */
#define XEN_VCPUAFFINITY_HARD  (1U << 0)
#define XEN_VCPUAFFINITY_SOFT  (1U << 1)
#define XEN_VCPUAFFINITY_FORCE (1U << 2)    /* also undo SCHEDOP_pin_override */

struct xen_domctl_vcpuaffinity {
    uint32_t vcpu;
    uint32_t flags;                 /* XEN_VCPUAFFINITY_* */
    /* set: in, and out as the mask in effect; get: out. */
    struct xenctl_bitmap cpumap_hard;
    struct xenctl_bitmap cpumap_soft;
};

/* setnodeaffinity / getnodeaffinity */
struct xen_domctl_nodeaffinity {
    struct xenctl_bitmap nodemap;
};

/* max_mem: the most RAM the domain may hold. */
struct xen_domctl_max_mem {
    uint64_t max_memkb;
};

/* setvcpucontext / getvcpucontext: ctxt points at a
 * struct vcpu_guest_context (arch-arm.h). */
struct xen_domctl_vcpucontext {
    uint32_t vcpu;
    uint32_t pad;
    uint64_t ctxt;
};

/* getvcpuinfo */
struct xen_domctl_getvcpuinfo {
    uint32_t vcpu;                  /* in */
    uint8_t online;                 /* out: up (not powered off) */
    uint8_t blocked;                /* out: waiting for an event */
    uint8_t running;                /* out: on a CPU now */
    uint8_t pad;
    uint64_t cpu_time;              /* out: ns it ran */
    uint32_t cpu;                   /* out: the CPU it runs or queues on */
    uint32_t pad2;
};

/* max_vcpus: must repeat createdomain's max_vcpus. */
struct xen_domctl_max_vcpus {
    uint32_t max;
};

/* ---- scheduler_op ------------------------------------------------------ */
#define XEN_SCHEDULER_CREDIT   5U
#define XEN_SCHEDULER_CREDIT2  6U
#define XEN_SCHEDULER_ARINC653 7U
#define XEN_SCHEDULER_RTDS     8U
#define XEN_SCHEDULER_NULL     9U

#define XEN_DOMCTL_SCHEDOP_putinfo     0U
#define XEN_DOMCTL_SCHEDOP_getinfo     1U
#define XEN_DOMCTL_SCHEDOP_putvcpuinfo 2U
#define XEN_DOMCTL_SCHEDOP_getvcpuinfo 3U

/* credit and credit2 have the same parameters. */
struct xen_domctl_sched_credit {
    uint16_t weight;
    uint16_t cap;                   /* percent of one CPU; 0: none */
};

struct xen_domctl_sched_credit2 {
    uint16_t weight;
    uint16_t cap;
};

/* RTDS: period and budget in microseconds; extra time as a flag. */
#define XEN_DOMCTL_SCHEDRT_extra 1U

struct xen_domctl_sched_rtds {
    uint32_t period;
    uint32_t budget;
    uint32_t flags;             /* XEN_DOMCTL_SCHEDRT_* */
};

/* One entry of the per-vCPU array of putvcpuinfo / getvcpuinfo. */
struct xen_domctl_schedparam_vcpu {
    union {
        struct xen_domctl_sched_credit credit;
        struct xen_domctl_sched_credit2 credit2;
        struct xen_domctl_sched_rtds rtds;
    } u;
    uint32_t vcpuid;
};

struct xen_domctl_scheduler_op {
    uint32_t sched_id;              /* XEN_SCHEDULER_*: the domain's pool's */
    uint32_t cmd;                   /* XEN_DOMCTL_SCHEDOP_* */
    union {
        struct xen_domctl_sched_credit credit;
        struct xen_domctl_sched_credit2 credit2;
        struct xen_domctl_sched_rtds rtds;
        struct {
            uint64_t vcpus;         /* guest address of xen_domctl_schedparam_vcpu[] */
            uint32_t nr_vcpus;
            uint32_t padding;
        } v;
    } u;
};

/* setdomainhandle */
struct xen_domctl_setdomainhandle {
    xen_domain_handle_t handle;
};

/* setdebugging */
struct xen_domctl_setdebugging {
    uint8_t enable;
};

/* irq_permission: may the domain be given this interrupt? */
struct xen_domctl_irq_permission {
    uint32_t pirq;                  /* on Arm: the INTID */
    uint8_t allow_access;
    uint8_t pad[3];
};

/* iomem_permission: may the domain map these machine frames? */
struct xen_domctl_iomem_permission {
    uint64_t first_mfn;
    uint64_t nr_mfns;
    uint8_t allow_access;
    uint8_t pad[7];
};

/* settimeoffset: seconds added to the wall clock the domain sees. */
struct xen_domctl_settimeoffset {
    int64_t time_offset_seconds;
};

/* set_address_size / get_address_size: 32 or 64 (bits). */
struct xen_domctl_address_size {
    uint32_t size;
};

/* cacheflush: clean and invalidate the data cache over guest frames. */
struct xen_domctl_cacheflush {
    uint64_t start_pfn;
    uint64_t nr_pfns;
};

/* get/set_paging_mempool_size: the stage-2 table pool, in bytes. */
struct xen_domctl_paging_mempool {
    uint64_t size;
};

/* vuart_op: give a domain being built a vpl011 whose back end is a ring
 * page served by the console daemon of console_domid. */
#define XEN_DOMCTL_VUART_OP_INIT     0U
#define XEN_DOMCTL_VUART_TYPE_VPL011 0U
struct xen_domctl_vuart_op {
    uint32_t cmd;                   /* XEN_DOMCTL_VUART_OP_* */
    uint32_t type;                  /* XEN_DOMCTL_VUART_TYPE_* */
    uint64_t gfn;                   /* in: the ring page */
    uint16_t console_domid;         /* in */
    uint8_t pad[2];                 /* must be zero */
    uint32_t evtchn;                /* out: the back end's port */
};

/* ---- The argument block ---------------------------------------------- */
struct xen_domctl {
    uint32_t cmd;                   /* XEN_DOMCTL_* */
    uint32_t interface_version;     /* XEN_DOMCTL_INTERFACE_VERSION */
    uint16_t domain;                /* the target */
    uint16_t pad[3];
    union {
        struct xen_domctl_createdomain createdomain;
        struct xen_domctl_getdomaininfo getdomaininfo;
        struct xen_domctl_vcpuaffinity vcpuaffinity;
        struct xen_domctl_nodeaffinity nodeaffinity;
        struct xen_domctl_max_mem max_mem;
        struct xen_domctl_vcpucontext vcpucontext;
        struct xen_domctl_getvcpuinfo getvcpuinfo;
        struct xen_domctl_max_vcpus max_vcpus;
        struct xen_domctl_scheduler_op scheduler_op;
        struct xen_domctl_setdomainhandle setdomainhandle;
        struct xen_domctl_setdebugging setdebugging;
        struct xen_domctl_irq_permission irq_permission;
        struct xen_domctl_iomem_permission iomem_permission;
        struct xen_domctl_settimeoffset settimeoffset;
        struct xen_domctl_address_size address_size;
        struct xen_domctl_cacheflush cacheflush;
        struct xen_domctl_paging_mempool paging_mempool;
        struct xen_domctl_vuart_op vuart_op;
        uint8_t pad[128];
    } u;
};

/* ---- The layouts, proven (against Xen 4.17.7's header compiled for arm64) */

_Static_assert(sizeof(struct xenctl_bitmap) == 16U, "domctl layout");
_Static_assert(offsetof(struct xenctl_bitmap, nr_bits) == 8U, "domctl layout");

_Static_assert(sizeof(struct xen_arch_domainconfig) == 12U, "domctl layout");
_Static_assert(offsetof(struct xen_arch_domainconfig, tee_type) == 2U, "domctl layout");
_Static_assert(offsetof(struct xen_arch_domainconfig, nr_spis) == 4U, "domctl layout");
_Static_assert(offsetof(struct xen_arch_domainconfig, clock_frequency) == 8U, "domctl layout");
_Static_assert(sizeof(struct vcpu_guest_core_regs) == 312U, "domctl layout");
_Static_assert(offsetof(struct vcpu_guest_core_regs, x30) == 240U, "domctl layout");
_Static_assert(offsetof(struct vcpu_guest_core_regs, pc64) == 248U, "domctl layout");
_Static_assert(offsetof(struct vcpu_guest_core_regs, cpsr) == 256U, "domctl layout");
_Static_assert(offsetof(struct vcpu_guest_core_regs, spsr_el1) == 264U, "domctl layout");
_Static_assert(offsetof(struct vcpu_guest_core_regs, spsr_fiq) == 272U, "domctl layout");
_Static_assert(offsetof(struct vcpu_guest_core_regs, sp_el0) == 288U, "domctl layout");
_Static_assert(offsetof(struct vcpu_guest_core_regs, elr_el1) == 304U, "domctl layout");
_Static_assert(sizeof(struct vcpu_guest_context) == 352U, "domctl layout");
_Static_assert(offsetof(struct vcpu_guest_context, user_regs) == 8U, "domctl layout");
_Static_assert(offsetof(struct vcpu_guest_context, sctlr) == 320U, "domctl layout");
_Static_assert(offsetof(struct vcpu_guest_context, ttbr1) == 344U, "domctl layout");

_Static_assert(sizeof(struct xen_domctl) == 144U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl, interface_version) == 4U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl, domain) == 8U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl, u) == 16U, "domctl layout");

_Static_assert(sizeof(struct xen_domctl_createdomain) == 68U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_createdomain, handle) == 4U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_createdomain, flags) == 20U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_createdomain, iommu_opts) == 24U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_createdomain, max_vcpus) == 28U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_createdomain, max_evtchn_port) == 32U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_createdomain, max_grant_frames) == 36U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_createdomain, max_maptrack_frames) ==
               40U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_createdomain, grant_opts) == 44U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_createdomain, vmtrace_size) == 48U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_createdomain, cpupool_id) == 52U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_createdomain, arch) == 56U, "domctl layout");

_Static_assert(sizeof(struct xen_domctl_getdomaininfo) == 120U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, flags) == 4U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, tot_pages) == 8U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, max_pages) == 16U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, outstanding_pages) ==
               24U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, shr_pages) == 32U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, paged_pages) == 40U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, shared_info_frame) ==
               48U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, cpu_time) == 56U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, nr_online_vcpus) == 64U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, max_vcpu_id) == 68U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, ssidref) == 72U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, handle) == 76U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, cpupool) == 92U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, gpaddr_bits) == 96U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, arch_config) == 104U, "domctl layout");

_Static_assert(sizeof(struct xen_domctl_vcpuaffinity) == 40U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_vcpuaffinity, flags) == 4U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_vcpuaffinity, cpumap_hard) == 8U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_vcpuaffinity, cpumap_soft) == 24U, "domctl layout");
_Static_assert(sizeof(struct xen_domctl_nodeaffinity) == 16U, "domctl layout");
_Static_assert(sizeof(struct xen_domctl_max_mem) == 8U, "domctl layout");
_Static_assert(sizeof(struct xen_domctl_vcpucontext) == 16U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_vcpucontext, ctxt) == 8U, "domctl layout");
_Static_assert(sizeof(struct xen_domctl_getvcpuinfo) == 24U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_getvcpuinfo, online) == 4U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_getvcpuinfo, blocked) == 5U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_getvcpuinfo, running) == 6U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_getvcpuinfo, cpu_time) == 8U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_getvcpuinfo, cpu) == 16U, "domctl layout");
_Static_assert(sizeof(struct xen_domctl_max_vcpus) == 4U, "domctl layout");
_Static_assert(sizeof(struct xen_domctl_scheduler_op) == 24U, "domctl layout");
_Static_assert(sizeof(struct xen_domctl_schedparam_vcpu) == 16U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_schedparam_vcpu, vcpuid) == 12U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_scheduler_op, cmd) == 4U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_scheduler_op, u.credit2.weight) == 8U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_scheduler_op, u.credit2.cap) == 10U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_scheduler_op, u.v.nr_vcpus) == 16U, "domctl layout");
_Static_assert(sizeof(struct xen_domctl_setdomainhandle) == 16U, "domctl layout");
_Static_assert(sizeof(struct xen_domctl_setdebugging) == 1U, "domctl layout");
_Static_assert(sizeof(struct xen_domctl_irq_permission) == 8U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_irq_permission, allow_access) == 4U, "domctl layout");
_Static_assert(sizeof(struct xen_domctl_iomem_permission) == 24U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_iomem_permission, nr_mfns) == 8U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_iomem_permission, allow_access) == 16U, "domctl layout");
_Static_assert(sizeof(struct xen_domctl_settimeoffset) == 8U, "domctl layout");
_Static_assert(sizeof(struct xen_domctl_address_size) == 4U, "domctl layout");
_Static_assert(sizeof(struct xen_domctl_cacheflush) == 16U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_cacheflush, nr_pfns) == 8U, "domctl layout");
_Static_assert(sizeof(struct xen_domctl_paging_mempool) == 8U, "domctl layout");
_Static_assert(sizeof(struct xen_domctl_vuart_op) == 24U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_vuart_op, gfn) == 8U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_vuart_op, console_domid) == 16U, "domctl layout");
_Static_assert(offsetof(struct xen_domctl_vuart_op, evtchn) == 20U, "domctl layout");

#endif
