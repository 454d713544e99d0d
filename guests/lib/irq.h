/*
 * Interrupt handlers by INTID. The IRQ vector acknowledges every pending
 * interrupt, calls its handler and signals end-of-interrupt; handlers run
 * with IRQs masked on the vCPU that took the interrupt.
 */
#ifndef GUEST_IRQ_H
#define GUEST_IRQ_H

#include <stdint.h>

#define IRQ_MAX_INTID 256U

typedef void (*irq_handler_t)(uint32_t intid, void *arg);

/* 0, or -1 when intid is out of range. */
int irq_register(uint32_t intid, irq_handler_t fn, void *arg);

/* Called from the IRQ vector. */
void irq_dispatch(void);

/* Interrupts taken that had no handler. */
uint32_t irq_unexpected_count(void);

#endif
