/* The online CPU set and cross-CPU function calls. */
#include <proxenos/errno.h>
#include <proxenos/printk.h>
#include <proxenos/smp.h>
#include <proxenos/softirq.h>

struct call_slot {
    void (*fn)(void *data);
    void *data;
    uint32_t busy;      /* set by the caller, cleared by the target */
};

_Static_assert(NR_CPUS <= 64, "the online set is one 64-bit mask");

/* One mask, so that the schedulers read a pool's online CPUs in one load. */
static uint64_t online;
static struct call_slot call_slots[NR_CPUS];

void cpu_set_online(unsigned int cpu)
{
    BUG_ON(cpu >= NR_CPUS);
    (void)__atomic_fetch_or(&online, 1ULL << cpu, __ATOMIC_RELEASE);
}

bool cpu_online(unsigned int cpu)
{
    return (cpu < NR_CPUS) && (((cpu_online_mask() >> cpu) & 1U) != 0U);
}

uint64_t cpu_online_mask(void)
{
    return __atomic_load_n(&online, __ATOMIC_ACQUIRE);
}

unsigned int num_online_cpus(void)
{
    unsigned int n = 0U;

    /* No libgcc here, so no __builtin_popcountll. */
    for (uint64_t m = cpu_online_mask(); m != 0U; m &= m - 1U) {
        n++;
    }
    return n;
}

static void call_function_softirq(void)
{
    struct call_slot *slot = &call_slots[arch_cpu_id()];

    if (__atomic_load_n(&slot->busy, __ATOMIC_ACQUIRE) != 0U) {
        slot->fn(slot->data);
        __atomic_store_n(&slot->busy, 0U, __ATOMIC_RELEASE);
    }
}

int smp_call_function_single(unsigned int cpu, void (*fn)(void *data), void *data, bool wait)
{
    struct call_slot *slot;
    uint32_t expected = 0U;

    if (!cpu_online(cpu)) {
        return -EINVAL;
    }
    if (cpu == arch_cpu_id()) {
        fn(data);
        return 0;
    }
    slot = &call_slots[cpu];
    if (!__atomic_compare_exchange_n(&slot->busy, &expected, 1U, false,
                                     __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
        return -EBUSY;
    }
    slot->fn = fn;
    slot->data = data;
    __atomic_store_n(&slot->busy, 2U, __ATOMIC_RELEASE);
    cpu_raise_softirq(cpu, CALL_FUNCTION_SOFTIRQ);
    while (wait && (__atomic_load_n(&slot->busy, __ATOMIC_ACQUIRE) != 0U)) {
        arch_cpu_relax();
    }
    return 0;
}

void smp_call_function_init(void)
{
    open_softirq(CALL_FUNCTION_SOFTIRQ, call_function_softirq);
}
