/* Reset hooks shared between the fake_arch files; not for tests. */
#ifndef FAKE_INTERNAL_H
#define FAKE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

void fake_console_reset(void);
void fake_cpu_reset(void);
void fake_time_reset(void);
void fake_mm_reset(void);
void fake_irq_reset(void);
void fake_guest_reset(void);
void fake_vuart_reset(void);
void fake_dm_irq_reset(void);
void fake_domain_reset(void);
void fake_domain_fdt_reset(void);
void fake_dom0less_reset(void);

struct domain;
/* The host frame of a RAM entry the fake stage 2 holds for gfn of d
 * (mapped by arch_map_guest_ram or arch_guest_map_page): false when it
 * holds none. */
bool fake_p2m_ram_frame(const struct domain *d, uint64_t gfn, uint64_t *mfn);

#endif
