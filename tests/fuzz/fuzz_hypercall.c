/* libFuzzer target: every hypercall through the real dispatcher
 * (hypercall.c hypercall_dispatch) and the real handlers behind it, from a
 * domU with dom0 beside it, both made by domain_create() on the real heap.
 *
 * An input is a sequence of calls, all made by the domU. Each call may first write fuzzed bytes
 * into the caller's guest RAM (where its argument structures live), then
 * names a hypercall (mostly one Proxenos implements), a sub-operation
 * (mostly a small one) and five arguments, each a pointer into the guest
 * RAM (the usual case: valid-looking structures with hostile fields), a
 * small number or a raw 64-bit value. After the sequence both domains are
 * destroyed and reaped; every page and every heap object must have come
 * back, or the harness traps (a leak in some error path). ASan and UBSan
 * catch the rest. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <fake_arch.h>
#include <proxenos/domain.h>
#include <proxenos/domain_create.h>
#include <proxenos/hypercall.h>
#include <public/xen.h>

#include "fuzz_env.h"
#include "fuzz_input.h"

#define GUEST_RAM FUZZ_ENV_GUEST_RAM
#define GUEST_SIZE FUZZ_ENV_GUEST_SIZE
#define MAX_CALLS 16U
#define MAX_WRITE 512U

static const uint64_t HYPERCALLS[] = {
    __HYPERVISOR_event_channel_op, __HYPERVISOR_grant_table_op, __HYPERVISOR_memory_op,
    __HYPERVISOR_xen_version, __HYPERVISOR_console_io, __HYPERVISOR_sched_op,
    __HYPERVISOR_vcpu_op, __HYPERVISOR_hvm_op, __HYPERVISOR_physdev_op, __HYPERVISOR_multicall,
    __HYPERVISOR_vm_assist, __HYPERVISOR_platform_op, __HYPERVISOR_sysctl, __HYPERVISOR_domctl,
};

/* One argument: a guest pointer (into RAM, sometimes just outside it), a
 * small number, or anything. */
static uint64_t argument(struct fuzz_in *in)
{
    uint8_t kind = fin_u8(in);

    switch (kind & 3U) {
    case 0U:
    case 1U:
        return GUEST_RAM + (fin_u16(in) % (GUEST_SIZE + 0x100U));
    case 2U:
        return fin_u8(in);
    default:
        return fin_u64(in);
    }
}

/* The caller is always the domU: dom0 is there to be named, mapped,
 * bound to and refused (a dom0 that shuts itself down turns the machine
 * off; dom0's own control hypercalls have a target of their own). */
static void one_call(struct fuzz_in *in, struct domain *caller)
{
    uint8_t flags = fin_u8(in);
    struct hcall_args a;
    uint64_t nr;

    if ((flags & 0x10U) != 0U) {
        uint8_t bytes[MAX_WRITE];
        uint16_t off = fin_u16(in) % GUEST_SIZE;
        uint16_t len = fin_u16(in) % MAX_WRITE;

        if (len > (GUEST_SIZE - off)) {
            len = (uint16_t)(GUEST_SIZE - off);
        }
        fin_bytes(in, bytes, len);
        FUZZ_ASSERT(domain_copy_to_guest_phys(caller, GUEST_RAM + off, bytes, len) == 0);
    }
    nr = ((flags & 0x20U) == 0U) ? HYPERCALLS[fin_below(in, sizeof(HYPERCALLS) / sizeof(HYPERCALLS[0]))]
                                 : fin_u64(in);
    a.a[0] = ((flags & 0x40U) == 0U) ? fin_below(in, 32U) : fin_u64(in);
    for (unsigned int i = 1U; i < 5U; i++) {
        a.a[i] = argument(in);
    }
    if (caller->state != DOMAIN_RUNNING) {
        return;                 /* shut down or crashed by an earlier call */
    }
    fake_guest_set_vcpu(caller->vcpu[0]);
    (void)hypercall_nr_args(nr);
    (void)hypercall_dispatch(nr, &a);
    fake_guest_set_vcpu(NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in;
    struct domain *domu;
    unsigned int calls;

    fuzz_env_init_once();
    fuzz_env_begin();
    (void)fuzz_env_domain(0U, "Domain-0", true);
    domu = fuzz_env_domain(1U, "domU", false);

    fin_init(&in, data, size);
    for (calls = 0U; (calls < MAX_CALLS) && !fin_done(&in); calls++) {
        one_call(&in, domu);
    }

    /* A domU that shut down or crashed goes with the rest. */
    fuzz_env_end();
    return 0;
}
