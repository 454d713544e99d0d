/* The domctl hypercall (36) as Xen 4.17 answers it, in Xen's order: the
 * argument block is copied in whole (-EFAULT); its interface version must
 * be 0x15 (-EACCES); the domain it names is looked up with a reference
 * (-ESRCH: no such domain, or it is being destroyed, except for
 * destroydomain, which finds a dying domain still in memory as Xen's
 * lookups do; reserved ids such as DOMID_SELF name nobody here); then the caller's privilege (-EPERM for
 * anyone but the control domain); then the command runs under the domctl
 * lock. A command Xen on Arm does not have answers -ENOSYS, after the
 * same lookup and privilege check (so an unknown command on a missing
 * domain is -ESRCH, as on Xen).
 *
 * The table lists every command Proxenos answers; control.h says which
 * file holds each handler. */
#include "control.h"
#include <proxenos/errno.h>
#include <proxenos/guest_access.h>
#include <proxenos/nospec.h>
#include <proxenos/spinlock.h>

static const struct domctl_entry table[XEN_DOMCTL_NR_CMDS] = {
    /* Domain life cycle and information */
    [XEN_DOMCTL_createdomain] = { domctl_createdomain, COPYBACK_ON_SUCCESS, DOMCTL_NO_TARGET },
    [XEN_DOMCTL_destroydomain] = { domctl_destroydomain, COPYBACK_NONE, DOMCTL_DYING_OK },
    [XEN_DOMCTL_pausedomain] = { domctl_pausedomain, COPYBACK_NONE, 0U },
    [XEN_DOMCTL_unpausedomain] = { domctl_unpausedomain, COPYBACK_NONE, 0U },
    [XEN_DOMCTL_getdomaininfo] = { domctl_getdomaininfo, COPYBACK_ON_SUCCESS,
                                   DOMCTL_NO_TARGET | DOMCTL_OWN_CHECKS },
    [XEN_DOMCTL_setdomainhandle] = { domctl_setdomainhandle, COPYBACK_NONE, 0U },
    [XEN_DOMCTL_settimeoffset] = { domctl_settimeoffset, COPYBACK_NONE, 0U },
    /* Memory */
    [XEN_DOMCTL_max_mem] = { domctl_max_mem, COPYBACK_NONE, 0U },
    [XEN_DOMCTL_get_paging_mempool_size] = { domctl_get_paging_mempool_size,
                                             COPYBACK_ON_SUCCESS, 0U },
    [XEN_DOMCTL_set_paging_mempool_size] = { domctl_set_paging_mempool_size, COPYBACK_NONE, 0U },
    [XEN_DOMCTL_cacheflush] = { domctl_cacheflush, COPYBACK_NONE, 0U },
    [XEN_DOMCTL_set_address_size] = { domctl_set_address_size, COPYBACK_NONE, 0U },
    /* vCPUs: the affinity masks are written through their own addresses */
    [XEN_DOMCTL_max_vcpus] = { domctl_max_vcpus, COPYBACK_NONE, 0U },
    [XEN_DOMCTL_setvcpuaffinity] = { domctl_vcpuaffinity, COPYBACK_NONE, 0U },
    [XEN_DOMCTL_getvcpuaffinity] = { domctl_vcpuaffinity, COPYBACK_NONE, 0U },
    [XEN_DOMCTL_getvcpuinfo] = { domctl_getvcpuinfo, COPYBACK_ON_SUCCESS, 0U },
    [XEN_DOMCTL_setvcpucontext] = { domctl_setvcpucontext, COPYBACK_NONE, 0U },
    [XEN_DOMCTL_getvcpucontext] = { domctl_getvcpucontext, COPYBACK_ON_SUCCESS, 0U },
    /* Scheduling: Xen copies the block back even when the call failed */
    [XEN_DOMCTL_scheduler_op] = { domctl_scheduler_op, COPYBACK_ALWAYS, 0U },
    [XEN_DOMCTL_setnodeaffinity] = { domctl_nodeaffinity, COPYBACK_NONE, 0U },
    [XEN_DOMCTL_getnodeaffinity] = { domctl_nodeaffinity, COPYBACK_NONE, 0U },
    /* Devices: the I/O capabilities check their caller themselves, as Xen */
    [XEN_DOMCTL_iomem_permission] = { domctl_iomem_permission, COPYBACK_NONE,
                                      DOMCTL_OWN_CHECKS },
    [XEN_DOMCTL_irq_permission] = { domctl_irq_permission, COPYBACK_NONE, DOMCTL_OWN_CHECKS },
    [XEN_DOMCTL_vuart_op] = { domctl_vuart_op, COPYBACK_ON_SUCCESS, 0U },
};

/* One domctl at a time, as Xen's domctl_lock. */
static spinlock_t domctl_lock = SPINLOCK_INIT;

static const struct domctl_entry *lookup(uint32_t cmd)
{
    const struct domctl_entry *e = NULL;

    if (cmd < XEN_DOMCTL_NR_CMDS) {
        /* The guest chose cmd: no speculative read past the table. */
        e = &table[array_index_nospec(cmd, XEN_DOMCTL_NR_CMDS)];
    }
    return ((e != NULL) && (e->fn != NULL)) ? e : NULL;
}

/* The command on d under the lock; an unknown command (e NULL) gets here
 * too, to answer -ENOSYS. */
static long run_locked(const struct domctl_entry *e, struct xen_domctl *op, struct domain *d,
                       const struct control_caller *c)
{
    unsigned long flags = spin_lock_irqsave(&domctl_lock);
    long rc = (e != NULL) ? e->fn(op, d, c) : -ENOSYS;

    spin_unlock_irqrestore(&domctl_lock, flags);
    return rc;
}

/* Whether the block goes back to the caller after the handler returned rc
 * (never when the handler did not run). */
static bool copy_back(const struct domctl_entry *e, long rc)
{
    return (e != NULL) && ((e->copyback == COPYBACK_ALWAYS) ||
                           ((e->copyback == COPYBACK_ON_SUCCESS) && (rc == 0)));
}

long do_domctl(struct hcall_args *args)
{
    struct xen_domctl op;
    struct control_caller c;
    const struct domctl_entry *e;
    struct domain *d = NULL;
    bool ran = false;
    long rc = control_copy_in(args, &c, &op, sizeof(op));

    if (rc != 0) {
        return rc;
    }
    if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION) {
        return -EACCES;
    }
    e = lookup(op.cmd);
    if ((e == NULL) || ((e->flags & DOMCTL_NO_TARGET) == 0U)) {
        d = ((e != NULL) && ((e->flags & DOMCTL_DYING_OK) != 0U)) ?
            domain_get_by_id_dying(op.domain) : domain_get_by_id(op.domain);
        if (d == NULL) {
            return -ESRCH;
        }
    }
    if ((e != NULL) && ((e->flags & DOMCTL_OWN_CHECKS) != 0U)) {
        rc = e->fn(&op, d, &c);
        ran = true;
    } else {
        rc = control_permitted(c.d);
        if (rc == 0) {
            rc = run_locked(e, &op, d, &c);
            ran = true;
        }
    }
    if (d != NULL) {
        domain_put(d);
    }
    if (ran && copy_back(e, rc) && (copy_to_guest(c.arg, &op, sizeof(op)) != 0)) {
        rc = -EFAULT;
    }
    return rc;
}
