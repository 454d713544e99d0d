/* The idle loop (common/sched/idle.c): with nothing to do a CPU sleeps in
 * WFI with interrupts masked (an interrupt still ends the WFI and is taken
 * once they are unmasked), then runs what softirqs are pending; with work
 * pending it does not sleep at all. The 'r' key prints, for each online
 * CPU, its run queue and its timer, softirq and idle wake-up counts. The
 * loop never returns: the softirq a test raises leaves it by longjmp. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/idle.h>
#include <proxenos/keyhandler.h>
#include <proxenos/smp.h>
#include <proxenos/softirq.h>
#include <proxenos/timer.h>
#include <proxenos/arch/cpu.h>
#include <fake_arch.h>
#include "fake_sched.h"

extern const struct keyhandler __keyhandler_start[], __keyhandler_end[];

static jmp_buf out_of_idle;
static unsigned int wakes_before_work;  /* WFIs before the hook raises work */
static unsigned int schedule_runs;
static bool masked_in_wfi = true;

/* "An interrupt arrives" while the CPU sleeps: after a few, one that
 * raises work. Interrupts must be masked here. */
static void on_wfi(void)
{
    if (arch_irqs_enabled()) {
        masked_in_wfi = false;
    }
    if (fake_wfi_count() == wakes_before_work) {
        raise_softirq(SCHEDULE_SOFTIRQ);
    }
}

/* The work: leave the loop. */
static void schedule_softirq(void)
{
    schedule_runs++;
    longjmp(out_of_idle, 1);
}

static void run_idle_until_work(void)
{
    if (setjmp(out_of_idle) == 0) {
        idle_loop();
        fail_msg("idle_loop returned");
    }
}

static int setup(void **state)
{
    (void)state;
    fake_reset();
    fake_sched_reset();
    keyhandler_set_table(__keyhandler_start, __keyhandler_end);
    open_softirq(SCHEDULE_SOFTIRQ, schedule_softirq);
    schedule_runs = 0U;
    masked_in_wfi = true;
    fake_set_wfi_hook(on_wfi);
    return 0;
}

static void an_idle_cpu_sleeps_until_there_is_work(void **state)
{
    (void)state;
    wakes_before_work = 3U;
    run_idle_until_work();
    /* Three sleeps, the last ended by the interrupt that raised the work. */
    assert_int_equal(fake_wfi_count(), 3U);
    assert_int_equal(schedule_runs, 1U);
    assert_true(masked_in_wfi);
    assert_false(softirq_pending(0U));
}

static void pending_work_runs_without_sleeping(void **state)
{
    (void)state;
    wakes_before_work = 0U;
    raise_softirq(SCHEDULE_SOFTIRQ);
    run_idle_until_work();
    assert_int_equal(fake_wfi_count(), 0U);
    assert_int_equal(schedule_runs, 1U);
}

static void the_r_key_dumps_each_online_cpu(void **state)
{
    char line[160];
    uint64_t runs_cpu2;

    (void)state;
    cpu_set_online(0U);
    cpu_set_online(2U);
    /* CPU 2 sleeps twice, then has work. */
    fake_set_cpu(2U);
    wakes_before_work = 2U;
    run_idle_until_work();
    runs_cpu2 = softirq_count(2U);
    assert_true(runs_cpu2 >= 1U);
    fake_set_cpu(0U);

    fake_log_clear();
    handle_keypress('r');
    assert_true(fake_log_contains("'r' pressed -> dump run queues and CPU state"));
    assert_true(fake_log_contains("CPUs: 2 online (this is CPU 0)"));
    assert_int_equal(fake_sched_dumps(0U), 1U);
    assert_int_equal(fake_sched_dumps(1U), 0U);
    assert_int_equal(fake_sched_dumps(2U), 1U);
    (void)snprintf(line, sizeof(line),
                   "CPU 2: 0 timers queued, 0 fired, %llu softirqs, 2 idle wake-ups",
                   (unsigned long long)runs_cpu2);
    assert_true(fake_log_contains(line));
    assert_false(fake_log_contains("CPU 1:"));
    /* The run queue comes before the CPU's counts. */
    assert_true(strstr(fake_log(), "run queue of CPU 2") < strstr(fake_log(), "CPU 2: 0 timers"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(an_idle_cpu_sleeps_until_there_is_work, setup),
        cmocka_unit_test_setup(pending_work_runs_without_sleeping, setup),
        cmocka_unit_test_setup(the_r_key_dumps_each_online_cpu, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
