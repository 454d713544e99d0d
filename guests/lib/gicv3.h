/*
 * GICv3 guest driver: the distributor, this vCPU's redistributor and the
 * ICC system-register CPU interface, Group 1 (non-secure) only.
 */
#ifndef GUEST_GICV3_H
#define GUEST_GICV3_H

#include <stdbool.h>
#include <stdint.h>

#include "platform.h"

#define GIC_PRIO_DEFAULT    0xa0U
#define GIC_INTID_SPURIOUS  1020U

/* Enables the distributor and sets up the calling vCPU. 0 or negative. */
int gic_init(const struct platform *p);
bool gic_ready(void);

/* Redistributor + CPU interface of the calling vCPU (secondaries call this). */
int gic_cpu_init(void);

/* SGIs/PPIs act on the calling vCPU's redistributor; SPIs are routed to the calling vCPU. */
void gic_irq_enable(uint32_t intid, uint8_t prio);
void gic_irq_disable(uint32_t intid);

/* Number of interrupt lines the distributor implements (GICD_TYPER). */
uint32_t gic_nr_lines(void);

/* SGI intid (0-15) to the vCPU with that MPIDR affinity (Aff0 < 16). */
void gic_send_sgi(uint32_t intid, uint64_t target_mpidr);

uint32_t gic_ack(void);
void gic_eoi(uint32_t intid);

#endif
