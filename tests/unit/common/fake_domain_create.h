/* A stand-in for building and killing a domain (domain_create of
 * <proxenos/domain_create.h>, domain_kill of <proxenos/domain.h>; the real
 * ones in common/domain/domain.c, tested with everything under them in
 * tests/unit/common/domain/), for host tests of the toolstack's commands
 * that ask for one: what the caller asked matters there, not the build.
 *
 * domain_create keeps a copy of its arguments (and of the 16-byte handle
 * they point to), counts the call, and answers what the test set
 * (fake_domain_create_fail); on success it makes one domain of its own,
 * with the id asked for and one vCPU, offline, listed in the shared
 * domain table (fake_domains.c, which a test linking this one links too)
 * and handed back. There is one such domain: a test that creates a second
 * forgets the first (fake_domain_create_forget) in between. The vCPU's
 * arch part is the test's (fake_domain_create_set_vcpu_arch), as
 * arch_vcpu_create would give it; none when the test gives none.
 * domain_kill counts the call and marks the domain dying; it stays listed
 * (in memory, as the real one while references remain) until the test
 * unlists it (frees it).
 *
 * Weak: a test that links domain.c gets the real ones. Link it by naming
 * ../tests/unit/common/fake_domain_create.c in a test's -src, and call
 * fake_domain_create_reset() in each test's setup. */
#ifndef FAKE_DOMAIN_CREATE_H
#define FAKE_DOMAIN_CREATE_H

#include <stdint.h>

#include <proxenos/domain_create.h>

struct arch_vcpu;
struct domain;

/* Forget the calls, the arguments, the answer and the vCPU's arch part. */
void fake_domain_create_reset(void);
/* What domain_create answers from now on: rc (0: it builds the domain). */
void fake_domain_create_fail(int rc);
/* The arch part the made domain's vCPU points at (NULL: none). */
void fake_domain_create_set_vcpu_arch(struct arch_vcpu *arch);
/* domain_create calls that built a domain since the reset (or the last
 * forget). */
unsigned int fake_domain_creates(void);
/* The last call's arguments: its name and handle pointers are NULL, the
 * handle's bytes are fake_domain_create_handle()'s (zeros when none). */
const struct domain_create_args *fake_domain_create_args(void);
const uint8_t *fake_domain_create_handle(void);
/* The domain domain_create made (NULL: none since the reset or forget). */
struct domain *fake_domain_created(void);
/* The made domain is freed: unlisted, its id free again, and the count of
 * creates back to 0. */
void fake_domain_create_forget(void);
/* domain_kill calls since the reset. */
unsigned int fake_domain_kills(void);

#endif
