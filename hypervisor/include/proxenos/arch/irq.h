/* Physical interrupts owned by the hypervisor (as opposed to guests'). */
#ifndef PROXENOS_ARCH_IRQ_H
#define PROXENOS_ARCH_IRQ_H

typedef void (*irq_handler_t)(unsigned int irq, void *data);

/* Install handler for irq, route it to the calling CPU and enable it.
 * Returns -EINVAL for an unknown line, -EBUSY if it is taken. */
int arch_irq_request(unsigned int irq, irq_handler_t handler, void *data);

#endif
