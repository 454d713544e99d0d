/* Placeholder until the family is written: every call answers -ENOSYS. */
#include <proxenos/hypercall.h>
#include <proxenos/errno.h>

long do_grant_table_op(struct hcall_args *args)
{
    (void)args;
    return -ENOSYS;
}

#include <proxenos/grant_table.h>

int grant_table_init(struct domain *d) { (void)d; return 0; }
void grant_table_destroy(struct domain *d) { (void)d; }
