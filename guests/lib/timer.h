/*
 * The EL1 virtual timer (CNTV_*) and counter. Under Xen the virtual
 * counter is offset to the domain's creation; the physical counter
 * (CNTPCT_EL0, readable at EL1 under Xen) is the machine's.
 */
#ifndef GUEST_TIMER_H
#define GUEST_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#include "platform.h"

#define CNTV_CTL_ENABLE     1U
#define CNTV_CTL_IMASK      2U
#define CNTV_CTL_ISTATUS    4U

/* Frequency from CNTFRQ_EL0, or the DT's clock-frequency when that reads 0. */
void timer_init(const struct platform *p);
uint64_t timer_freq(void);

uint64_t timer_now(void);       /* CNTVCT_EL0 */
uint64_t timer_phys_now(void);  /* CNTPCT_EL0 */

/* Fires (PPI, normally INTID 27) once CNTVCT >= cval. */
void timer_arm_at(uint64_t cval);
void timer_stop(void);
void timer_set_ctl(uint64_t ctl);
uint64_t timer_ctl(void);
uint64_t timer_cval(void);

uint64_t timer_us_to_ticks(uint64_t us);
uint64_t timer_ticks_to_ns(uint64_t ticks);

void delay_us(uint64_t us);
void delay_ms(uint64_t ms);

typedef bool (*wait_cond_t)(const void *ctx);

/* Polls cond(ctx) until it holds (true) or timeout_ms of virtual time pass (false). */
bool wait_until(wait_cond_t cond, const void *ctx, uint64_t timeout_ms);

/* Waits until *v == want, same contract. */
bool wait_for_u32(const volatile uint32_t *v, uint32_t want, uint64_t timeout_ms);

#endif
