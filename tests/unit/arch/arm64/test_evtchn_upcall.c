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
#include <asm/domain.h>
#include <asm/evtchn_upcall.h>
#include <asm/vgic.h>
#include <public/xen.h>

#define EVTCHN_PPI 31U

static struct domain dom;
static struct vcpu vcpu;
static struct arch_vcpu arch_vcpu;    /* arch_vcpu_create's, given here */
static struct vcpu_info info;

/* The stand-in vGIC: the line's level, and how often it was driven. */
static unsigned int line_level;
static unsigned int line_changes;
static unsigned int wrong_irq;

int vgic_inject_irq(struct domain *d, struct vcpu *v, unsigned int virq, bool level)
{
    if ((d != &dom) || (v != &vcpu) || (virq != EVTCHN_PPI)) {
        __atomic_add_fetch(&wrong_irq, 1U, __ATOMIC_RELAXED);
        return -1;
    }
    if (!level) {
        /* A vGIC takes its time (a lock, the list registers): what another
         * CPU does meanwhile is what the line must survive. */
        for (volatile unsigned int i = 0U; i < 2000U; i++) {
        }
    }
    __atomic_store_n(&line_level, level ? 1U : 0U, __ATOMIC_RELEASE);
    __atomic_add_fetch(&line_changes, 1U, __ATOMIC_RELAXED);
    return 0;
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
    line_level = 0U;
    line_changes = 0U;
    wrong_irq = 0U;
    return 0;
}

/* What the common code does when an event is raised for the vCPU. */
static void send_event(void)
{
    if (__atomic_exchange_n(&info.evtchn_upcall_pending, (uint8_t)1U, __ATOMIC_ACQ_REL) == 0U) {
        arch_evtchn_inject(&vcpu);
    }
}

static void test_line_follows_the_flag(void **state)
{
    (void)state;
    /* Nothing pending: entering the guest drives nothing. */
    evtchn_upcall_resample(&vcpu);
    assert_int_equal(line_changes, 0U);
    /* An event raises the line once; a second one finds the flag set. */
    send_event();
    assert_int_equal(line_level, 1U);
    send_event();
    assert_int_equal(line_changes, 1U);
    evtchn_upcall_resample(&vcpu);
    assert_int_equal(line_changes, 1U);
    /* The guest took the upcall and cleared the flag: the next entry
     * lowers the line, once. */
    info.evtchn_upcall_pending = 0U;
    evtchn_upcall_resample(&vcpu);
    assert_int_equal(line_level, 0U);
    evtchn_upcall_resample(&vcpu);
    assert_int_equal(line_changes, 2U);
    /* The guest set the flag itself (as Linux does to replay an upcall):
     * the next entry raises the line. */
    info.evtchn_upcall_pending = 1U;
    evtchn_upcall_resample(&vcpu);
    assert_int_equal(line_level, 1U);
    assert_int_equal(wrong_irq, 0U);
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
        if (__atomic_load_n(&line_level, __ATOMIC_ACQUIRE) == 0U) {
            lost++;
            /* The next entry must repair it whatever came before. */
            evtchn_upcall_resample(&vcpu);
        }
    }
    assert_int_equal(pthread_join(t, NULL), 0);
    (void)pthread_barrier_destroy(&start_round);
    (void)pthread_barrier_destroy(&end_round);
    assert_int_equal(lost, 0U);
    assert_int_equal(info.evtchn_upcall_pending, 1U);
    assert_int_equal(line_level, 1U);
    assert_int_equal(wrong_irq, 0U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_line_follows_the_flag, setup),
        cmocka_unit_test_setup(test_event_during_resample_is_not_lost, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
