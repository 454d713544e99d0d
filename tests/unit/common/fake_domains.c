/* Shared stand-in for the domain table: see fake_domains.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/domain.h>
#include <proxenos/printk.h>
#include "fake_domains.h"

struct fake_dom {
    struct domain *d;
    bool listed;
    unsigned int refs;
};

static struct fake_dom table[FAKE_DOMAINS];
static void (*release)(struct domain *d);
static unsigned int count_in_memory;     /* 0: count the listed ones */

void fake_domains_reset(void)
{
    memset(table, 0, sizeof(table));
    release = NULL;
    count_in_memory = 0U;
}

void fake_domains_set_count_in_memory(unsigned int n)
{
    count_in_memory = n;
}

void fake_domains_set_release(void (*fn)(struct domain *d))
{
    release = fn;
}

static struct fake_dom *entry(const struct domain *d)
{
    for (unsigned int i = 0U; i < FAKE_DOMAINS; i++) {
        if ((table[i].d == d) && (d != NULL)) {
            return &table[i];
        }
    }
    return NULL;
}

void fake_domain_list(struct domain *d)
{
    struct fake_dom *e = entry(d);

    for (unsigned int i = 0U; (e == NULL) && (i < FAKE_DOMAINS); i++) {
        if ((table[i].d == NULL) || (!table[i].listed && (table[i].refs == 0U))) {
            e = &table[i];
        }
    }
    assert_non_null(e);
    *e = (struct fake_dom){ d, true, 0U };
}

/* What the real table does at the last reference of a dead domain. */
static void maybe_release(struct fake_dom *e)
{
    if (!e->listed && (e->refs == 0U) && (e->d != NULL)) {
        struct domain *d = e->d;

        e->d = NULL;
        if (release != NULL) {
            release(d);
        }
    }
}

void fake_domain_unlist(struct domain *d)
{
    struct fake_dom *e = entry(d);

    if ((e != NULL) && e->listed) {
        e->listed = false;
        maybe_release(e);
    }
}

unsigned int fake_domain_refs(const struct domain *d)
{
    const struct fake_dom *e = entry(d);

    return (e != NULL) ? e->refs : 0U;
}

unsigned int fake_domain_refs_total(void)
{
    unsigned int n = 0U;

    for (unsigned int i = 0U; i < FAKE_DOMAINS; i++) {
        n += (table[i].d != NULL) ? table[i].refs : 0U;
    }
    return n;
}

/* A listed domain is in memory; dying ones (d->dying) are found only by
 * the toolstack's lookups, as in the real table. */
static struct fake_dom *find(domid_t id, bool dying_too)
{
    struct fake_dom *dying = NULL;

    for (unsigned int i = 0U; i < FAKE_DOMAINS; i++) {
        if (table[i].listed && (table[i].d->domain_id == id)) {
            if (!table[i].d->dying) {
                return &table[i];
            }
            dying = &table[i];
        }
    }
    return dying_too ? dying : NULL;
}

static struct domain *get(struct fake_dom *e)
{
    if (e == NULL) {
        return NULL;
    }
    e->refs++;
    return e->d;
}

__attribute__((weak)) struct domain *domain_get_by_id(domid_t id)
{
    return get(find(id, false));
}

__attribute__((weak)) struct domain *domain_get_by_id_dying(domid_t id)
{
    return get(find(id, true));
}

__attribute__((weak)) void domain_put(struct domain *d)
{
    struct fake_dom *e = entry(d);

    assert_non_null(e);
    assert_true(e->refs > 0U);
    e->refs--;
    maybe_release(e);
}

/* The listed domain with the lowest id above prev's (the lowest of all
 * with prev NULL; a live one when a dying one has the same id), then prev
 * dropped, as the real walk in id order. */
static struct domain *next_of(struct domain *prev, bool dying_too)
{
    struct fake_dom *next = NULL;

    for (unsigned int i = 0U; i < FAKE_DOMAINS; i++) {
        const struct domain *d = table[i].d;

        if (!table[i].listed || (d->dying && !dying_too) ||
            ((prev != NULL) && (d->domain_id <= prev->domain_id))) {
            continue;
        }
        if ((next == NULL) || (d->domain_id < next->d->domain_id) ||
            ((d->domain_id == next->d->domain_id) && !d->dying)) {
            next = &table[i];
        }
    }
    (void)get(next);
    if (prev != NULL) {
        domain_put(prev);
    }
    return (next != NULL) ? next->d : NULL;
}

__attribute__((weak)) struct domain *domain_get_next(struct domain *prev)
{
    return next_of(prev, false);
}

__attribute__((weak)) struct domain *domain_get_next_dying(struct domain *prev)
{
    return next_of(prev, true);
}

__attribute__((weak)) unsigned int domain_count(void)
{
    unsigned int n = 0U;

    for (unsigned int i = 0U; i < FAKE_DOMAINS; i++) {
        n += (table[i].listed && !table[i].d->dying) ? 1U : 0U;
    }
    return n;
}

__attribute__((weak)) bool domain_id_in_use(domid_t id)
{
    return find(id, true) != NULL;
}

__attribute__((weak)) unsigned int domain_count_in_memory(void)
{
    unsigned int n = 0U;

    if (count_in_memory != 0U) {
        return count_in_memory;
    }
    for (unsigned int i = 0U; i < FAKE_DOMAINS; i++) {
        n += table[i].listed ? 1U : 0U;
    }
    return n;
}

/* The 'm' key's list of dying domains, in the real one's words, over the
 * listed domains that are dying. */
__attribute__((weak)) void domain_dump_dying(void)
{
    unsigned int n = 0U;

    for (unsigned int i = 0U; i < FAKE_DOMAINS; i++) {
        const struct domain *d = table[i].d;

        if (table[i].listed && d->dying) {
            pr_info("Dying domain %u (%s): %u references, %llu pages\n", d->domain_id, d->name,
                    table[i].refs, (unsigned long long)d->tot_pages);
            n++;
        }
    }
    pr_info("Domains in memory: %u live, %u dying\n", domain_count(), n);
}
