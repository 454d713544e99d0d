/*
 * Multicall batches: up to 8 entries of calls from several families, with
 * their argument blocks right after the entries, one entry sometimes a
 * multicall of the batch itself (Xen refuses nesting), counts that run
 * past the batch, and lists placed across a page boundary or past a wild
 * address. A count larger than the batch reads the argument blocks and
 * the guard page after the build pages as entries.
 */
#include "hostile.h"
#include "string.h"

#define MC_MAX 8U
#define MC_ARG 32U      /* bytes of argument block per entry */

void multicall_fill(struct hctx *c, struct multicall_entry *list, uint32_t idx)
{
    struct multicall_entry *e = &list[idx];
    uint8_t *arg = (uint8_t *)&list[MC_MAX] + idx * MC_ARG;
    uint64_t pa = hc_ptr(arg);
    uint32_t i;

    for (i = 0U; i < 6U; i++) {
        e->args[i] = rnd_chance(c, 8U) ? rnd(c) : rnd_below(c, 16U);
    }
    e->result = 0x5a5a;
    switch (rnd_below(c, 10U)) {
    case 0U:
        e->op = __HYPERVISOR_xen_version;
        e->args[0] = rnd_below(c, 12U);
        e->args[1] = pa;
        break;
    case 1U:
        e->op = __HYPERVISOR_event_channel_op;
        e->args[0] = rnd_chance(c, 2U) ? EVTCHNOP_send : EVTCHNOP_status;
        memset(arg, 0, MC_ARG);
        *(uint16_t *)(void *)arg = XEN_DOMID_SELF;
        *(uint32_t *)(void *)(arg + 4) = rnd_below(c, 80U);
        if (e->args[0] == EVTCHNOP_send) {
            *(uint32_t *)(void *)arg = rnd_below(c, 80U);
        }
        e->args[1] = rnd_chance(c, 8U) ? wild_addr(c, MC_ARG) : pa;
        break;
    case 2U:
        e->op = __HYPERVISOR_memory_op;
        e->args[0] = rnd_near(c, XENMEM_maximum_gpfn);
        *(uint16_t *)(void *)arg = XEN_DOMID_SELF;
        e->args[1] = pa;
        break;
    case 3U:
        e->op = __HYPERVISOR_grant_table_op;
        e->args[0] = GNTTABOP_query_size;
        *(uint16_t *)(void *)arg = XEN_DOMID_SELF;
        e->args[1] = pa;
        e->args[2] = rnd_near(c, 1U);
        break;
    case 4U:
        e->op = __HYPERVISOR_sched_op;
        e->args[0] = SCHEDOP_yield;
        break;
    case 5U:
        e->op = __HYPERVISOR_vcpu_op;
        e->args[0] = rnd_chance(c, 2U) ? VCPUOP_is_up : VCPUOP_get_runstate_info;
        e->args[1] = rnd_near(c, henv.nr_vcpus);
        e->args[2] = pa;
        break;
    case 6U:    /* a multicall in a multicall: refused, however deep it would go */
        e->op = __HYPERVISOR_multicall;
        e->args[0] = hc_ptr(e);
        e->args[1] = rnd_near(c, MC_MAX);
        break;
    case 7U:
        e->op = __HYPERVISOR_console_io;
        e->args[0] = CONSOLEIO_write;
        e->args[1] = 0U;
        e->args[2] = pa;
        break;
    case 8U:
        e->op = __HYPERVISOR_hvm_op;
        e->args[0] = HVMOP_get_param;
        memset(arg, 0, MC_ARG);
        *(uint16_t *)(void *)arg = XEN_DOMID_SELF;
        *(uint32_t *)(void *)(arg + 4) = (uint32_t)rnd_near(c, 40U);
        e->args[1] = pa;
        break;
    default:    /* numbers nobody implements, and huge ones */
        e->op = rnd_chance(c, 2U) ? 43U + rnd_below(c, 21U) : rnd(c);
        break;
    }
}

long fuzz_multicall(struct hctx *c)
{
    const uint32_t span = MC_MAX * ((uint32_t)sizeof(struct multicall_entry) + MC_ARG);
    struct multicall_entry *list;
    uint32_t n = 1U + rnd_below(c, MC_MAX);
    uint32_t i;
    uint64_t count;
    uint64_t a;
    void *b;

    a = arg_addr(c, &b, span);
    if (a != hc_ptr(b)) {
        /* a wild list only where nothing is mapped: read from our victim
         * pages, its entries could be a block, poll or shutdown of our own */
        a = UINT64_C(0x01000000) + rnd_below(c, 64U);
    }
    list = b;
    for (i = 0U; i < n; i++) {
        multicall_fill(c, list, i);
    }
    count = rnd_chance(c, 6U) ? rnd_near(c, n) : n;
    if (count > 2U * MC_MAX) {
        /* a huge count walks on through whatever memory follows, writing
         * results into it: only from where nothing is mapped */
        a = UINT64_C(0x01000000);
    }
    return xen_hypercall(__HYPERVISOR_multicall, a, count, 0U);
}
