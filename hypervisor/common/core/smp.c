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

static bool online[NR_CPUS];
static struct call_slot call_slots[NR_CPUS];

void cpu_set_online(unsigned int cpu)
{
    BUG_ON(cpu >= NR_CPUS);
    __atomic_store_n(&online[cpu], true, __ATOMIC_RELEASE);
}

bool cpu_online(unsigned int cpu)
{
    return (cpu < NR_CPUS) && __atomic_load_n(&online[cpu], __ATOMIC_ACQUIRE);
}

unsigned int num_online_cpus(void)
{
    unsigned int n = 0U;

    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        if (cpu_online(cpu)) {
            n++;
        }
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
