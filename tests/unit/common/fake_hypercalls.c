/* Hypercall families recorded for host tests: see fake_hypercalls.h. */
#include <stddef.h>

#include <proxenos/hypercall.h>
#include <proxenos/ioreq.h>
#include "fake_hypercalls.h"

static const char *last_name;
static struct hcall_args last_args;
static hcall_dispatch_fn last_dispatch;
static unsigned int calls;
static long answer;

void fake_hypercalls_reset(void)
{
    last_name = NULL;
    last_args = (struct hcall_args){ { 0U } };
    last_dispatch = NULL;
    calls = 0U;
    answer = 0;
}

void fake_hypercalls_set_answer(long rc)
{
    answer = rc;
}

unsigned int fake_hypercalls_calls(void)
{
    return calls;
}

const char *fake_hypercall_last(struct hcall_args *args)
{
    if (args != NULL) {
        *args = last_args;
    }
    return last_name;
}

hcall_dispatch_fn fake_multicall_dispatch(void)
{
    return last_dispatch;
}

static long record(const char *name, const struct hcall_args *args)
{
    calls++;
    last_name = name;
    last_args = *args;
    return answer;
}

/* One recording handler per family, each under its own name. */
#define FAKE_FAMILY(fn) \
    __attribute__((weak)) long fn(struct hcall_args *args) { return record(#fn, args); }

FAKE_FAMILY(do_xen_version)
FAKE_FAMILY(do_console_io)
FAKE_FAMILY(do_sched_op)
FAKE_FAMILY(do_vcpu_op)
FAKE_FAMILY(do_vm_assist)
FAKE_FAMILY(do_memory_op)
FAKE_FAMILY(do_event_channel_op)
FAKE_FAMILY(do_grant_table_op)
FAKE_FAMILY(do_hvm_op)
FAKE_FAMILY(do_physdev_op)
FAKE_FAMILY(do_platform_op)
FAKE_FAMILY(do_sysctl)
FAKE_FAMILY(do_domctl)
FAKE_FAMILY(do_dm_op)

__attribute__((weak)) long multicall_run(struct hcall_args *args, hcall_dispatch_fn dispatch)
{
    last_dispatch = dispatch;
    return record("multicall_run", args);
}
