/* A stand-in for the domain table (common/domain_ref.c: domain_get_by_id,
 * domain_get_next, domain_put) for host tests that build their domains by
 * hand instead of through domain_create. A test lists each domain it made;
 * lookups find listed domains by id and count a reference per domain, which
 * domain_put gives back (a put without a reference fails the test), so a
 * teardown can check that the code under test gave every one back. An
 * unlisted domain (killed) is found no more; its release function, if the
 * test set one, runs when its last reference goes, at once if it has none
 * (as domain_free runs after the real table's last reference).
 *
 * Weak: a test that links domain_ref.c gets the real table. Link it by
 * naming ../tests/unit/common/fake_domains.c in a test's -src, and call
 * fake_domains_reset() in each test's setup. */
#ifndef FAKE_DOMAINS_H
#define FAKE_DOMAINS_H

struct domain;

#define FAKE_DOMAINS 8U

/* Forget every domain and the release function. */
void fake_domains_reset(void);
/* Make d findable by its domain_id (at most FAKE_DOMAINS at a time). */
void fake_domain_list(struct domain *d);
/* d is found no more (a no-op for a domain not listed). */
void fake_domain_unlist(struct domain *d);
/* Called with a domain unlisted once its last reference is gone. */
void fake_domains_set_release(void (*fn)(struct domain *d));
/* References d holds, and the total over every domain. */
unsigned int fake_domain_refs(const struct domain *d);
unsigned int fake_domain_refs_total(void);

#endif
