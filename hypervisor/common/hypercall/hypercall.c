/* The hypercall table: every Xen hypercall Proxenos answers. Arm guests
 * get the same set as on Xen 4.17 for Arm; numbers missing here (x86-only
 * ones, xsm_op, ...) return -ENOSYS. */
#include <proxenos/hypercall.h>
#include <proxenos/errno.h>
#include <proxenos/nospec.h>
#include <proxenos/ioreq.h>

static long do_multicall(struct hcall_args *args)
{
    return multicall_run(args, hypercall_dispatch);
}

static const struct hcall_entry table[XEN_NR_HYPERCALLS] = {
    [__HYPERVISOR_platform_op] = { do_platform_op, 1U },
    [__HYPERVISOR_memory_op] = { do_memory_op, 2U },
    [__HYPERVISOR_multicall] = { do_multicall, 2U },
    [__HYPERVISOR_xen_version] = { do_xen_version, 2U },
    [__HYPERVISOR_console_io] = { do_console_io, 3U },
    [__HYPERVISOR_grant_table_op] = { do_grant_table_op, 3U },
    [__HYPERVISOR_vm_assist] = { do_vm_assist, 2U },
    [__HYPERVISOR_vcpu_op] = { do_vcpu_op, 3U },
    [__HYPERVISOR_sched_op] = { do_sched_op, 2U },
    [__HYPERVISOR_event_channel_op] = { do_event_channel_op, 2U },
    [__HYPERVISOR_physdev_op] = { do_physdev_op, 2U },
    [__HYPERVISOR_hvm_op] = { do_hvm_op, 2U },
    [__HYPERVISOR_sysctl] = { do_sysctl, 1U },
    [__HYPERVISOR_domctl] = { do_domctl, 1U },
    [__HYPERVISOR_dm_op] = { do_dm_op, 3U },
};

static const struct hcall_entry *lookup(uint64_t nr)
{
    if (nr >= (uint64_t)XEN_NR_HYPERCALLS) {
        return NULL;
    }
    /* The guest chose nr: no speculative read past the table. */
    return &table[array_index_nospec(nr, XEN_NR_HYPERCALLS)];
}

long hypercall_dispatch(uint64_t nr, struct hcall_args *args)
{
    const struct hcall_entry *e = lookup(nr);

    if ((e == NULL) || (e->fn == NULL)) {
        return -ENOSYS;
    }
    return e->fn(args);
}

unsigned int hypercall_nr_args(uint64_t nr)
{
    const struct hcall_entry *e = lookup(nr);

    return ((e == NULL) || (e->fn == NULL)) ? 0U : e->nr_args;
}
