/* CPU hooks for common code: interrupt masking, waiting (the CPU's
 * identity, arch_cpu_id, is inline in <proxenos/arch/cpu.h>). */
#include <asm/sysregs.h>
#include <proxenos/arch/cpu.h>

unsigned long arch_irq_save(void)
{
    unsigned long flags = READ_SYSREG(daif);

    __asm__ volatile("msr daifset, #2" ::: "memory");
    return flags;
}

void arch_irq_restore(unsigned long flags)
{
    WRITE_SYSREG(daif, flags);
}

void arch_irq_enable(void)
{
    __asm__ volatile("msr daifclr, #2" ::: "memory");
}

void arch_irq_disable(void)
{
    __asm__ volatile("msr daifset, #2" ::: "memory");
}

bool arch_irqs_enabled(void)
{
    return (READ_SYSREG(daif) & (1UL << 7)) == 0U;
}

void arch_cpu_relax(void)
{
    __asm__ volatile("yield" ::: "memory");
}

void arch_wait_for_interrupt(void)
{
    dsb_sy();
    wfi();
}

void arch_halt(void)
{
    for (;;) {
        __asm__ volatile("msr daifset, #0xf\n\twfi" ::: "memory");
    }
}
