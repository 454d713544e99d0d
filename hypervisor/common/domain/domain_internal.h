/* Between domain.c (building and freeing a domain) and domain_ref.c (the
 * domain list and reference counts), and the reaper (domain_shutdown.c).
 * Calls go one way: domain.c uses domain_ref.c, never the reverse. */
#ifndef PROXENOS_COMMON_DOMAIN_INTERNAL_H
#define PROXENOS_COMMON_DOMAIN_INTERNAL_H

#include <proxenos/domain.h>

/* Put d on the list with one reference (the list's). -EEXIST when its id
 * is taken. free_fn frees what domain_put() queued, on CPU 0's timer (the
 * first domain's free_fn is the one kept). */
int domain_list_add(struct domain *d, void (*free_fn)(void *data));

/* Mark d dying and move it from the list to the list of dying domains:
 * lookups fail from now on, except the toolstack's (domain_get_by_id_dying).
 * The list's reference stays with the caller, to drop with
 * domain_ref_drop(). False (nothing done) when d was not on the list:
 * someone else destroyed it first. */
bool domain_unlist(struct domain *d);

/* Take d off the list of dying domains, if it is there: it is being freed
 * (domain_free). */
void domain_forget(struct domain *d);

/* Drop a reference; true when it was the last (the caller frees d). */
bool domain_ref_drop(struct domain *d);

/* The next domain whose last reference went with domain_put(), taken off
 * the free queue (NULL: none). */
struct domain *domain_free_queue_pop(void);

/* Free the domains whose last reference went with domain_put() (domain.c).
 * Only where freeing is allowed: CPU 0's timer softirq, the reaper. */
void domain_free_queued(void);

/* Forget the power-off, crash and reboot counts that the reaper's last
 * line ("All domains have stopped: ...") gives: the state at power-on.
 * The hypervisor boots once and never calls it; host tests that build and
 * stop domains call it in each test's set-up, as they call
 * alloc_count_reset() and xmalloc_reset(), so that the line counts their
 * own test's stops only. */
void domain_shutdown_reset_counts(void);

/* Tell the control domain that a domain stopped or went away (Xen's
 * VIRQ_DOM_EXC: xenstored then fires @releaseDomain, and xl and
 * xenconsoled look at the domains again). Not with a scheduler or vGIC
 * lock held. In domain_notify.c, below domain.c and the reaper. */
void domain_notify_exception(void);

/* Release everything d holds and its memory (domain.c). */
void domain_free(struct domain *d);

#endif
