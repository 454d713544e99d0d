/* What common code needs from the CPU architecture: identity of the running
 * CPU, interrupt masking, waiting and cross-CPU kicks. Implemented by
 * arch/<arch>/ and, for host unit tests, by tests/unit/fake_arch/. */
#ifndef PROXENOS_ARCH_CPU_H
#define PROXENOS_ARCH_CPU_H

#include <proxenos/types.h>
#include <proxenos/lib.h>

/* Logical number of the running CPU: 0 is the boot CPU.
 *
 * An inline hook, like arch_index_mask_nospec (nospec.h): every trap asks
 * for it, often more than once (the current vCPU, the run queue, softirqs),
 * and a call costs more than the one instruction it takes. The #if chooses
 * the instruction set only. AArch64: TPIDR_EL2 holds the number, written
 * once when the CPU starts (arch/arm64/smp.c). Elsewhere (host unit tests)
 * it is a function of tests/unit/fake_arch/. */
#ifdef __aarch64__
static inline unsigned int arch_cpu_id(void)
{
    uint64_t id;

    __asm__ volatile("mrs %0, tpidr_el2" : "=r"(id));
    return (unsigned int)id;
}
#else
unsigned int arch_cpu_id(void);
#endif

/* Mask interrupts on this CPU and return the previous state for restore. */
unsigned long arch_irq_save(void);
void arch_irq_restore(unsigned long flags);
void arch_irq_enable(void);
void arch_irq_disable(void);
bool arch_irqs_enabled(void);

/* Busy-wait hint inside spin loops. */
void arch_cpu_relax(void);

/* Sleep until an interrupt is pending. Called with interrupts masked so that
 * no wake-up is lost between the last check and the sleep. */
void arch_wait_for_interrupt(void);

/* Interrupt another CPU so that it looks at its pending softirqs. */
void arch_send_ipi(unsigned int cpu);

/* The logical number of the online CPU whose hardware id (the "reg" of its
 * /cpus node; arm64: the MPIDR affinity fields) is hw_id, or -1. */
int arch_cpu_by_hw_id(uint64_t hw_id);

/* Where an online CPU sits in the machine, for schedulers that share work
 * among CPUs close to each other (credit2's run queues): CPUs with equal
 * core are threads of one core, with equal socket share a package (arm64:
 * a cluster), with equal node share memory. Only equality means anything. */
struct arch_cpu_topology {
    uint32_t core;
    uint32_t socket;
    uint32_t node;
};
void arch_cpu_topology(unsigned int cpu, struct arch_cpu_topology *topo);

/* Stop this CPU for good (after a panic or at power-off on secondaries). */
void arch_halt(void) __noreturn;

/* Power the machine off; halts if firmware cannot. */
void arch_machine_off(void) __noreturn;

#endif
