/* Reset hooks shared between the fake_arch files; not for tests. */
#ifndef FAKE_INTERNAL_H
#define FAKE_INTERNAL_H

void fake_console_reset(void);
void fake_cpu_reset(void);
void fake_time_reset(void);
void fake_mm_reset(void);
void fake_irq_reset(void);
void fake_guest_reset(void);
void fake_vuart_reset(void);
void fake_domain_reset(void);

#endif
