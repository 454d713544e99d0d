/* Placeholder until the family is written: every call answers -ENOSYS. */
#include <proxenos/hypercall.h>
#include <proxenos/errno.h>

long do_memory_op(struct hcall_args *args)
{
    (void)args;
    return -ENOSYS;
}
