/* A stand-in for the vGIC as emulated devices see it (vgic_inject_irq,
 * vgic_pulse_irq and vgic_nr_spis of <asm/vgic.h>), for host tests of a device model that do
 * not link the vGIC: each (domain, interrupt) line keeps the level last
 * driven, injections are counted (per domain and per line) with the vCPU
 * of the last one, and a domain has FAKE_VGIC_NR_SPIS SPIs unless the test
 * gives it another number. A virq past the domain's SPIs, or below 32
 * without a vCPU, is -EINVAL, as the real one answers.
 *
 * Several host threads may inject at once (a test playing two CPUs): the
 * levels and counts are atomic.
 *
 * Weak: a test that links vgic.c gets the real one. Link it by naming
 * ../tests/unit/arch/arm64/fake_vgic_irq.c in a test's -src, and call
 * fake_vgic_irq_reset() in each test's setup. */
#ifndef FAKE_VGIC_IRQ_H
#define FAKE_VGIC_IRQ_H

#include <stdbool.h>

struct domain;
struct vcpu;

#define FAKE_VGIC_NR_SPIS 32U

/* Forget every line, count and number. */
void fake_vgic_irq_reset(void);
void fake_vgic_set_nr_spis(const struct domain *d, unsigned int n);
/* The level last injected on d's virq (false if never), and the number of
 * successful vgic_inject_irq calls for d, and for d's virq. */
bool fake_vgic_line(const struct domain *d, unsigned int virq);
unsigned int fake_vgic_injects(const struct domain *d);
unsigned int fake_vgic_line_injects(const struct domain *d, unsigned int virq);
/* Successful vgic_pulse_irq calls for d's virq (they leave its level
 * alone, and count in fake_vgic_injects too). */
unsigned int fake_vgic_pulses(const struct domain *d, unsigned int virq);
/* The vCPU the last successful injection for d named (NULL: none yet, or
 * an SPI without one). */
struct vcpu *fake_vgic_last_vcpu(const struct domain *d);

#endif
