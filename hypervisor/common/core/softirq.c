/* Per-CPU softirq bitmaps. Raising is lock-free (atomic OR); each CPU runs
 * only its own pending work. */
#include <proxenos/printk.h>
#include <proxenos/smp.h>
#include <proxenos/softirq.h>

static void (*handlers[NR_SOFTIRQS])(void);
static uint32_t pending[NR_CPUS];
static uint64_t runs[NR_CPUS];

void open_softirq(enum softirq_nr nr, void (*handler)(void))
{
    BUG_ON((unsigned int)nr >= (unsigned int)NR_SOFTIRQS);
    handlers[nr] = handler;
}

void raise_softirq(enum softirq_nr nr)
{
    (void)__atomic_fetch_or(&pending[arch_cpu_id()], 1U << (unsigned int)nr, __ATOMIC_RELEASE);
}

void cpu_raise_softirq(unsigned int cpu, enum softirq_nr nr)
{
    uint32_t old;

    BUG_ON(cpu >= NR_CPUS);
    old = __atomic_fetch_or(&pending[cpu], 1U << (unsigned int)nr, __ATOMIC_RELEASE);
    /* Already pending means the target will look anyway. */
    if ((cpu != arch_cpu_id()) && ((old & (1U << (unsigned int)nr)) == 0U)) {
        arch_send_ipi(cpu);
    }
}

bool softirq_pending(unsigned int cpu)
{
    return __atomic_load_n(&pending[cpu], __ATOMIC_ACQUIRE) != 0U;
}

uint64_t softirq_count(unsigned int cpu)
{
    return runs[cpu];
}

void do_softirq(void)
{
    unsigned int cpu = arch_cpu_id();
    uint32_t work;

    while ((work = __atomic_exchange_n(&pending[cpu], 0U, __ATOMIC_ACQUIRE)) != 0U) {
        for (unsigned int nr = 0U; nr < (unsigned int)NR_SOFTIRQS; nr++) {
            if (((work & (1U << nr)) != 0U) && (handlers[nr] != NULL)) {
                runs[cpu]++;
                handlers[nr]();
            }
        }
    }
}
