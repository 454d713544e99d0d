/* A stand-in for the domain table (common/domain/domain_ref.c: the lookups by id
 * and in order, live or dying too, domain_put, the counts) for host tests
 * that build their domains by hand instead of through domain_create. A
 * test lists each domain it made: a listed domain is in memory, found by
 * the lookups while it is not d->dying and by the toolstack's (_dying)
 * ones either way, a live one first when ids meet. Lookups count a
 * reference per domain, which domain_put gives back (a put without a
 * reference fails the test), so a teardown can check that the code under
 * test gave every one back. An unlisted domain (freed) is found no more;
 * its release function, if the test set one, runs when its last reference
 * goes, at once if it has none (as domain_free runs after the real
 * table's last reference).
 * domain_dump_dying (the 'm' key) prints the listed dying domains as the
 * real one does.
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
/* What domain_count_in_memory answers (0: the number listed). */
void fake_domains_set_count_in_memory(unsigned int n);
/* References d holds, and the total over every domain. */
unsigned int fake_domain_refs(const struct domain *d);
unsigned int fake_domain_refs_total(void);

#endif
