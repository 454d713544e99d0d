/* Counting allocations after boot and refusing them in static mode (see
 * alloc_count.h). Counters are atomics: allocators on every CPU note
 * here, each under its own lock, none under a lock of ours. */
#include <proxenos/alloc_count.h>
#include <proxenos/arch/cpu.h>
#include <proxenos/keyhandler.h>
#include <proxenos/printk.h>

static bool boot_ended;
static bool static_mode;
/* The CPU rebuilding a rebooted domain, plus one; 0: no window open. */
static unsigned int recycling_cpu;
static uint64_t after_boot[ALLOC_NR_KINDS];
static uint64_t refused[ALLOC_NR_KINDS];
static uint64_t recycled[ALLOC_NR_KINDS];
static const void *callers[ALLOC_COUNT_CALLERS];

void alloc_count_reset(void)
{
    boot_ended = false;
    static_mode = false;
    recycling_cpu = 0U;
    for (unsigned int k = 0U; k < ALLOC_NR_KINDS; k++) {
        after_boot[k] = 0U;
        refused[k] = 0U;
        recycled[k] = 0U;
    }
    for (unsigned int i = 0U; i < ALLOC_COUNT_CALLERS; i++) {
        callers[i] = NULL;
    }
}

void alloc_count_set_static(bool is_static)
{
    __atomic_store_n(&static_mode, is_static, __ATOMIC_RELEASE);
}

bool alloc_static_mode(void)
{
    return __atomic_load_n(&static_mode, __ATOMIC_ACQUIRE);
}

void alloc_count_end_boot(void)
{
    __atomic_store_n(&boot_ended, true, __ATOMIC_RELEASE);
}

bool alloc_count_admit(enum alloc_kind kind)
{
    if (!__atomic_load_n(&boot_ended, __ATOMIC_ACQUIRE) ||
        !__atomic_load_n(&static_mode, __ATOMIC_ACQUIRE) || alloc_recycling()) {
        return true;
    }
    (void)__atomic_add_fetch(&refused[kind], 1U, __ATOMIC_RELAXED);
    return false;
}

void alloc_count_note(enum alloc_kind kind, const void *caller)
{
    uint64_t n;

    if (!__atomic_load_n(&boot_ended, __ATOMIC_ACQUIRE)) {
        return;
    }
    n = __atomic_load_n(&after_boot[ALLOC_KIND_PAGES], __ATOMIC_RELAXED) +
        __atomic_load_n(&after_boot[ALLOC_KIND_XMALLOC], __ATOMIC_RELAXED);
    (void)__atomic_add_fetch(&after_boot[kind], 1U, __ATOMIC_RELAXED);
    /* Racy by design: a diagnostic, enough to say where to look. */
    if (n < ALLOC_COUNT_CALLERS) {
        callers[n] = caller;
    }
}

void alloc_count_note_recycled(enum alloc_kind kind)
{
    (void)__atomic_add_fetch(&recycled[kind], 1U, __ATOMIC_RELAXED);
}

bool alloc_recycle_begin(void)
{
    if (!__atomic_load_n(&boot_ended, __ATOMIC_ACQUIRE) ||
        !__atomic_load_n(&static_mode, __ATOMIC_ACQUIRE)) {
        return false;
    }
    __atomic_store_n(&recycling_cpu, arch_cpu_id() + 1U, __ATOMIC_RELEASE);
    return true;
}

void alloc_recycle_end(void)
{
    __atomic_store_n(&recycling_cpu, 0U, __ATOMIC_RELEASE);
}

bool alloc_recycling(void)
{
    unsigned int c = __atomic_load_n(&recycling_cpu, __ATOMIC_ACQUIRE);

    /* Only the CPU that opened the window: another CPU's guest asking
     * for memory meanwhile is refused as at any other time. */
    return (c != 0U) && (c == (arch_cpu_id() + 1U));
}

void alloc_count_stats(struct alloc_count_stats *st)
{
    st->boot_ended = __atomic_load_n(&boot_ended, __ATOMIC_ACQUIRE);
    st->static_mode = __atomic_load_n(&static_mode, __ATOMIC_ACQUIRE);
    for (unsigned int k = 0U; k < ALLOC_NR_KINDS; k++) {
        st->after_boot[k] = __atomic_load_n(&after_boot[k], __ATOMIC_RELAXED);
        st->refused[k] = __atomic_load_n(&refused[k], __ATOMIC_RELAXED);
        st->recycled[k] = __atomic_load_n(&recycled[k], __ATOMIC_RELAXED);
    }
    for (unsigned int i = 0U; i < ALLOC_COUNT_CALLERS; i++) {
        st->callers[i] = callers[i];
    }
}

/* One line the tests read (tests/system/pxn.py), then the callers. */
static void dump_after_boot(char key)
{
    struct alloc_count_stats st;

    (void)key;
    alloc_count_stats(&st);
    pr_info("Allocations after boot: pages %llu xmalloc %llu; refused: pages %llu xmalloc %llu; "
            "recycled: pages %llu xmalloc %llu; static mode %s\n",
            (unsigned long long)st.after_boot[ALLOC_KIND_PAGES],
            (unsigned long long)st.after_boot[ALLOC_KIND_XMALLOC],
            (unsigned long long)st.refused[ALLOC_KIND_PAGES],
            (unsigned long long)st.refused[ALLOC_KIND_XMALLOC],
            (unsigned long long)st.recycled[ALLOC_KIND_PAGES],
            (unsigned long long)st.recycled[ALLOC_KIND_XMALLOC],
            st.static_mode ? "on" : "off");
    for (unsigned int i = 0U; i < ALLOC_COUNT_CALLERS; i++) {
        if (st.callers[i] != NULL) {
            pr_info("  after-boot allocation %u called from %p\n", i, st.callers[i]);
        }
    }
}
KEYHANDLER('b', dump_after_boot, "allocations after boot (static mode)");
