/* Shared stand-in for the domain table: see fake_domains.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/domain.h>
#include "fake_domains.h"

struct fake_dom {
    struct domain *d;
    bool listed;
    unsigned int refs;
};

static struct fake_dom table[FAKE_DOMAINS];
static void (*release)(struct domain *d);

void fake_domains_reset(void)
{
    memset(table, 0, sizeof(table));
    release = NULL;
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

__attribute__((weak)) struct domain *domain_get_by_id(domid_t id)
{
    for (unsigned int i = 0U; i < FAKE_DOMAINS; i++) {
        if (table[i].listed && (table[i].d->domain_id == id)) {
            table[i].refs++;
            return table[i].d;
        }
    }
    return NULL;
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
 * with prev NULL), as the real walk in id order. */
__attribute__((weak)) struct domain *domain_get_next(struct domain *prev)
{
    struct fake_dom *next = NULL;

    for (unsigned int i = 0U; i < FAKE_DOMAINS; i++) {
        if (table[i].listed &&
            ((prev == NULL) || (table[i].d->domain_id > prev->domain_id)) &&
            ((next == NULL) || (table[i].d->domain_id < next->d->domain_id))) {
            next = &table[i];
        }
    }
    if (next != NULL) {
        next->refs++;
    }
    if (prev != NULL) {
        domain_put(prev);
    }
    return (next != NULL) ? next->d : NULL;
}
