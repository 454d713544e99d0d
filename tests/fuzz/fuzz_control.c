/* libFuzzer target: the toolstack's hypercalls, domctl and sysctl
 * (common/control/), and a device model's dm_op (common/ioreq/), called
 * by dom0 through the real dispatcher with a domU beside it, both made by
 * domain_create() on the real heap.
 *
 * An input is a sequence of calls. Each writes a struct xen_domctl or
 * xen_sysctl into dom0's guest RAM: a command (mostly a small one), the
 * interface version (right most of the time), a target domain (the domU,
 * one that does not exist, or any but dom0 itself: dom0 destroying or
 * stopping itself ends the machine) and a payload of fuzzed bytes whose
 * 64-bit words are, now and then, pointers back into the guest RAM (the
 * guest handles of the payloads). A dm_op call (flag 0x20) has a buffer
 * array of up to 3 fuzzed sizes pointing at an op (a small number most of
 * the time) and its fuzzed arguments: servers made by it stay until the
 * domU goes with the rest. Domains created by the calls are torn
 * down with the rest; after every input the heap and free pages must be
 * back where they were, or the harness traps. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <fake_arch.h>
#include <proxenos/domain.h>
#include <proxenos/domain_create.h>
#include <proxenos/hypercall.h>
#include <public/dm_op.h>
#include <public/domctl.h>
#include <public/sysctl.h>
#include <public/xen.h>

#include "fuzz_env.h"
#include "fuzz_input.h"

#define GUEST_RAM FUZZ_ENV_GUEST_RAM
#define GUEST_SIZE FUZZ_ENV_GUEST_SIZE
#define MAX_CALLS 16U

#define ARG (GUEST_RAM + 0x100U)
#define PAYLOAD 128U

/* dm_op(dom, nr_bufs, ARG): the buffers at ARG, the op after them. */
static void dm_op_call(struct fuzz_in *in, struct domain *dom0, uint16_t dom)
{
    struct xen_dm_op_buf bufs[3];
    struct xen_dm_op op;
    uint64_t nr = fin_below(in, 4U);
    struct hcall_args a = { { dom, nr, ARG, 0U, 0U } };

    memset(&op, 0, sizeof(op));
    op.op = ((fin_u8(in) & 7U) != 0U) ? fin_below(in, 22U) : fin_u32(in);
    fin_bytes(in, &op.u, sizeof(op.u));
    for (unsigned int i = 0U; i < 3U; i++) {
        bufs[i].h = ARG + 0x40U;
        bufs[i].size = ((fin_u8(in) & 3U) != 0U) ? sizeof(op) : fin_below(in, 64U);
    }
    FUZZ_ASSERT(domain_copy_to_guest_phys(dom0, ARG, bufs, sizeof(bufs)) == 0);
    FUZZ_ASSERT(domain_copy_to_guest_phys(dom0, ARG + 0x40U, &op, sizeof(op)) == 0);
    fake_guest_set_vcpu(dom0->vcpu[0]);
    (void)hypercall_dispatch(__HYPERVISOR_dm_op, &a);
    fake_guest_set_vcpu(NULL);
}

static void one_call(struct fuzz_in *in, struct domain *dom0)
{
    uint8_t flags = fin_u8(in);
    bool sys = (flags & 1U) != 0U;
    uint8_t buf[16U + PAYLOAD];
    uint32_t cmd = ((flags & 2U) == 0U) ? fin_below(in, 96U) : fin_u32(in);
    uint32_t version = ((flags & 0x1cU) != 0U)
                       ? (sys ? XEN_SYSCTL_INTERFACE_VERSION : XEN_DOMCTL_INTERFACE_VERSION)
                       : fin_u32(in);
    uint16_t dom;
    struct hcall_args a = { { ARG, 0U, 0U, 0U, 0U } };

    switch (fin_u8(in) % 4U) {
    case 0U: dom = 2U; break;
    case 1U: dom = fin_u16(in); break;
    default: dom = 1U; break;
    }
    if (dom == 0U) {
        dom = 1U;
    }
    if ((flags & 0x20U) != 0U) {
        if (dom0->state == DOMAIN_RUNNING) {
            dm_op_call(in, dom0, dom);
        }
        return;
    }
    memset(buf, 0, sizeof(buf));
    memcpy(&buf[0], &cmd, sizeof(cmd));
    memcpy(&buf[4], &version, sizeof(version));
    if (sys) {
        fin_bytes(in, &buf[8], PAYLOAD);
    } else {
        memcpy(&buf[8], &dom, sizeof(dom));
        fin_bytes(in, &buf[16], PAYLOAD);
    }
    for (unsigned int w = 16U; w + 8U <= sizeof(buf); w += 8U) {
        if ((fin_u8(in) & 0x0fU) == 0U) {
            uint64_t p = GUEST_RAM + 0x1000U + (fin_u16(in) % (GUEST_SIZE - 0x1000U));

            memcpy(&buf[w], &p, sizeof(p));
        }
    }
    FUZZ_ASSERT(domain_copy_to_guest_phys(dom0, ARG, buf, sizeof(buf)) == 0);
    if (dom0->state != DOMAIN_RUNNING) {
        return;
    }
    fake_guest_set_vcpu(dom0->vcpu[0]);
    (void)hypercall_dispatch(sys ? __HYPERVISOR_sysctl : __HYPERVISOR_domctl, &a);
    fake_guest_set_vcpu(NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in;
    struct domain *dom0;
    unsigned int calls;

    fuzz_env_init_once();
    fuzz_env_begin();
    dom0 = fuzz_env_domain(0U, "Domain-0", true);
    (void)fuzz_env_domain(1U, "domU", false);

    fin_init(&in, data, size);
    for (calls = 0U; (calls < MAX_CALLS) && !fin_done(&in); calls++) {
        one_call(&in, dom0);
    }

    /* Domains created or stopped by the calls go with the rest. */
    fuzz_env_end();
    return 0;
}
