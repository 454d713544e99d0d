/* A stand-in for the host GIC's SPIs as guests' lines use them
 * (gic_guest_spi_claim and its kin in gic_v3.c): who holds each line,
 * its trigger, whether it is enabled, and a way to fire it. */
#ifndef FAKE_GIC_SPI_H
#define FAKE_GIC_SPI_H

#include <stdbool.h>
#include <stdint.h>

#define FAKE_GIC_LINES 288U

struct fake_gic_line {
    void (*fn)(unsigned int irq, void *data);
    void *data;
    bool edge;
    bool enabled;
    bool hypervisor;            /* the hypervisor's own: claims refused */
    unsigned int enables;       /* gic_spi_set_enabled(.., true) calls */
    unsigned int masks;         /* gic_spi_set_enabled(.., false) calls */
    unsigned int releases;
};

extern struct fake_gic_line fake_gic[FAKE_GIC_LINES];

/* Every line free, disabled, nobody's; the GIC has FAKE_GIC_LINES INTIDs. */
void fake_gic_reset(void);
/* The hypervisor registers irq for itself (arch_irq_request). */
void fake_gic_take(unsigned int irq);
/* The line fires: its handler runs as gic_handle_irq would run it.
 * False when nobody holds it or it is disabled (the GIC would not
 * signal it then). */
bool fake_gic_fire(unsigned int irq);

#endif
