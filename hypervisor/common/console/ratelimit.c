/* The token bucket of ratelimit.h. */
#include <proxenos/ratelimit.h>

#define NS_PER_SEC 1000000000ULL

void ratelimit_init(struct ratelimit *rl, unsigned int rate, unsigned int burst, s_time_t now)
{
    uint64_t events = (burst == 0U) ? 1ULL : (uint64_t)burst;

    /* A rate above one event a nanosecond is no limit either. */
    rl->cost_ns = (rate == 0U) ? 0ULL : (NS_PER_SEC / (uint64_t)rate);
    /* At most 2^32 events of at most 10^9 ns: no overflow. */
    rl->cap_ns = events * rl->cost_ns;
    rl->credit_ns = rl->cap_ns;
    rl->last = now;
}

/* Add the credit earned since the last look, up to the cap. A clock that
 * seems to go back (another CPU's earlier reading) earns nothing. */
static void refill(struct ratelimit *rl, s_time_t now)
{
    if (now > rl->last) {
        uint64_t earned = (uint64_t)(now - rl->last);
        uint64_t room = rl->cap_ns - rl->credit_ns;

        rl->credit_ns = (earned >= room) ? rl->cap_ns : (rl->credit_ns + earned);
        rl->last = now;
    }
}

bool ratelimit_take(struct ratelimit *rl, s_time_t now)
{
    bool ok = true;

    if (rl->cost_ns != 0ULL) {
        refill(rl, now);
        ok = rl->credit_ns >= rl->cost_ns;
        if (ok) {
            rl->credit_ns -= rl->cost_ns;
        }
    }
    return ok;
}

bool ratelimit_recovered(struct ratelimit *rl, s_time_t now)
{
    bool ok = true;

    if (rl->cost_ns != 0ULL) {
        refill(rl, now);
        ok = (rl->credit_ns >= (rl->cap_ns / 2U)) && (rl->credit_ns >= rl->cost_ns);
    }
    return ok;
}
