/* Sets of integer ranges (see rangeset.h). The ranges live in one array,
 * sorted and merged, so a lookup is a scan of few entries and every change
 * needs at most one more slot; that slot is found before the change, with
 * the array grown outside the lock, so a change either happens whole or
 * not at all. */
#include <proxenos/errno.h>
#include <proxenos/rangeset.h>
#include <proxenos/string.h>
#include <proxenos/xmalloc.h>

#define FIRST_CAP 8U

/* Make room for one more range. Called and returns with the lock held;
 * drops it to allocate. 0 or -ENOMEM. */
static int reserve_locked(struct rangeset *rs, unsigned long *flags)
{
    while (rs->nr >= rs->cap) {
        unsigned int old_cap = rs->cap;
        unsigned int new_cap = (old_cap == 0U) ? FIRST_CAP : (old_cap * 2U);
        struct rangeset_range *fresh;
        struct rangeset_range *unused;

        if (new_cap <= old_cap) {
            return -ENOMEM;     /* the count would wrap */
        }
        spin_unlock_irqrestore(&rs->lock, *flags);
        fresh = xmalloc_array(struct rangeset_range, new_cap);
        *flags = spin_lock_irqsave(&rs->lock);
        if (fresh == NULL) {
            return -ENOMEM;
        }
        unused = fresh;
        if (rs->cap == old_cap) {
            /* Nobody grew it meanwhile: take the new array. */
            if (rs->nr != 0U) {
                (void)memcpy(fresh, rs->r, rs->nr * sizeof(*fresh));
            }
            unused = rs->r;
            rs->r = fresh;
            rs->cap = new_cap;
        }
        spin_unlock_irqrestore(&rs->lock, *flags);
        xfree(unused);
        *flags = spin_lock_irqsave(&rs->lock);
    }
    return 0;
}

/* Whether a and b overlap or touch (so that they become one range). */
static bool touches(const struct rangeset_range *a, uint64_t s, uint64_t e)
{
    bool before = (a->e < s) && ((a->e + 1U) != s);
    bool after = (e < a->s) && ((e + 1U) != a->s);

    return !before && !after;
}

int rangeset_add(struct rangeset *rs, uint64_t s, uint64_t e)
{
    unsigned long flags = spin_lock_irqsave(&rs->lock);
    unsigned int first;
    unsigned int last;
    int rc = reserve_locked(rs, &flags);

    if (rc == 0) {
        /* Ranges before [s, e] that do not touch it stay as they are. */
        for (first = 0U; (first < rs->nr) && !touches(&rs->r[first], s, e) &&
                         (rs->r[first].e < s); first++) {
        }
        /* Those that touch it merge with it into one. */
        for (last = first; (last < rs->nr) && touches(&rs->r[last], s, e); last++) {
            s = MIN(s, rs->r[last].s);
            e = MAX(e, rs->r[last].e);
        }
        if (last == first) {
            (void)memmove(&rs->r[first + 1U], &rs->r[first],
                          (rs->nr - first) * sizeof(rs->r[0]));
            rs->nr++;
        } else {
            (void)memmove(&rs->r[first + 1U], &rs->r[last], (rs->nr - last) * sizeof(rs->r[0]));
            rs->nr -= (last - first) - 1U;
        }
        rs->r[first].s = s;
        rs->r[first].e = e;
    }
    spin_unlock_irqrestore(&rs->lock, flags);
    return rc;
}

int rangeset_remove(struct rangeset *rs, uint64_t s, uint64_t e)
{
    unsigned long flags = spin_lock_irqsave(&rs->lock);
    int rc = reserve_locked(rs, &flags);
    unsigned int i = 0U;

    while ((rc == 0) && (i < rs->nr)) {
        struct rangeset_range *r = &rs->r[i];

        if ((r->e < s) || (r->s > e)) {
            i++;                            /* apart */
        } else if ((r->s < s) && (r->e > e)) {
            /* [s, e] inside: split in two (the slot is reserved). */
            (void)memmove(&rs->r[i + 1U], r, (rs->nr - i) * sizeof(rs->r[0]));
            rs->nr++;
            rs->r[i].e = s - 1U;
            rs->r[i + 1U].s = e + 1U;
            break;
        } else if (r->s < s) {
            r->e = s - 1U;                  /* its tail goes */
            i++;
        } else if (r->e > e) {
            r->s = e + 1U;                  /* its head goes */
            i++;
        } else {
            (void)memmove(r, &rs->r[i + 1U], (rs->nr - i - 1U) * sizeof(rs->r[0]));
            rs->nr--;                       /* all of it goes */
        }
    }
    spin_unlock_irqrestore(&rs->lock, flags);
    return rc;
}

bool rangeset_contains(struct rangeset *rs, uint64_t s, uint64_t e)
{
    unsigned long flags = spin_lock_irqsave(&rs->lock);
    bool found = false;

    for (unsigned int i = 0U; (i < rs->nr) && !found; i++) {
        found = (rs->r[i].s <= s) && (e <= rs->r[i].e);
    }
    spin_unlock_irqrestore(&rs->lock, flags);
    return found;
}

bool rangeset_overlaps(struct rangeset *rs, uint64_t s, uint64_t e)
{
    unsigned long flags = spin_lock_irqsave(&rs->lock);
    bool found = false;

    for (unsigned int i = 0U; (i < rs->nr) && !found; i++) {
        found = (rs->r[i].s <= e) && (s <= rs->r[i].e);
    }
    spin_unlock_irqrestore(&rs->lock, flags);
    return found;
}

unsigned int rangeset_nr_ranges(struct rangeset *rs)
{
    unsigned long flags = spin_lock_irqsave(&rs->lock);
    unsigned int n = rs->nr;

    spin_unlock_irqrestore(&rs->lock, flags);
    return n;
}

void rangeset_destroy(struct rangeset *rs)
{
    unsigned long flags = spin_lock_irqsave(&rs->lock);
    struct rangeset_range *r = rs->r;

    rs->r = NULL;
    rs->nr = 0U;
    rs->cap = 0U;
    spin_unlock_irqrestore(&rs->lock, flags);
    xfree(r);
}
