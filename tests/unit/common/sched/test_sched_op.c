/* sched_op: yield, block, poll (pending ports, timeouts, wake-ups),
 * shutdown with reasons and a preset code, remote shutdown rights, the
 * watchdog reached through the hypercall, and the commands that do not
 * exist. */
#include "test_pv_hcall_env.h"

#include <proxenos/domain_watchdog.h>
#include <proxenos/evtchn.h>
#include <proxenos/sched.h>
#include <proxenos/softirq.h>
#include <proxenos/timer.h>
#include <public/sched.h>
#include "fake_evtchn.h"
#include "fake_sched.h"
#include "fake_shutdown.h"

#define ARG   (GUEST_BASE + 0x100U)
#define PORTS (GUEST_BASE + 0x200U)

/* The event channels, the scheduler and shutdowns are the shared
 * fake_evtchn.c, fake_sched.c and fake_shutdown.c, the timers the real
 * timer.c. Each domain has ports 0..63. */
#define NR_PORTS 64U

/* The last domain_shutdown's reason (-1: none) and domain, as
 * fake_shutdown.c recorded them. */
static int last_shutdown(void)
{
    int reason;

    (void)fake_shutdowns(NULL, &reason);
    return reason;
}

static struct domain *shut_dom(void)
{
    struct domain *d;

    (void)fake_shutdowns(&d, NULL);
    return d;
}

/* The timers are the real timer.c's, set up once. */
static int group_setup(void **state)
{
    (void)state;
    timer_subsys_init();
    return 0;
}

static int setup(void **state)
{
    (void)state;
    /* No poll timer or watchdog of the previous test stays queued while
     * env_setup clears the vCPUs and domains that hold them. */
    for (unsigned int d = 0U; d < ENV_DOMS; d++) {
        domain_watchdog_destroy(&doms[d]);
    }
    for (unsigned int d = 0U; d < ENV_DOMS; d++) {
        for (unsigned int i = 0U; i < ENV_VCPUS; i++) {
            if (vcpus[d][i].poll_timer.fn != NULL) {
                stop_timer(&vcpus[d][i].poll_timer);
            }
        }
    }
    env_setup();
    for (unsigned int d = 0U; d < ENV_DOMS; d++) {
        domain_watchdog_init(&doms[d]);
    }
    fake_sched_reset();
    fake_shutdown_reset();
    fake_evtchn_reset();
    fake_evtchn_set_ports(NR_PORTS);
    as(1U, 0U);
    return 0;
}

static long so(uint64_t cmd, uint64_t arg)
{
    return hc(do_sched_op, cmd, arg, 0U);
}

static void yield_and_block(void **state)
{
    (void)state;
    assert_int_equal(so(SCHEDOP_yield, 0U), 0);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_YIELD, NULL), 1U);
    assert_int_equal(so(SCHEDOP_block, 0U), 0);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_BLOCK, NULL), 1U);
    assert_int_equal(vcpus[1][0].state, VCPU_BLOCKED);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_WAKE, NULL), 0U);
}

static void block_with_event_pending_returns(void **state)
{
    (void)state;
    vcpus[1][0].vcpu_info->evtchn_upcall_pending = 1U;
    assert_int_equal(so(SCHEDOP_block, 0U), 0);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_BLOCK, NULL), 0U);
}

static void set_poll(uint32_t nr, uint64_t timeout)
{
    struct sched_poll *p = garg(1U, 0x100U);

    p->ports = PORTS;
    p->nr_ports = nr;
    p->timeout = timeout;
}

static void poll_pending_port_returns_at_once(void **state)
{
    uint32_t *ports = garg(1U, 0x200U);

    (void)state;
    ports[0] = 3U;
    ports[1] = 9U;
    fake_evtchn_set_pending(9U, true);
    set_poll(2U, 0U);
    assert_int_equal(so(SCHEDOP_poll, ARG), 0);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_BLOCK, NULL), 0U);
    assert_false(vcpus[1][0].polling);
}

static void poll_blocks_with_timeout(void **state)
{
    uint32_t *ports = garg(1U, 0x200U);
    struct vcpu *v = &vcpus[1][0];

    (void)state;
    ports[0] = 3U;
    set_poll(1U, 123456789U);
    assert_int_equal(so(SCHEDOP_poll, ARG), 0);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_BLOCK, NULL), 1U);
    assert_true(v->polling);
    assert_true(timer_is_queued(&v->poll_timer));
    assert_int_equal(v->poll_timer.expires, 123456789);
    /* The timeout wakes it and ends the poll. */
    fake_set_now(123456789);
    timer_interrupt();
    do_softirq();
    assert_false(timer_is_queued(&v->poll_timer));
    assert_false(v->polling);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_WAKE, NULL), 1U);
    /* A second expiry (a stale timer) does nothing. */
    v->poll_timer.fn(v->poll_timer.data);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_WAKE, NULL), 1U);
}

static void poll_without_timeout_stops_old_timer(void **state)
{
    (void)state;
    set_poll(0U, 0U);
    assert_int_equal(so(SCHEDOP_poll, ARG), 0);
    assert_false(timer_is_queued(&vcpus[1][0].poll_timer));
    assert_int_equal(fake_sched_calls(FAKE_SCHED_BLOCK, NULL), 1U);
    assert_true(vcpus[1][0].polling);
}

static void poll_returns_for_pending_upcall(void **state)
{
    (void)state;
    vcpus[1][0].vcpu_info->evtchn_upcall_pending = 1U;
    set_poll(0U, 5U);
    assert_int_equal(so(SCHEDOP_poll, ARG), 0);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_BLOCK, NULL), 0U);
    assert_false(vcpus[1][0].polling);
}

static void poll_errors(void **state)
{
    (void)state;
    set_poll(129U, 0U);
    assert_int_equal(so(SCHEDOP_poll, ARG), -EINVAL);
    set_poll(128U, 0U);
    fake_guest_fault(PORTS, 4U, false);
    assert_int_equal(so(SCHEDOP_poll, ARG), -EFAULT);
    assert_false(vcpus[1][0].polling);
    assert_int_equal(so(SCHEDOP_poll, 0x1000U), -EFAULT);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_BLOCK, NULL), 0U);
}

static void poll_bad_port_is_einval_unless_upcall_due(void **state)
{
    uint32_t *ports = garg(1U, 0x200U);

    (void)state;
    ports[0] = 3U;
    ports[1] = 0xffffffffU;
    set_poll(2U, 0U);
    assert_int_equal(so(SCHEDOP_poll, ARG), -EINVAL);
    assert_false(vcpus[1][0].polling);
    assert_int_equal(fake_sched_calls(FAKE_SCHED_BLOCK, NULL), 0U);
    /* As on Xen, a due upcall ends the poll before the ports are read. */
    vcpus[1][0].vcpu_info->evtchn_upcall_pending = 1U;
    assert_int_equal(so(SCHEDOP_poll, ARG), 0);
}

static void shutdown_reasons(void **state)
{
    struct sched_shutdown *s = garg(1U, 0x100U);

    (void)state;
    s->reason = SHUTDOWN_reboot;
    assert_int_equal(so(SCHEDOP_shutdown, ARG), 0);
    assert_int_equal(last_shutdown(), SHUTDOWN_reboot);
    assert_ptr_equal(shut_dom(), &doms[1]);
    s->reason = SHUTDOWN_crash;
    assert_int_equal(so(SCHEDOP_shutdown, ARG), 0);
    {
        struct domain *d;
        struct vcpu *v;
        const char *why;

        assert_int_equal(fake_crashes(&d, &v, &why), 1U);
        assert_ptr_equal(d, &doms[1]);
        assert_null(v);
        assert_non_null(why);
    }
    s->reason = 77U;
    assert_int_equal(so(SCHEDOP_shutdown, ARG), 0);
    assert_int_equal(last_shutdown(), SHUTDOWN_poweroff);
    fake_guest_fault(ARG, 4U, false);
    fake_shutdown_reset();
    assert_int_equal(so(SCHEDOP_shutdown, ARG), -EFAULT);
    assert_int_equal(so(SCHEDOP_shutdown_code, ARG), -EFAULT);
    assert_int_equal(last_shutdown(), -1);
}

static void shutdown_code_wins(void **state)
{
    struct sched_shutdown *s = garg(1U, 0x100U);

    (void)state;
    s->reason = SHUTDOWN_suspend;
    assert_int_equal(so(SCHEDOP_shutdown_code, ARG), 0);
    assert_int_equal(last_shutdown(), -1);
    /* Only the first code counts. */
    s->reason = SHUTDOWN_reboot;
    assert_int_equal(so(SCHEDOP_shutdown_code, ARG), 0);
    s->reason = SHUTDOWN_poweroff;
    assert_int_equal(so(SCHEDOP_shutdown, ARG), 0);
    assert_int_equal(last_shutdown(), SHUTDOWN_suspend);
    /* Used up. */
    assert_int_equal(so(SCHEDOP_shutdown, ARG), 0);
    assert_int_equal(last_shutdown(), SHUTDOWN_poweroff);
}

static void remote_shutdown_rights(void **state)
{
    struct sched_remote_shutdown *r = garg(1U, 0x100U);

    (void)state;
    r->domain_id = 0U;
    r->reason = SHUTDOWN_poweroff;
    assert_int_equal(so(SCHEDOP_remote_shutdown, ARG), -EPERM);
    r->domain_id = 9U;
    assert_int_equal(so(SCHEDOP_remote_shutdown, ARG), -ESRCH);
    assert_null(shut_dom());
    as(0U, 0U);
    r = garg(0U, 0x100U);
    r->domain_id = 0x7ff0U;     /* DOMID_SELF is not looked up */
    assert_int_equal(so(SCHEDOP_remote_shutdown, ARG), -ESRCH);
    r->domain_id = 1U;
    r->reason = SHUTDOWN_reboot;
    assert_int_equal(so(SCHEDOP_remote_shutdown, ARG), 0);
    assert_ptr_equal(shut_dom(), &doms[1]);
    assert_int_equal(last_shutdown(), SHUTDOWN_reboot);
    fake_guest_fault(ARG, 8U, false);
    assert_int_equal(so(SCHEDOP_remote_shutdown, ARG), -EFAULT);
}

/* The caller's own domain gets the watchdog; Xen's ids and errors; an
 * unreadable argument is -EFAULT. */
static void watchdog_of_callers_domain(void **state)
{
    struct sched_watchdog *w = garg(1U, 0x100U);

    (void)state;
    w->id = 0U;
    w->timeout = 30U;
    assert_int_equal(so(SCHEDOP_watchdog, ARG), 1);
    assert_true(timer_is_queued(&doms[1].watchdog_timer[0]));
    assert_false(timer_is_queued(&doms[0].watchdog_timer[0]));
    w->id = 1U;
    w->timeout = 60U;
    assert_int_equal(so(SCHEDOP_watchdog, ARG), 0);
    assert_int_equal(doms[1].watchdog_timer[0].expires, NOW() + SECONDS(60));
    w->timeout = 0U;
    assert_int_equal(so(SCHEDOP_watchdog, ARG), 0);
    assert_false(timer_is_queued(&doms[1].watchdog_timer[0]));
    assert_int_equal(so(SCHEDOP_watchdog, ARG), -EINVAL);
    w->id = 3U;
    w->timeout = 1U;
    assert_int_equal(so(SCHEDOP_watchdog, ARG), -EINVAL);
    fake_guest_fault(ARG, 8U, false);
    assert_int_equal(so(SCHEDOP_watchdog, ARG), -EFAULT);
}

static void missing_commands(void **state)
{
    (void)state;
    assert_int_equal(so(SCHEDOP_pin_override, ARG), -EPERM);
    assert_int_equal(so(8U, ARG), -ENOSYS);
    assert_int_equal(so(0xffffffffU, ARG), -ENOSYS);
    as(0U, 0U);
    assert_int_equal(so(SCHEDOP_pin_override, ARG), -ENOSYS);
    assert_int_equal(so(SCHEDOP_pin_override, 0x1000U), -EFAULT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(yield_and_block, setup),
        cmocka_unit_test_setup(block_with_event_pending_returns, setup),
        cmocka_unit_test_setup(poll_pending_port_returns_at_once, setup),
        cmocka_unit_test_setup(poll_blocks_with_timeout, setup),
        cmocka_unit_test_setup(poll_without_timeout_stops_old_timer, setup),
        cmocka_unit_test_setup(poll_returns_for_pending_upcall, setup),
        cmocka_unit_test_setup(poll_errors, setup),
        cmocka_unit_test_setup(poll_bad_port_is_einval_unless_upcall_due, setup),
        cmocka_unit_test_setup(shutdown_reasons, setup),
        cmocka_unit_test_setup(shutdown_code_wins, setup),
        cmocka_unit_test_setup(remote_shutdown_rights, setup),
        cmocka_unit_test_setup(watchdog_of_callers_domain, setup),
        cmocka_unit_test_setup(missing_commands, setup),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
