/* __HYPERVISOR_multicall: a batch of hypercalls in one trap. Each entry is
 * copied in, run through the dispatcher the hypercall table hands in
 * (so this file calls nothing above it) and its result written back;
 * the batch stops with -EFAULT at the first entry it cannot read or write.
 * A sub-call that wants to continue later (-ERESTART) leaves its progress
 * in its entry and the whole batch continues from that entry. */
#include <proxenos/hypercall.h>
#include <proxenos/errno.h>
#include <proxenos/guest_access.h>
#include <proxenos/string.h>

/* Run one entry; true when the sub-call asked to be continued. */
static bool run_entry(struct multicall_entry *e, hcall_dispatch_fn dispatch)
{
    struct hcall_args sub;
    long rc;

    if (e->op == (xen_ulong_t)__HYPERVISOR_multicall) {
        /* A batch may not contain a batch: that sub-call fails alone. */
        e->result = -EINVAL;
        return false;
    }
    for (unsigned int i = 0U; i < 5U; i++) {
        sub.a[i] = e->args[i];
    }
    rc = dispatch(e->op, &sub);
    if (rc == -ERESTART) {
        for (unsigned int i = 0U; i < 5U; i++) {
            e->args[i] = sub.a[i];
        }
        return true;
    }
    e->result = rc;
    return false;
}

long multicall_run(struct hcall_args *args, hcall_dispatch_fn dispatch)
{
    uint64_t list = args->a[0];
    uint32_t nr = (uint32_t)args->a[1];

    for (uint32_t i = 0U; i < nr; i++) {
        uint64_t at = list + ((uint64_t)i * sizeof(struct multicall_entry));
        struct multicall_entry e;
        bool again;

        if (copy_from_guest(&e, at, sizeof(e)) != 0) {
            return -EFAULT;
        }
        again = run_entry(&e, dispatch);
#ifdef CONFIG_DEBUG
        {
            /* The caller may rely on nothing but the result: make an entry
             * that is read back in full look wrong in debug builds. */
            struct multicall_entry junk;

            (void)memset(&junk, 0xaa, sizeof(junk));
            if (!again) {
                junk.result = e.result;
                e = junk;
            }
        }
#endif
        if (copy_to_guest(at, &e, sizeof(e)) != 0) {
            return -EFAULT;
        }
        if (again) {
            args->a[0] = at;
            args->a[1] = nr - i;
            return -ERESTART;
        }
    }
    return 0;
}
