/* Xen 4.17's core guest ABI as an arm64 guest sees it: the hypercall
 * numbers, virtual IRQ numbers, vm_assist types and the layout of the
 * shared info page and of a vCPU's vcpu_info.
 *
 * Numbers and layouts checked against Xen 4.17.0 (RELEASE-4.17.0):
 * xen/include/public/xen.h and arch-arm.h. On Arm, xen_ulong_t is 64 bits
 * for 32- and 64-bit guests alike, struct arch_vcpu_info and struct
 * arch_shared_info are empty, and vcpu_info has no upcall mask byte
 * (XEN_HAVE_PV_UPCALL_MASK is x86 only). Self-contained: includes nothing
 * but <stdint.h> and the architecture's ABI header, which arch.h chooses.
 */
#ifndef PUBLIC_XEN_H
#define PUBLIC_XEN_H

#include <stdint.h>
#include <public/arch.h>

typedef uint64_t xen_ulong_t;
typedef uint16_t xen_domid_t;
typedef uint32_t evtchn_port_t;
typedef uint32_t grant_ref_t;
typedef uint64_t xen_pfn_t;

/* Frames named in hypercall arguments and shared rings are 4 KiB on every
 * architecture, even under a guest kernel with 16 or 64 KiB pages (value
 * from Xen 4.17's public/io/ring.h). */
#define XEN_PAGE_SHIFT 12

/* ---- Hypercall numbers (x16 at HVC #XEN_HYPERCALL_TAG) ------------------ */
#define __HYPERVISOR_platform_op        7
#define __HYPERVISOR_memory_op          12
#define __HYPERVISOR_multicall          13
#define __HYPERVISOR_xen_version        17
#define __HYPERVISOR_console_io         18
#define __HYPERVISOR_grant_table_op     20
#define __HYPERVISOR_vm_assist          21
#define __HYPERVISOR_vcpu_op            24
#define __HYPERVISOR_xsm_op             27
#define __HYPERVISOR_sched_op           29
#define __HYPERVISOR_event_channel_op   32
#define __HYPERVISOR_physdev_op         33
#define __HYPERVISOR_hvm_op             34
#define __HYPERVISOR_sysctl             35
#define __HYPERVISOR_domctl             36
#define __HYPERVISOR_argo_op            39
#define __HYPERVISOR_dm_op              41
#define __HYPERVISOR_hypfs_op           42
/* One past the highest number any architecture uses (arch_7 = 55). */
#define XEN_NR_HYPERCALLS               56

/* ---- multicall ----------------------------------------------------------
 * One entry of a __HYPERVISOR_multicall batch: the sub-call's number and
 * arguments in, its result out (64 bytes on Arm). */
struct multicall_entry {
    xen_ulong_t op;
    int64_t result;
    xen_ulong_t args[6];
};

/* ---- Domain ids ----------------------------------------------------------- */
#define XEN_DOMID_FIRST_RESERVED 0x7ff0U
#define XEN_DOMID_SELF           0x7ff0U
#define XEN_DOMID_IO             0x7ff1U
#define XEN_DOMID_XEN            0x7ff2U
#define XEN_DOMID_COW            0x7ff3U
#define XEN_DOMID_INVALID        0x7ff4U
#define XEN_DOMID_IDLE           0x7fffU

/* ---- Virtual IRQs (EVTCHNOP_bind_virq) -------------------------------------
 * Per-vCPU ("V") VIRQs are bound on each vCPU; global ("G") ones once per
 * domain, to any vCPU. */
#define VIRQ_TIMER       0   /* V */
#define VIRQ_DEBUG       1   /* V */
#define VIRQ_CONSOLE     2   /* G: dom0, console input */
#define VIRQ_DOM_EXC     3   /* G: dom0, a domain shut down or crashed */
#define VIRQ_TBUF        4   /* G */
#define VIRQ_DEBUGGER    6   /* G */
#define VIRQ_XENOPROF    7   /* V */
#define VIRQ_CON_RING    8   /* G */
#define VIRQ_PCPU_STATE  9   /* G */
#define VIRQ_MEM_EVENT   10  /* G */
#define VIRQ_ARGO        11  /* G */
#define VIRQ_ENOMEM      12  /* G */
#define VIRQ_XENPMU      13  /* V */
#define VIRQ_ARCH_0      16
#define NR_VIRQS         24

/* ---- console_io ----------------------------------------------------------- */
#define CONSOLEIO_write  0
#define CONSOLEIO_read   1

/* ---- vm_assist ------------------------------------------------------------ */
#define VMASST_CMD_enable                0
#define VMASST_CMD_disable               1
#define VMASST_TYPE_runstate_update_flag 5
/* The only type Arm accepts. */
#define VMASST_ARM_VALID (1UL << VMASST_TYPE_runstate_update_flag)

/* ---- Shared memory between a vCPU and the hypervisor ---------------------- */

/* System time (ns since the domain's time base) at counter value
 * tsc_timestamp; version is odd while the hypervisor updates it. */
struct vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
    uint8_t flags;
    uint8_t pad1[2];
};

/* Per vCPU: the upcall flag and the 2-level selector. Arm has no upcall
 * mask (the guest masks the event-channel PPI instead). 48 bytes. */
struct vcpu_info {
    uint8_t evtchn_upcall_pending;
    uint8_t pad0;
    xen_ulong_t evtchn_pending_sel;
    struct vcpu_time_info time;
};

/* The page every domain shares with the hypervisor (XENMAPSPACE_shared_info).
 * evtchn_pending/mask are the 2-level ABI's bitmaps: 64 x 64 = 4096 ports. */
#define EVTCHN_2L_WORDS 64U
struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    xen_ulong_t evtchn_pending[EVTCHN_2L_WORDS];
    xen_ulong_t evtchn_mask[EVTCHN_2L_WORDS];
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;
};

#endif
