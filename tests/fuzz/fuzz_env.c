/* See fuzz_env.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <cmocka.h>

#include "heap_env.h"
#include "fake_console_api.h"
#include "fake_sched.h"
#include <fake_arch.h>
#include <fake_p2m.h>
#include <proxenos/domain_create.h>
#include <proxenos/softirq.h>
#include <proxenos/timer.h>

#include "fuzz_env.h"
#include "fuzz_input.h"

/* The image's build-id note, which the hypervisor's linker script gathers
 * (xen_version's XENVER_build_id reads it; every target here links the
 * dispatcher and so xen_version). */
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

    /* Pages xmalloc keeps cached are not a leak: give them back first. */
    xmalloc_trim();
    page_alloc_stats(&st);
    return st.free_pages;
}

void fuzz_env_init_once(void)
{
    if (ready) {
        return;
    }
    fake_reset();
    fake_p2m_reset();
    fake_sched_reset();
    fake_console_api_reset();
    fake_console_quiet(true);
    timer_subsys_init();
    heap_env_init(FUZZ_ENV_HEAP_BASE, (size_t)FUZZ_ENV_HEAP_SIZE);
    ready = true;
}

void fuzz_env_begin(void)
{
    free_before = free_pages_now();
    objs_before = heap_env_objs_live();
}

struct domain *fuzz_env_domain(domid_t id, const char *name, bool privileged)
{
    struct domain_create_args a = { .name = name, .max_vcpus = 2U, .privileged = privileged };
    struct domain *d = NULL;

    FUZZ_ASSERT(domain_create(id, &a, &d) == 0);
    FUZZ_ASSERT(domain_populate_ram(d, FUZZ_ENV_GUEST_RAM, FUZZ_ENV_GUEST_SIZE) == 0);
    d->state = DOMAIN_RUNNING;
    d->vcpu[0]->state = VCPU_RUNNING;
    return d;
}

/* The reaper runs from a softirq raised on CPU 0. */
static void reap(void)
{
    fake_set_cpu(0U);
    timer_interrupt();
    do_softirq();
}

void fuzz_env_end(void)
{
    reap();
    /* (domain_get_next holds the one it returns until the next call.) */
    for (struct domain *d = domain_get_next(NULL); d != NULL; d = domain_get_next(d)) {
        domain_destroy(d);
    }
    reap();
    FUZZ_ASSERT(domain_count_in_memory() == 0U);
    FUZZ_ASSERT(heap_env_objs_live() == objs_before);
    FUZZ_ASSERT(free_pages_now() == free_before);
}
