/* A stand-in for the IOREQ servers as the memory and domain code reach
 * them (common/ioreq/: ioreq_resource_size, ioreq_resource_frame,
 * ioreq_domain_destroy), for host tests of that code without the servers
 * behind: no domain has a server, so the resource has Xen's size and no
 * frame, and there is nothing to destroy.
 *
 * Weak: a test that links common/ioreq/ gets the real ones. Link it by
 * naming ../tests/unit/common/fake_ioreq.c in a test's -src. */
#ifndef FAKE_IOREQ_H
#define FAKE_IOREQ_H

#include <proxenos/ioreq.h>

/* ioreq_domain_destroy calls so far. */
unsigned int fake_ioreq_destroys(void);

#endif
