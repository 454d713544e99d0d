/* Host CPU hooks: a settable CPU number, one interrupt-mask flag per fake
 * CPU, and counters for IPIs and idle waits. */
#include <sched.h>
#include <stddef.h>

#include <proxenos/arch/cpu.h>
#include <proxenos/printk.h>
#include <fake_arch.h>
#include "fake_internal.h"

/* Per host thread, so that a test can run one thread per fake CPU. */
static _Thread_local unsigned int cur_cpu;
/* Interrupts start masked on every CPU, as they are when a CPU boots. */
static bool irq_on[CONFIG_NR_CPUS];
static unsigned int ipi_count[CONFIG_NR_CPUS];
static int last_ipi = -1;
static unsigned int wfi_count;
static void (*wfi_hook)(void);

unsigned int arch_cpu_id(void)
{
    return cur_cpu;
}

unsigned long arch_irq_save(void)
{
    unsigned long flags = irq_on[cur_cpu] ? 1UL : 0UL;

    irq_on[cur_cpu] = false;
    return flags;
}

void arch_irq_restore(unsigned long flags)
{
    irq_on[cur_cpu] = (flags != 0UL);
}

void arch_irq_enable(void)
{
    irq_on[cur_cpu] = true;
}

void arch_irq_disable(void)
{
    irq_on[cur_cpu] = false;
}

bool arch_irqs_enabled(void)
{
    return irq_on[cur_cpu];
}

/* Yield, not spin: with more test threads than host cores, a thread that
 * waits for a ticket lock would otherwise burn its whole time slice while
 * the holder (or the next ticket) is not running. */
void arch_cpu_relax(void)
{
    (void)sched_yield();
}

void arch_wait_for_interrupt(void)
{
    wfi_count++;
    if (wfi_hook != NULL) {
        wfi_hook();
    }
}

void arch_send_ipi(unsigned int cpu)
{
    if (cpu >= CONFIG_NR_CPUS) {
        panic("fake arch_send_ipi: cpu %u out of range", cpu);
    }
    ipi_count[cpu]++;
    last_ipi = (int)cpu;
}

void fake_set_cpu(unsigned int cpu)
{
    if (cpu >= CONFIG_NR_CPUS) {
        panic("fake_set_cpu: cpu %u out of range", cpu);
    }
    cur_cpu = cpu;
}

unsigned int fake_ipi_count(unsigned int cpu)
{
    return (cpu < CONFIG_NR_CPUS) ? ipi_count[cpu] : 0U;
}

int fake_last_ipi(void)
{
    return last_ipi;
}

unsigned int fake_wfi_count(void)
{
    return wfi_count;
}

void fake_set_wfi_hook(void (*fn)(void))
{
    wfi_hook = fn;
}

/* Each CPU its own core, all in socket 0 and node 0, unless a test says
 * otherwise (fake_cpu_set_topology). */
static struct arch_cpu_topology topology[CONFIG_NR_CPUS];
static bool topology_set[CONFIG_NR_CPUS];

void fake_cpu_reset(void)
{
    unsigned int i;

    cur_cpu = 0U;
    for (i = 0U; i < CONFIG_NR_CPUS; i++) {
        irq_on[i] = false;
        ipi_count[i] = 0U;
        topology_set[i] = false;
    }
    last_ipi = -1;
    wfi_count = 0U;
    wfi_hook = NULL;
}

void fake_cpu_set_topology(unsigned int cpu, uint32_t core, uint32_t socket, uint32_t node)
{
    topology[cpu].core = core;
    topology[cpu].socket = socket;
    topology[cpu].node = node;
    topology_set[cpu] = true;
}

void arch_cpu_topology(unsigned int cpu, struct arch_cpu_topology *topo)
{
    if (topology_set[cpu]) {
        *topo = topology[cpu];
    } else {
        topo->core = cpu;
        topo->socket = 0U;
        topo->node = 0U;
    }
}

/* Fake machines number CPUs by hardware id directly: id n is CPU n. */
int arch_cpu_by_hw_id(uint64_t hw_id)
{
    return (hw_id < (uint64_t)CONFIG_NR_CPUS) ? (int)hw_id : -1;
}
