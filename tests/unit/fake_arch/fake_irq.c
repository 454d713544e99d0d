/* Host interrupt hooks: arch_irq_request fills a table, and a test plays
 * the interrupt controller by firing lines from it. */
#include <stddef.h>

#include <proxenos/arch/cpu.h>
#include <proxenos/arch/irq.h>
#include <proxenos/errno.h>
#include <fake_arch.h>
#include "fake_internal.h"

struct fake_irq {
    irq_handler_t handler;
    void *data;
    unsigned int cpu;
};

static struct fake_irq irqs[FAKE_NR_IRQS];

int arch_irq_request(unsigned int irq, irq_handler_t handler, void *data)
{
    if ((irq >= FAKE_NR_IRQS) || (handler == NULL)) {
        return -EINVAL;
    }
    if (irqs[irq].handler != NULL) {
        return -EBUSY;
    }
    irqs[irq].handler = handler;
    irqs[irq].data = data;
    irqs[irq].cpu = arch_cpu_id();
    return 0;
}

bool fake_irq_fire(unsigned int irq)
{
    if ((irq >= FAKE_NR_IRQS) || (irqs[irq].handler == NULL)) {
        return false;
    }
    irqs[irq].handler(irq, irqs[irq].data);
    return true;
}

int fake_irq_cpu(unsigned int irq)
{
    if ((irq >= FAKE_NR_IRQS) || (irqs[irq].handler == NULL)) {
        return -1;
    }
    return (int)irqs[irq].cpu;
}

void fake_irq_reset(void)
{
    unsigned int i;

    for (i = 0U; i < FAKE_NR_IRQS; i++) {
        irqs[i].handler = NULL;
        irqs[i].data = NULL;
        irqs[i].cpu = 0U;
    }
}
