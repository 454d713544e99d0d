/* The sysctl hypercall (35) as Xen 4.17 answers it: the argument block is
 * copied in whole (-EFAULT), its interface version must be 0x15 (-EACCES),
 * the caller must be the control domain (-EPERM), and then the command's
 * handler runs under one lock for all sysctls; commands Xen on Arm does not
 * have answer -ENOSYS. The table below lists every command Proxenos
 * answers, with the file of its handler. */
#include "control.h"
#include <proxenos/errno.h>
#include <proxenos/guest_access.h>
#include <proxenos/nospec.h>
#include <proxenos/spinlock.h>

/* Handlers by file: sysctl_console.c (readconsole, debug keys), sysctl_physinfo.c
 * (the machine), control_sched.c (schedulers, pools), control_domain_info.c
 * (domains). */
static const struct sysctl_entry table[XEN_SYSCTL_NR_CMDS] = {
    [XEN_SYSCTL_readconsole] = { sysctl_readconsole, COPYBACK_ON_SUCCESS },
    [XEN_SYSCTL_debug_keys] = { sysctl_debug_keys, COPYBACK_NONE },
    [XEN_SYSCTL_physinfo] = { sysctl_physinfo, COPYBACK_ON_SUCCESS },
    [XEN_SYSCTL_getcpuinfo] = { sysctl_getcpuinfo, COPYBACK_ON_SUCCESS },
    [XEN_SYSCTL_cputopoinfo] = { sysctl_cputopoinfo, COPYBACK_ON_SUCCESS },
    [XEN_SYSCTL_numainfo] = { sysctl_numainfo, COPYBACK_ON_SUCCESS },
    [XEN_SYSCTL_sched_id] = { sysctl_sched_id, COPYBACK_ON_SUCCESS },
    [XEN_SYSCTL_cpupool_op] = { sysctl_cpupool_op, COPYBACK_ON_SUCCESS },
    [XEN_SYSCTL_scheduler_op] = { sysctl_scheduler_op, COPYBACK_ON_SUCCESS },
    [XEN_SYSCTL_getdomaininfolist] = { sysctl_getdomaininfolist, COPYBACK_ON_SUCCESS },
};

/* One sysctl at a time, as Xen's sysctl_lock. */
static spinlock_t sysctl_lock = SPINLOCK_INIT;

static const struct sysctl_entry *lookup(uint32_t cmd)
{
    if (cmd >= XEN_SYSCTL_NR_CMDS) {
        return NULL;
    }
    /* The guest chose cmd: no speculative read past the table. */
    return &table[array_index_nospec(cmd, XEN_SYSCTL_NR_CMDS)];
}

long do_sysctl(struct hcall_args *args)
{
    struct xen_sysctl op;
    struct control_caller c;
    const struct sysctl_entry *e;
    unsigned long flags;
    long rc = control_copy_in(args, &c, &op, sizeof(op));

    if (rc != 0) {
        return rc;
    }
    if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION) {
        return -EACCES;
    }
    rc = control_permitted(c.d);
    if (rc != 0) {
        return rc;
    }
    e = lookup(op.cmd);
    if ((e == NULL) || (e->fn == NULL)) {
        return -ENOSYS;
    }
    flags = spin_lock_irqsave(&sysctl_lock);
    rc = e->fn(&op, &c);
    spin_unlock_irqrestore(&sysctl_lock, flags);
    if ((e->copyback == COPYBACK_ALWAYS) || ((e->copyback == COPYBACK_ON_SUCCESS) && (rc == 0))) {
        if (copy_to_guest(c.arg, &op, sizeof(op)) != 0) {
            rc = -EFAULT;
        }
    }
    return rc;
}
