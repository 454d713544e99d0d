/* The event-channel upcall PPI follows the vCPU's evtchn_upcall_pending
 * flag (arch/arm64/evtchn_upcall.c): raised when an event sets the flag,
 * lowered on the way into the guest once the guest cleared it, and left
 * alone while they agree. Two CPUs update it for one vCPU (the sender's
 * and the vCPU's own): whatever their order, once both are done the line
 * the vGIC sees is the flag, so no event is ever left unannounced. */
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

/* The vGIC is the shared fake_vgic_irq.c: it keeps the line's level and
 * counts how often it was driven. Lowering the line takes it a while (as
 * a vGIC takes its lock and list registers): what another CPU does
 * meanwhile is what the line must survive. */
#define LOWER_DELAY 2000U

static unsigned int line_level(void)
{
    return fake_vgic_line(&dom, EVTCHN_PPI) ? 1U : 0U;
}

static unsigned int line_changes(void)
{
    return fake_vgic_line_injects(&dom, EVTCHN_PPI);
}

/* Only the vCPU's own upcall PPI was ever driven. */
static void only_the_upcall_line(void)
{
    assert_int_equal(fake_vgic_injects(&dom), line_changes());
    if (line_changes() != 0U) {
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
    spin_lock_init(&arch_vcpu.evtchn_line_lock);
    fake_events_pending_reset();
    fake_vgic_irq_reset();
    fake_vgic_set_lower_delay(LOWER_DELAY);
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

static void test_line_follows_the_flag(void **state)
{
    (void)state;
    /* Nothing pending: entering the guest drives nothing. */
    evtchn_upcall_resample(&vcpu);
    assert_int_equal(line_changes(), 0U);
    /* An event raises the line once; a second one finds the flag set. */
    send_event();
    assert_int_equal(line_level(), 1U);
    send_event();
    assert_int_equal(fake_events_marked(&vcpu), 2U);
    assert_int_equal(line_changes(), 1U);
    evtchn_upcall_resample(&vcpu);
    assert_int_equal(line_changes(), 1U);
    /* The guest took the upcall and cleared the flag: the next entry
     * lowers the line, once. */
    info.evtchn_upcall_pending = 0U;
    evtchn_upcall_resample(&vcpu);
    assert_int_equal(line_level(), 0U);
    evtchn_upcall_resample(&vcpu);
    assert_int_equal(line_changes(), 2U);
    /* The guest set the flag itself (as Linux does to replay an upcall):
     * the next entry raises the line. */
    info.evtchn_upcall_pending = 1U;
    evtchn_upcall_resample(&vcpu);
    assert_int_equal(line_level(), 1U);
    only_the_upcall_line();
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

    (void)state;
    assert_int_equal(pthread_barrier_init(&start_round, NULL, 2U), 0);
    assert_int_equal(pthread_barrier_init(&end_round, NULL, 2U), 0);
    assert_int_equal(pthread_create(&t, NULL, sender, NULL), 0);
    for (unsigned int i = 0U; i < ROUNDS; i++) {
        /* The guest handled the last upcall and cleared the flag; the
         * line is still high from the last round. */
        __atomic_store_n(&info.evtchn_upcall_pending, (uint8_t)0U, __ATOMIC_RELEASE);
        (void)pthread_barrier_wait(&start_round);
        /* Its CPU enters the guest as the event is sent. */
        evtchn_upcall_resample(&vcpu);
        (void)pthread_barrier_wait(&end_round);
        /* The flag is set (the sender's event): the line must be high. */
        if (line_level() == 0U) {
            lost++;
            /* The next entry must repair it whatever came before. */
            evtchn_upcall_resample(&vcpu);
        }
    }
    assert_int_equal(pthread_join(t, NULL), 0);
    (void)pthread_barrier_destroy(&start_round);
    (void)pthread_barrier_destroy(&end_round);
    assert_int_equal(lost, 0U);
    assert_int_equal(fake_events_marked(&vcpu), ROUNDS);
    assert_int_equal(info.evtchn_upcall_pending, 1U);
    assert_int_equal(line_level(), 1U);
    only_the_upcall_line();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_line_follows_the_flag, setup),
        cmocka_unit_test_setup(test_event_during_resample_is_not_lost, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
