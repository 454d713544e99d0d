/* See fake_gic_spi.h. */
#include <string.h>

#include <asm/arm64.h>
#include <proxenos/errno.h>
#include "fake_gic_spi.h"

struct fake_gic_line fake_gic[FAKE_GIC_LINES];

void fake_gic_reset(void)
{
    memset(fake_gic, 0, sizeof(fake_gic));
}

void fake_gic_take(unsigned int irq)
{
    fake_gic[irq].hypervisor = true;
}

bool fake_gic_fire(unsigned int irq)
{
    struct fake_gic_line *l = &fake_gic[irq];

    if ((l->fn == NULL) || !l->enabled) {
        return false;
    }
    l->fn(irq, l->data);
    return true;
}

unsigned int gic_nr_lines(void)
{
    return FAKE_GIC_LINES;
}

int gic_guest_spi_claim(unsigned int irq, bool edge, irq_handler_t handler, void *data)
{
    if ((irq < 32U) || (irq >= FAKE_GIC_LINES) || (handler == NULL)) {
        return -EINVAL;
    }
    if (fake_gic[irq].hypervisor || (fake_gic[irq].fn != NULL)) {
        return -EBUSY;
    }
    fake_gic[irq].fn = handler;
    fake_gic[irq].data = data;
    fake_gic[irq].edge = edge;
    fake_gic[irq].enabled = false;
    return 0;
}

void gic_guest_spi_release(unsigned int irq)
{
    if ((irq < 32U) || (irq >= FAKE_GIC_LINES)) {
        return;
    }
    fake_gic[irq].fn = NULL;
    fake_gic[irq].data = NULL;
    fake_gic[irq].enabled = false;
    fake_gic[irq].releases++;
}

void *gic_guest_spi_owner(unsigned int irq)
{
    return (irq < FAKE_GIC_LINES) ? fake_gic[irq].data : NULL;
}

void gic_spi_set_enabled(unsigned int irq, bool on)
{
    if ((irq < 32U) || (irq >= FAKE_GIC_LINES)) {
        return;
    }
    fake_gic[irq].enabled = on;
    if (on) {
        fake_gic[irq].enables++;
    } else {
        fake_gic[irq].masks++;
    }
}
