/*
 * watchdog: SCHEDOP_watchdog as a guest uses it, with Xen 4.17's answers.
 * It takes both watchdogs (ids 1 and 2; a third gets Xen's -ENOSPC, which
 * reaches the guest as the 32-bit value 0xffffffe4), checks the
 * errors (an id that does not exist, one not taken), frees the second,
 * then keeps the first alive: re-armed `rearms` times (default 4) every
 * second with a 2 s timeout. Then it stops re-arming and waits: the
 * hypervisor must shut the domain down with reason watchdog about 2 s
 * later, so nothing after "watchdog: waiting" may print "watchdog: still
 * alive" (it gives up after 10 s and fails).
 *
 * bootargs: rearms=<n> (4), timeout=<s> (2)
 */
#include "guest.h"
#include "hypercall.h"

static long watchdog_op(uint32_t id, uint32_t timeout)
{
    struct sched_watchdog w = { .id = id, .timeout = timeout };

    return hyp_sched_op(SCHEDOP_watchdog, &w);
}

void guest_main(const struct platform *p)
{
    uint64_t rearms = bootarg_u64(p->bootargs, "rearms", 4U);
    uint32_t timeout = (uint32_t)bootarg_u64(p->bootargs, "timeout", 2U);
    uint64_t i;

    (void)xen_expect("watchdog_take_first", watchdog_op(0U, 60U), 1);
    (void)xen_expect("watchdog_take_second", watchdog_op(0U, 60U), 2);
    /* Xen 4.17 returns its -ENOSPC through an unsigned int: 0xffffffe4. */
    (void)xen_expect("watchdog_none_free", watchdog_op(0U, 60U), (long)(uint32_t)-XEN_ENOSPC);
    (void)xen_expect("watchdog_bad_id", watchdog_op(3U, 1U), -XEN_EINVAL);
    (void)xen_expect("watchdog_free_second", watchdog_op(2U, 0U), 0);
    (void)xen_expect("watchdog_second_not_taken", watchdog_op(2U, 5U), -XEN_EINVAL);
    (void)xen_expect("watchdog_arm", watchdog_op(1U, timeout), 0);
    for (i = 1U; i <= rearms; i++) {
        delay_ms(1000U);
        printf("watchdog: re-arm %lu of %lu\n", i, rearms);
        (void)xen_expect("watchdog_rearm", watchdog_op(1U, timeout), 0);
    }
    printf("watchdog: waiting (%u s timeout, %u passed, %u failed)\n", timeout, test_passed(),
           test_failed());
    for (i = 1U; i <= 10U; i++) {
        delay_ms(1000U);
        printf("watchdog: still alive after %lu s\n", i);
    }
    test_fail("watchdog_fires", "not shut down 10 s after the last re-arm");
}
