#include "sysreg.h"
#include "timer.h"

static uint64_t freq;

void timer_init(const struct platform *p)
{
    freq = SYSREG_READ(cntfrq_el0) & 0xffffffffU;
    if (freq == 0U) {
        freq = p->timer_dt_freq;
    }
    if (freq == 0U) {
        freq = 62500000U;   /* QEMU virt's rate: better than dividing by zero */
    }
}

uint64_t timer_freq(void)
{
    return freq;
}

uint64_t timer_now(void)
{
    isb();  /* no earlier (speculative) read of the counter */
    return SYSREG_READ(cntvct_el0);
}

uint64_t timer_phys_now(void)
{
    isb();
    return SYSREG_READ(cntpct_el0);
}

void timer_arm_at(uint64_t cval)
{
    SYSREG_WRITE(cntv_cval_el0, cval);
    SYSREG_WRITE(cntv_ctl_el0, CNTV_CTL_ENABLE);
    isb();
}

void timer_stop(void)
{
    SYSREG_WRITE(cntv_ctl_el0, 0U);
    isb();
}

void timer_set_ctl(uint64_t ctl)
{
    SYSREG_WRITE(cntv_ctl_el0, ctl);
    isb();
}

uint64_t timer_ctl(void)
{
    return SYSREG_READ(cntv_ctl_el0);
}

uint64_t timer_cval(void)
{
    return SYSREG_READ(cntv_cval_el0);
}

uint64_t timer_us_to_ticks(uint64_t us)
{
    return (us * freq) / 1000000U;
}

uint64_t timer_ticks_to_ns(uint64_t ticks)
{
    /* split so neither product overflows for any realistic tick count */
    return ((ticks / freq) * 1000000000U) + (((ticks % freq) * 1000000000U) / freq);
}

void delay_us(uint64_t us)
{
    uint64_t end = timer_now() + timer_us_to_ticks(us);

    while (timer_now() < end) {
        cpu_relax();
    }
}

void delay_ms(uint64_t ms)
{
    delay_us(ms * 1000U);
}

bool wait_until(wait_cond_t cond, const void *ctx, uint64_t timeout_ms)
{
    uint64_t end = timer_now() + timer_us_to_ticks(timeout_ms * 1000U);

    for (;;) {
        if (cond(ctx)) {
            return true;
        }
        if (timer_now() >= end) {
            return cond(ctx);   /* one last look: we may have been descheduled */
        }
        cpu_relax();
    }
}

struct u32_wait {
    const volatile uint32_t *v;
    uint32_t want;
};

static bool u32_matches(const void *ctx)
{
    const struct u32_wait *w = ctx;

    return __atomic_load_n(w->v, __ATOMIC_ACQUIRE) == w->want;
}

bool wait_for_u32(const volatile uint32_t *v, uint32_t want, uint64_t timeout_ms)
{
    struct u32_wait w = { v, want };

    return wait_until(u32_matches, &w, timeout_ms);
}
