/* Who is calling a sysctl or domctl and whether it may: what both
 * dispatchers start with, and what handlers with their own privilege rule
 * check. Its own file so that the dispatchers and the handlers both call
 * down into it, never into each other's files. */
#include "control.h"
#include <proxenos/errno.h>
#include <proxenos/guest_access.h>

int control_permitted(const struct domain *caller)
{
    return caller->is_privileged ? 0 : -EPERM;
}

long control_copy_in(const struct hcall_args *args, struct control_caller *c, void *op,
                     size_t size)
{
    const struct vcpu *v = current_vcpu();

    if (v == NULL) {
        return -ESRCH;
    }
    c->d = v->domain;
    c->arg = args->a[0];
    return (copy_from_guest(op, c->arg, size) != 0) ? -EFAULT : 0;
}
