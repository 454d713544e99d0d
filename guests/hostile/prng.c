/*
 * The hostile guest's random numbers: splitmix64, one stream per vCPU
 * seeded from the bootargs seed, so that a failing run can be replayed
 * (as far as the vCPUs' interleaving allows).
 */
#include "hostile.h"

uint64_t rnd(struct hctx *c)
{
    uint64_t z;

    c->rng += UINT64_C(0x9e3779b97f4a7c15);
    z = c->rng;
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

uint32_t rnd_below(struct hctx *c, uint32_t n)
{
    return (n == 0U) ? 0U : (uint32_t)(rnd(c) % n);
}

bool rnd_chance(struct hctx *c, uint32_t one_in)
{
    return rnd_below(c, one_in) == 0U;
}

uint64_t rnd_near(struct hctx *c, uint64_t limit)
{
    switch (rnd_below(c, 8U)) {
    case 0U: return 0U;
    case 1U: return limit * 2U;
    case 2U: return UINT64_MAX;
    case 3U: return (limit >= 2U) ? limit - 2U : 0U;
    default: return limit + rnd_below(c, 4U) - 1U;  /* limit-1 .. limit+2 */
    }
}
