/* Host time hooks: a clock that only moves when a test moves it. */
#include <proxenos/arch/time.h>
#include <fake_arch.h>
#include "fake_internal.h"

static s_time_t now;
static s_time_t deadline;
static unsigned int program_count;

s_time_t arch_now(void)
{
    return now;
}

void arch_timer_program(s_time_t d)
{
    deadline = d;
    program_count++;
}

void fake_set_now(s_time_t ns)
{
    now = ns;
}

void fake_advance(s_time_t ns)
{
    now += ns;
}

s_time_t fake_timer_deadline(void)
{
    return deadline;
}

unsigned int fake_timer_program_count(void)
{
    return program_count;
}

void fake_time_reset(void)
{
    now = 0;
    deadline = 0;
    program_count = 0U;
}
