/* The platform_op hypercall as Xen 4.17 on Arm answers it: dom0 may set
 * the wall clock (XENPF_settime64); nothing else exists on Arm, including
 * XENPF_settime32, which only x86 Xen implements. */
#include <proxenos/domain.h>
#include <proxenos/errno.h>
#include <proxenos/hypercall.h>
#include <proxenos/spinlock.h>
#include <proxenos/wallclock.h>
#include <public/platform.h>

_Static_assert(sizeof(struct xen_platform_op) == 136U, "xen_platform_op is 136 bytes");

/* One platform operation at a time, as Xen's xenpf_lock. */
static spinlock_t platform_lock = SPINLOCK_INIT;

long do_platform_op(struct hcall_args *args)
{
    const struct vcpu *v = current_vcpu();
    struct xen_platform_op op;
    unsigned long flags;
    long rc = 0;

    if (v == NULL) {
        return -ESRCH;
    }
    /* Xen's order: copy, interface version, then privilege. */
    if (copy_from_guest(&op, args->a[0], sizeof(op)) != 0) {
        return -EFAULT;
    }
    if (op.interface_version != XENPF_INTERFACE_VERSION) {
        return -EACCES;
    }
    if (!v->domain->is_privileged) {
        return -EPERM;
    }
    flags = spin_lock_irqsave(&platform_lock);
    switch (op.cmd) {
    case XENPF_settime64:
        if (op.u.settime64.mbz != 0U) {
            rc = -EINVAL;
        } else {
            wallclock_set(op.u.settime64.secs, op.u.settime64.nsecs,
                          op.u.settime64.system_time);
        }
        break;
    default:
        rc = -ENOSYS;
        break;
    }
    spin_unlock_irqrestore(&platform_lock, flags);
    return rc;
}
