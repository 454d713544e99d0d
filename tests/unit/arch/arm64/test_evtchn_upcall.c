/* The event-channel upcall PPI is pulsed, as Xen 4.17 signals it
 * (arch/arm64/evtchn_upcall.c): one edge each time an event sets the
 * vCPU's evtchn_upcall_pending flag from 0, and one on the way into the
 * guest for a flag the guest set itself; none while the flag stays set,
 * none for clearing it. Two CPUs act for one vCPU (the sender's and the
 * vCPU's own): whatever their order, every event that finds the flag clear
 * gets its edge. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <pthread.h>
#include <cmocka.h>

#include <proxenos/arch/evtchn.h>
#include <proxenos/domain.h>
#include <proxenos/domain_pv.h>
#include <asm/domain.h>
#include <asm/evtchn_upcall.h>
#include <asm/vgic.h>
#include <public/xen.h>
#include "fake_events_pending.h"
#include "fake_vgic_irq.h"

#define EVTCHN_PPI 31U

static struct domain dom;
static struct vcpu vcpu;
static struct arch_vcpu arch_vcpu;    /* arch_vcpu_create's, given here */
static struct vcpu_info info;

static unsigned int pulses(void)
{
    return fake_vgic_pulses(&dom, EVTCHN_PPI);
}

/* Only the vCPU's own upcall PPI was ever signalled, and only by pulses. */
static void only_upcall_pulses(void)
{
    assert_int_equal(fake_vgic_injects(&dom), pulses());
    assert_int_equal(fake_vgic_line_injects(&dom, EVTCHN_PPI), 0U);
    if (pulses() != 0U) {
        assert_ptr_equal(fake_vgic_last_vcpu(&dom), &vcpu);
    }
}

static int setup(void **state)
{
    (void)state;
    dom = (struct domain){ 0 };
    vcpu = (struct vcpu){ 0 };
    arch_vcpu = (struct arch_vcpu){ 0 };
    info = (struct vcpu_info){ 0 };
    dom.evtchn_irq = EVTCHN_PPI;
    vcpu.domain = &dom;
    vcpu.vcpu_info = &info;
    vcpu.arch = &arch_vcpu;
    fake_events_pending_reset();
    fake_vgic_irq_reset();
    (void)fake_vgic_injects(&dom);      /* its slot, before threads share it */
    return 0;
}

/* An event raised for the vCPU, as the common code raises it: through the
 * shared fake_events_pending.c, which sets the flag and, when it was
 * clear, calls arch_evtchn_inject (the code under test), as the real one. */
static void send_event(void)
{
    vcpu_mark_events_pending(&vcpu);
}

static void test_one_edge_per_flag_set(void **state)
{
    (void)state;
    /* Nothing pending: entering the guest signals nothing. */
    evtchn_upcall_resample(&vcpu);
    assert_int_equal(pulses(), 0U);
    /* An event pulses once; a second one finds the flag set. */
    send_event();
    send_event();
    assert_int_equal(fake_events_marked(&vcpu), 2U);
    assert_int_equal(pulses(), 1U);
    evtchn_upcall_resample(&vcpu);
    assert_int_equal(pulses(), 1U);
    /* The guest took the upcall and cleared the flag: nothing to do. */
    info.evtchn_upcall_pending = 0U;
    evtchn_upcall_resample(&vcpu);
    assert_int_equal(pulses(), 1U);
    /* The guest set the flag itself (as Linux does to replay an upcall):
     * the next entry pulses, once. */
    info.evtchn_upcall_pending = 1U;
    evtchn_upcall_resample(&vcpu);
    evtchn_upcall_resample(&vcpu);
    assert_int_equal(pulses(), 2U);
    /* Cleared by the guest and set by an event before any entry: the event
     * pulses (the edge the level model could miss), the entry adds none. */
    info.evtchn_upcall_pending = 0U;
    send_event();
    assert_int_equal(pulses(), 3U);
    evtchn_upcall_resample(&vcpu);
    assert_int_equal(pulses(), 3U);
    only_upcall_pulses();
}

/* ---- Two CPUs at once ------------------------------------------------------ */

#define ROUNDS 20000U

static pthread_barrier_t start_round;
static pthread_barrier_t end_round;

/* The sending CPU: one event per round, while the vCPU's CPU resamples. */
static void *sender(void *arg)
{
    (void)arg;
    for (unsigned int i = 0U; i < ROUNDS; i++) {
        (void)pthread_barrier_wait(&start_round);
        send_event();
        (void)pthread_barrier_wait(&end_round);
    }
    return NULL;
}

static void test_event_during_resample_is_not_lost(void **state)
{
    pthread_t t;
    unsigned int lost = 0U;
    unsigned int doubled = 0U;

    (void)state;
    assert_int_equal(pthread_barrier_init(&start_round, NULL, 2U), 0);
    assert_int_equal(pthread_barrier_init(&end_round, NULL, 2U), 0);
    assert_int_equal(pthread_create(&t, NULL, sender, NULL), 0);
    for (unsigned int i = 0U; i < ROUNDS; i++) {
        unsigned int before = pulses();
        unsigned int got;

        /* The guest handled the last upcall and cleared the flag. */
        __atomic_store_n(&info.evtchn_upcall_pending, (uint8_t)0U, __ATOMIC_RELEASE);
        (void)pthread_barrier_wait(&start_round);
        /* Its CPU enters the guest as the event is sent. */
        evtchn_upcall_resample(&vcpu);
        (void)pthread_barrier_wait(&end_round);
        /* The event found the flag clear: it had its edge. A second one
         * (the entry saw the flag before the sender marked it signalled)
         * costs the guest an empty upcall, nothing more. */
        got = pulses() - before;
        lost += (got == 0U) ? 1U : 0U;
        doubled += (got > 1U) ? 1U : 0U;
        assert_true(got <= 2U);
    }
    assert_int_equal(pthread_join(t, NULL), 0);
    (void)pthread_barrier_destroy(&start_round);
    (void)pthread_barrier_destroy(&end_round);
    assert_int_equal(lost, 0U);
    assert_int_equal(fake_events_marked(&vcpu), ROUNDS);
    assert_int_equal(info.evtchn_upcall_pending, 1U);
    print_message("%u of %u rounds gave a second edge\n", doubled, ROUNDS);
    only_upcall_pulses();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_one_edge_per_flag_set, setup),
        cmocka_unit_test_setup(test_event_during_resample_is_not_lost, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
