/* The idle loop every CPU ends up in until there are vCPUs to run. */
#include <proxenos/idle.h>
#include <proxenos/keyhandler.h>
#include <proxenos/printk.h>
#include <proxenos/sched.h>
#include <proxenos/smp.h>
#include <proxenos/softirq.h>
#include <proxenos/timer.h>

static uint64_t idle_wakeups[NR_CPUS];

void idle_loop(void)
{
    unsigned int cpu = arch_cpu_id();

    for (;;) {
        /* Check and sleep with interrupts masked: an interrupt arriving
         * in between still ends the WFI, and is taken once unmasked. */
        arch_irq_disable();
        if (!softirq_pending(cpu)) {
            arch_wait_for_interrupt();
            idle_wakeups[cpu]++;
        }
        arch_irq_enable();
        do_softirq();
    }
}

static void dump_cpus(char key)
{
    (void)key;
    pr_info("CPUs: %u online (this is CPU %u)\n", num_online_cpus(), arch_cpu_id());
    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        if (!cpu_online(cpu)) {
            continue;
        }
        sched_dump_cpu(cpu);
        pr_info("CPU %u: %u timers queued, %llu fired, %llu softirqs, %llu idle wake-ups\n",
                cpu, timer_queue_length(cpu), (unsigned long long)timer_fired_count(cpu),
                (unsigned long long)softirq_count(cpu), (unsigned long long)idle_wakeups[cpu]);
    }
}
KEYHANDLER('r', dump_cpus, "dump run queues and CPU state");
