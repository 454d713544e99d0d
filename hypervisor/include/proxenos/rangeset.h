/* A set of 64-bit integers kept as sorted, disjoint inclusive ranges, as
 * Xen keeps a domain's I/O capabilities (which machine frames it may map,
 * which interrupts it may be given). A zeroed struct is an empty set;
 * rangeset_destroy() gives its memory back. Each set has its own lock:
 * callers need none. */
#ifndef PROXENOS_RANGESET_H
#define PROXENOS_RANGESET_H

#include <proxenos/types.h>
#include <proxenos/spinlock.h>

struct rangeset_range {
    uint64_t s;
    uint64_t e;     /* inclusive */
};

struct rangeset {
    spinlock_t lock;
    struct rangeset_range *r;   /* nr ranges in order, none touching another */
    unsigned int nr;
    unsigned int cap;
};

/* Add [s, e] (s <= e). 0, or -ENOMEM (the set is unchanged). */
int rangeset_add(struct rangeset *rs, uint64_t s, uint64_t e);
/* Take [s, e] out (s <= e), splitting a range if need be. 0 or -ENOMEM. */
int rangeset_remove(struct rangeset *rs, uint64_t s, uint64_t e);
/* Whether every number of [s, e] is in the set. */
bool rangeset_contains(struct rangeset *rs, uint64_t s, uint64_t e);
/* Whether any number of [s, e] is in the set. */
bool rangeset_overlaps(struct rangeset *rs, uint64_t s, uint64_t e);
/* How many ranges the set holds (for tests and dumps). */
unsigned int rangeset_nr_ranges(struct rangeset *rs);
/* Empty the set and free its memory. */
void rangeset_destroy(struct rangeset *rs);

#endif
