/* A token bucket kept in virtual time: at most `burst` events at once and
 * `rate` a second on average (a guest's console lines). The bucket holds
 * time credit rather than a count of tokens, so that adding what the
 * clock earned since the last look takes no division. */
#ifndef PROXENOS_RATELIMIT_H
#define PROXENOS_RATELIMIT_H

#include <proxenos/types.h>
#include <proxenos/arch/time.h>

struct ratelimit {
    uint64_t cost_ns;       /* credit one event takes (1 s / rate); 0: no limit */
    uint64_t cap_ns;        /* most credit held: burst events' worth */
    uint64_t credit_ns;
    s_time_t last;          /* when credit was last added */
};

/* A full bucket at time now; rate 0 means no limit, burst 0 counts as 1. */
void ratelimit_init(struct ratelimit *rl, unsigned int rate, unsigned int burst, s_time_t now);
/* One event at time now: true (and its credit taken) if the bucket allows it. */
bool ratelimit_take(struct ratelimit *rl, s_time_t now);
/* Whether the bucket is at least half full again at time now: the point at
 * which suppressed output resumes, so that a steady flood alternates long
 * silences with bursts instead of one line per refilled token. */
bool ratelimit_recovered(struct ratelimit *rl, s_time_t now);

#endif
