/* A stand-in for the marking of a vCPU's upcall as pending
 * (vcpu_mark_events_pending of <proxenos/domain_pv.h>, the real one in
 * common/domain/shared_info.c), for host tests of the event channels that
 * count every marking, also of a vCPU already marked, which the real one
 * does not tell apart: each call is counted per vCPU, then does what the
 * real one does (sets evtchn_upcall_pending in the vCPU's vcpu_info and,
 * when it was clear, calls arch_evtchn_inject, which the fake arch
 * counts).
 *
 * Weak: a test that links shared_info.c gets the real one. Link it by
 * naming ../tests/unit/common/fake_events_pending.c in a test's -src, and
 * call fake_events_pending_reset() in each test's setup. */
#ifndef FAKE_EVENTS_PENDING_H
#define FAKE_EVENTS_PENDING_H

struct vcpu;

/* How many vCPUs the counts tell apart (a test marking more fails). */
#define FAKE_EVENTS_PENDING_VCPUS 16U

/* Forget every count. */
void fake_events_pending_reset(void);
/* vcpu_mark_events_pending calls for v since the reset. */
unsigned int fake_events_marked(const struct vcpu *v);

#endif
