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
#include <public/xen.h>

#include "fuzz_input.h"

#define HEAP_BASE 0x80000000ULL
#define HEAP_SIZE (64ULL << 20)
#define GUEST_RAM 0x40000000ULL     /* where each domain's RAM starts */
#define GUEST_SIZE (64ULL << 10)
#define MAX_CALLS 16U
#define MAX_WRITE 512U

static const uint64_t HYPERCALLS[] = {
    __HYPERVISOR_event_channel_op, __HYPERVISOR_grant_table_op, __HYPERVISOR_memory_op,
    __HYPERVISOR_xen_version, __HYPERVISOR_console_io, __HYPERVISOR_sched_op,
    __HYPERVISOR_vcpu_op, __HYPERVISOR_hvm_op, __HYPERVISOR_physdev_op, __HYPERVISOR_multicall,
    __HYPERVISOR_vm_assist, __HYPERVISOR_platform_op, __HYPERVISOR_sysctl, __HYPERVISOR_domctl,
};

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

    if (!ready) {
        once();
    }
    free_before = free_pages_now();
    objs_before = heap_env_objs_live();
    (void)make(0U, "Domain-0", true);
    domu = make(1U, "domU", false);

    fin_init(&in, data, size);
    for (calls = 0U; (calls < MAX_CALLS) && !fin_done(&in); calls++) {
        one_call(&in, domu);
    }

    /* A domU that shut down or crashed is reaped first, while dom0 still
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
