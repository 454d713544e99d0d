/* A stand-in for the event channels (common/event/) as the rest of the
 * hypervisor calls them, for host tests of the callers (the console, the
 * scheduler's poll, domain creation) without the port store and the FIFO
 * and 2-level ABIs behind:
 *
 *   send_guest_global_virq   counted per domain id and VIRQ (a domain id
 *                            of FAKE_EVTCHN_DOMS or more, a NULL domain or
 *                            a VIRQ of NR_VIRQS or more fails the test);
 *   send_guest_vcpu_virq     counted the same way, by the vCPU's domain;
 *   evtchn_port_is_valid     ports below the count the test set exist in
 *                            every domain (none after the reset);
 *   evtchn_port_is_pending   a valid port the test marked pending;
 *   evtchn_set_max_port      remembers the last call's domain and value.
 *
 * All weak: a test that links the real file gets it. Link this file by
 * naming ../tests/unit/common/fake_evtchn.c in a test's -src, and call
 * fake_evtchn_reset() in each test's setup. */
#ifndef FAKE_EVTCHN_H
#define FAKE_EVTCHN_H

#include <stdbool.h>
#include <stdint.h>
#include <proxenos/evtchn.h>

#define FAKE_EVTCHN_DOMS  8U    /* domain ids whose VIRQs are counted */
#define FAKE_EVTCHN_PORTS 64U   /* at most this many valid ports */

void fake_evtchn_reset(void);

/* VIRQ virq sent to domain id (either kind of sender) since the reset. */
unsigned int fake_virqs_sent(domid_t id, unsigned int virq);

/* Ports 0..n-1 exist from now on (n <= FAKE_EVTCHN_PORTS). */
void fake_evtchn_set_ports(unsigned int n);
/* Mark a valid port pending, or not. */
void fake_evtchn_set_pending(evtchn_port_t port, bool pending);

/* evtchn_set_max_port calls since the reset; the last one's domain and
 * value (pointers may be NULL; NULL and 0 when none). */
unsigned int fake_max_port_sets(struct domain **d, uint32_t *max_port);

#endif
