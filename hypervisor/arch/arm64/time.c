/* The generic timer: system time from the physical counter, and the EL2
 * physical timer (CNTHP) as each CPU's one-shot timer interrupt. */
#include <asm/arm64.h>
#include <asm/sysregs.h>
#include <proxenos/arch/irq.h>
#include <proxenos/arch/time.h>
#include <proxenos/printk.h>
#include <proxenos/timer.h>

#define CNTHP_CTL_ENABLE  (1U << 0)
#define CNTHP_CTL_IMASK   (1U << 1)
#define NS_PER_SEC        1000000000ULL

static uint64_t boot_count;
static uint32_t freq_hz;
/* ns = ticks * ns_mult >> 32 and ticks = ns * tick_mult >> 32. */
static uint64_t ns_mult;
static uint64_t tick_mult;
static unsigned int timer_irq;

static uint64_t read_counter(void)
{
    isb();
    return READ_SYSREG(cntpct_el0);
}

s_time_t arch_now(void)
{
    uint64_t ticks = read_counter() - boot_count;

    return (s_time_t)(((unsigned __int128)ticks * ns_mult) >> 32);
}

s_time_t counter_to_stime(uint64_t count)
{
    uint64_t ticks = (count > boot_count) ? (count - boot_count) : 0U;

    return (s_time_t)(((unsigned __int128)ticks * ns_mult) >> 32);
}

void arch_timer_program(s_time_t deadline)
{
    uint64_t ticks;

    if (deadline <= 0) {
        WRITE_SYSREG(cnthp_ctl_el2, CNTHP_CTL_IMASK);
        isb();
        return;
    }
    ticks = (uint64_t)(((unsigned __int128)(uint64_t)deadline * tick_mult) >> 32);
    WRITE_SYSREG(cnthp_cval_el2, boot_count + ticks);
    WRITE_SYSREG(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
    isb();
}

static void hyp_timer_interrupt(unsigned int irq, void *data)
{
    (void)irq;
    (void)data;
    timer_interrupt();
}

void time_init(uint32_t dt_frequency, unsigned int hyp_timer_ppi)
{
    boot_count = read_counter();
    /* The DT property overrides CNTFRQ only where firmware left it wrong. */
    freq_hz = (dt_frequency != 0U) ? dt_frequency : (uint32_t)READ_SYSREG(cntfrq_el0);
    BUG_ON(freq_hz == 0U);
    ns_mult = (NS_PER_SEC << 32) / freq_hz;
    tick_mult = ((uint64_t)freq_hz << 32) / NS_PER_SEC;
    timer_irq = (hyp_timer_ppi != 0U) ? hyp_timer_ppi : 26U;
    pr_info("Timer: %u.%03u MHz counter, EL2 timer on PPI %u\n", freq_hz / 1000000U,
            (freq_hz / 1000U) % 1000U, timer_irq);
}

void time_cpu_init(void)
{
    WRITE_SYSREG(cnthp_ctl_el2, CNTHP_CTL_IMASK);
    /* Guests may read the physical counter and use their own timers. */
    WRITE_SYSREG(cnthctl_el2, 3U);
    WRITE_SYSREG(cntvoff_el2, 0U);
    isb();
    (void)arch_irq_request(timer_irq, hyp_timer_interrupt, NULL);
}
