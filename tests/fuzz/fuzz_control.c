/* libFuzzer target: the toolstack's hypercalls, domctl and sysctl
 * (common/control/), called by dom0 through the real dispatcher with a
 * domU beside it, both made by domain_create() on the real heap.
 *
 * An input is a sequence of calls. Each writes a struct xen_domctl or
 * xen_sysctl into dom0's guest RAM: a command (mostly a small one), the
 * interface version (right most of the time), a target domain (the domU,
 * one that does not exist, or any but dom0 itself: dom0 destroying or
 * stopping itself ends the machine) and a payload of fuzzed bytes whose
 * 64-bit words are, now and then, pointers back into the guest RAM (the
 * guest handles of the payloads). Domains created by the calls are torn
 * down with the rest; after every input the heap and free pages must be
 * back where they were, or the harness traps. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "heap_env.h"
#include "fake_console_api.h"
#include "fake_sched.h"
#include <fake_arch.h>
#include <fake_p2m.h>
#include <proxenos/domain.h>
#include <proxenos/domain_create.h>
#include <proxenos/hypercall.h>
#include <proxenos/softirq.h>
#include <proxenos/timer.h>
#include <public/domctl.h>
#include <public/sysctl.h>
#include <public/xen.h>

#include "fuzz_input.h"

#define HEAP_BASE 0x80000000ULL
#define HEAP_SIZE (64ULL << 20)
#define GUEST_RAM 0x40000000ULL     /* where each domain's RAM starts */
#define GUEST_SIZE (64ULL << 10)
#define MAX_CALLS 16U

#define ARG (GUEST_RAM + 0x100U)
#define PAYLOAD 128U

/* The image's build-id note, which the linker script gathers in the
 * hypervisor (xen_version's XENVER_build_id reads it). */
__asm__(".section .rodata\n"
        ".balign 4\n"
        ".globl __build_id_note_start\n"
        "__build_id_note_start:\n"
        ".long 4, 20, 3\n"
        ".ascii \"GNU\\0\"\n"
        ".byte 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20\n"
        ".globl __build_id_note_end\n"
        "__build_id_note_end:\n"
        ".previous\n");

static bool ready;
static uint64_t free_before;
static uint64_t objs_before;

static uint64_t free_pages_now(void)
{
    struct page_alloc_stats st;

    xmalloc_trim();
    page_alloc_stats(&st);
    return st.free_pages;
}

static void once(void)
{
    fake_reset();
    fake_p2m_reset();
    fake_sched_reset();
    fake_console_api_reset();
    fake_console_quiet(true);
    timer_subsys_init();
    heap_env_init(HEAP_BASE, (size_t)HEAP_SIZE);
    ready = true;
}

static struct domain *make(domid_t id, const char *name, bool privileged)
{
    struct domain_create_args a = { .name = name, .max_vcpus = 2U, .privileged = privileged };
    struct domain *d = NULL;

    FUZZ_ASSERT(domain_create(id, &a, &d) == 0);
    FUZZ_ASSERT(domain_populate_ram(d, GUEST_RAM, GUEST_SIZE) == 0);
    d->state = DOMAIN_RUNNING;
    d->vcpu[0]->state = VCPU_RUNNING;
    return d;
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

    if (!ready) {
        once();
    }
    free_before = free_pages_now();
    objs_before = heap_env_objs_live();
    dom0 = make(0U, "Domain-0", true);
    (void)make(1U, "domU", false);

    fin_init(&in, data, size);
    for (calls = 0U; (calls < MAX_CALLS) && !fin_done(&in); calls++) {
        one_call(&in, dom0);
    }

    /* A domain stopped by the calls is reaped first, while dom0 still
     * runs (the reaper powers the machine off once no domain is left). */
    fake_set_cpu(0U);
    timer_interrupt();
    do_softirq();
    /* Then tear down the rest; everything must come back. */
    /* (domain_get_next holds the one it returns until the next call.) */
    for (struct domain *d = domain_get_next(NULL); d != NULL; d = domain_get_next(d)) {
        domain_destroy(d);
    }
    fake_set_cpu(0U);
    timer_interrupt();
    do_softirq();
    FUZZ_ASSERT(domain_count_in_memory() == 0U);
    FUZZ_ASSERT(heap_env_objs_live() == objs_before);
    FUZZ_ASSERT(free_pages_now() == free_before);
    return 0;
}
