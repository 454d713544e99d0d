/* Between the files of common/control/: the sysctl and domctl dispatchers
 * (sysctl.c, domctl.c), whose const tables name one handler per command,
 * and the files of handlers, one per subject. Nothing outside this folder
 * includes it.
 *
 * A handler gets the argument block already copied in whole and checked
 * for interface version and privilege; it checks its own fields before it
 * changes anything, and writes its answers into the block, which the
 * dispatcher copies back as the table entry says (Xen copies back the
 * whole block, never part of it, except where a handler says otherwise).
 * Guest memory the block points to is reached only through the checked
 * copies of <proxenos/guest_access.h>. */
#ifndef COMMON_CONTROL_H
#define COMMON_CONTROL_H

#include <proxenos/domain.h>
#include <proxenos/hypercall.h>
#include <public/domctl.h>
#include <public/sysctl.h>

/* The caller of a sysctl or domctl. */
struct control_caller {
    struct domain *d;           /* the calling domain */
    uint64_t arg;               /* guest address of its argument block */
};

/* When the dispatcher copies the argument block back to the caller. */
enum control_copyback {
    COPYBACK_NONE,              /* never (the handler wrote what it had to) */
    COPYBACK_ON_SUCCESS,        /* when the handler returned 0 */
    COPYBACK_ALWAYS,            /* whatever the handler returned */
};

typedef long (*sysctl_handler)(struct xen_sysctl *op, const struct control_caller *c);

struct sysctl_entry {
    sysctl_handler fn;
    enum control_copyback copyback;
};

/* d is the domain op->domain names, held by a reference for the call
 * (NULL for the commands flagged DOMCTL_NO_TARGET). */
typedef long (*domctl_handler)(struct xen_domctl *op, struct domain *d,
                               const struct control_caller *c);

/* No domain is looked up for the handler: createdomain names none, and
 * getdomaininfo looks up its own (Xen answers it for an id nobody has). */
#define DOMCTL_NO_TARGET  (1U << 0)
/* The handler applies its own privilege rule and runs outside the domctl
 * lock (Xen's getdomaininfo, iomem_permission, irq_permission). */
#define DOMCTL_OWN_CHECKS (1U << 1)
/* The target may be dying (still in memory): destroydomain again. */
#define DOMCTL_DYING_OK   (1U << 2)

struct domctl_entry {
    domctl_handler fn;
    enum control_copyback copyback;
    uint8_t flags;              /* DOMCTL_* */
};

/* Xen's dummy XSM policy, the one Debian's Xen 4.17 runs: the control
 * domain may do everything; other domains nothing (the xenstore-domain
 * and device-model exceptions need domains Proxenos cannot create yet).
 * 0 or -EPERM. */
int control_permitted(const struct domain *caller);

/* What sysctl and domctl start with: the calling domain and its argument
 * block of size bytes, copied in whole into op. 0, -ESRCH (no vCPU is
 * calling) or -EFAULT. */
long control_copy_in(const struct hcall_args *args, struct control_caller *c, void *op,
                     size_t size);

/* ---- xenctl_bitmap (control_bitmap.c) -----------------------------------
 * CPU masks are uint64_t bitmaps (bit n: CPU n) of nbits bits. */

/* Write mask to the caller's bitmap as Xen does: the bytes both sides
 * have, then zeros up to the caller's nr_bits. 0 or -EFAULT. A bitmap
 * with nr_bits 0 is left alone. */
int control_bitmap_to_guest(const struct xenctl_bitmap *b, uint64_t mask, unsigned int nbits);
/* Read the caller's bitmap: bits past its nr_bits or past nbits are 0.
 * 0 or -EFAULT. */
int control_bitmap_from_guest(const struct xenctl_bitmap *b, unsigned int nbits, uint64_t *mask);

/* ---- Domain information (control_domain_info.c) ------------------------ */
void control_domain_info(const struct domain *d, struct xen_domctl_getdomaininfo *info);
long sysctl_getdomaininfolist(struct xen_sysctl *op, const struct control_caller *c);
long domctl_getdomaininfo(struct xen_domctl *op, struct domain *d, const struct control_caller *c);

/* ---- The machine (sysctl_physinfo.c) -------------------------------------- */
long sysctl_physinfo(struct xen_sysctl *op, const struct control_caller *c);
long sysctl_cputopoinfo(struct xen_sysctl *op, const struct control_caller *c);
long sysctl_numainfo(struct xen_sysctl *op, const struct control_caller *c);
long sysctl_getcpuinfo(struct xen_sysctl *op, const struct control_caller *c);

/* ---- The hypervisor's console (sysctl_console.c) ------------------------- */
long sysctl_readconsole(struct xen_sysctl *op, const struct control_caller *c);
long sysctl_debug_keys(struct xen_sysctl *op, const struct control_caller *c);

/* ---- Scheduling and CPU pools (control_sched.c) ---------------------------- */
/* XEN_SCHEDULER_* of a scheduler name ("credit2", "null"). */
uint32_t control_sched_id(const char *name);
long sysctl_sched_id(struct xen_sysctl *op, const struct control_caller *c);
long sysctl_cpupool_op(struct xen_sysctl *op, const struct control_caller *c);
long sysctl_scheduler_op(struct xen_sysctl *op, const struct control_caller *c);
long domctl_scheduler_op(struct xen_domctl *op, struct domain *d, const struct control_caller *c);
long domctl_nodeaffinity(struct xen_domctl *op, struct domain *d, const struct control_caller *c);

/* ---- Domain life cycle (domctl_lifecycle.c, domctl_createdomain.c) ------ */
long domctl_createdomain(struct xen_domctl *op, struct domain *d, const struct control_caller *c);
long domctl_destroydomain(struct xen_domctl *op, struct domain *d,
                          const struct control_caller *c);
long domctl_pausedomain(struct xen_domctl *op, struct domain *d, const struct control_caller *c);
long domctl_unpausedomain(struct xen_domctl *op, struct domain *d, const struct control_caller *c);
long domctl_setdomainhandle(struct xen_domctl *op, struct domain *d,
                            const struct control_caller *c);
long domctl_settimeoffset(struct xen_domctl *op, struct domain *d, const struct control_caller *c);

/* ---- Memory (domctl_memory.c) ---------------------------------------------- */
long domctl_max_mem(struct xen_domctl *op, struct domain *d, const struct control_caller *c);
long domctl_get_paging_mempool_size(struct xen_domctl *op, struct domain *d,
                                    const struct control_caller *c);
long domctl_set_paging_mempool_size(struct xen_domctl *op, struct domain *d,
                                    const struct control_caller *c);
long domctl_cacheflush(struct xen_domctl *op, struct domain *d, const struct control_caller *c);
long domctl_set_address_size(struct xen_domctl *op, struct domain *d,
                             const struct control_caller *c);

/* ---- vCPUs (domctl_vcpu.c) ------------------------------------------------- */
long domctl_max_vcpus(struct xen_domctl *op, struct domain *d, const struct control_caller *c);
long domctl_vcpuaffinity(struct xen_domctl *op, struct domain *d, const struct control_caller *c);
long domctl_getvcpuinfo(struct xen_domctl *op, struct domain *d, const struct control_caller *c);
/* (domctl_vcpu_context.c) */
long domctl_setvcpucontext(struct xen_domctl *op, struct domain *d,
                           const struct control_caller *c);
long domctl_getvcpucontext(struct xen_domctl *op, struct domain *d,
                           const struct control_caller *c);

/* ---- Devices (domctl_devices.c) -------------------------------------------- */
long domctl_iomem_permission(struct xen_domctl *op, struct domain *d,
                             const struct control_caller *c);
long domctl_irq_permission(struct xen_domctl *op, struct domain *d,
                           const struct control_caller *c);
long domctl_vuart_op(struct xen_domctl *op, struct domain *d, const struct control_caller *c);

#endif
