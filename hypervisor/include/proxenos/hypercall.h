/* Xen hypercalls: one table (common/hypercall/hypercall.c) maps each number to a
 * handler in the file of its family. A handler gets the five argument
 * registers and runs on the calling vCPU (current_vcpu()); it returns a
 * Xen error number (negative) or a result.
 *
 * Check, then act: a handler first validates and copies in everything it
 * needs from the guest (any step may fail and changes nothing), then
 * performs the operation. Guest memory is reached only through
 * <proxenos/guest_access.h>.
 *
 * Long operations may stop part-way: they store their progress in the
 * argument registers (args->a[]) and return -ERESTART; the dispatcher then
 * writes the arguments back and makes the guest execute the HVC again, so
 * other work (and softirqs) can run in between. */
#ifndef PROXENOS_HYPERCALL_H
#define PROXENOS_HYPERCALL_H

#include <proxenos/types.h>
#include <public/xen.h>

struct hcall_args {
    uint64_t a[5];      /* x0..x4 */
};

typedef long (*hcall_fn)(struct hcall_args *args);

struct hcall_entry {
    hcall_fn fn;
    unsigned int nr_args;   /* argument registers the handler reads */
};

/* The result of hypercall nr for the current vCPU. Unknown numbers give
 * -ENOSYS. When it returns -ERESTART the caller rewinds the guest's PC. */
long hypercall_dispatch(uint64_t nr, struct hcall_args *args);
/* Argument registers hypercall nr uses (0 for an unknown one). */
unsigned int hypercall_nr_args(uint64_t nr);

/* __HYPERVISOR_multicall's batch (multicall.c), each entry run through
 * dispatch. The table passes hypercall_dispatch: the batch runner sits
 * below the table and never calls up into it by name. */
typedef long (*hcall_dispatch_fn)(uint64_t nr, struct hcall_args *args);
long multicall_run(struct hcall_args *args, hcall_dispatch_fn dispatch);

/* The handlers, one family per file in common/. */
long do_xen_version(struct hcall_args *args);      /* xen_version.c */
long do_console_io(struct hcall_args *args);       /* console_io.c */
long do_sched_op(struct hcall_args *args);         /* sched_op.c */
long do_vcpu_op(struct hcall_args *args);          /* vcpu_op.c */
long do_vm_assist(struct hcall_args *args);        /* vcpu_op.c */
long do_memory_op(struct hcall_args *args);        /* memory_op.c */
long do_event_channel_op(struct hcall_args *args); /* evtchn.c */
long do_grant_table_op(struct hcall_args *args);   /* gnttab.c */
long do_hvm_op(struct hcall_args *args);           /* hvm_op.c */
long do_physdev_op(struct hcall_args *args);       /* physdev_op.c */
long do_platform_op(struct hcall_args *args);      /* platform_op.c */
long do_sysctl(struct hcall_args *args);           /* control/sysctl.c */
long do_domctl(struct hcall_args *args);           /* control/domctl.c */

#endif
