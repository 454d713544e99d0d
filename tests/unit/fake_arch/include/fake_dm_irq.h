/* A stand-in for arch_dm_set_irq_level (<proxenos/arch/domain.h>), the
 * SPI lines a device model drives through dm_op: it records each call and
 * answers as the architecture does for a domain with FAKE_DEFAULT_NR_SPIS
 * SPIs and no line of its own: -EINVAL below INTID 32 or past the SPIs,
 * else 0. Weak: a test that links arch/arm64/dm_irq.c gets the real one. */
#ifndef FAKE_DM_IRQ_H
#define FAKE_DM_IRQ_H

#include <stdbool.h>
#include <stdint.h>

struct domain;

struct fake_dm_irq_call {
    struct domain *d;
    uint32_t irq;
    bool level;
};

/* Accepted calls since the reset, and the last one (out may be NULL). */
unsigned int fake_dm_irq_calls(struct fake_dm_irq_call *out);

#endif
