/* Small helpers every file may use. No architecture knowledge here. */
#ifndef PROXENOS_LIB_H
#define PROXENOS_LIB_H

#include <proxenos/types.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define ALIGN_UP(x, a) ((((x) + ((a) - 1U)) / (a)) * (a))
#define ALIGN_DOWN(x, a) (((x) / (a)) * (a))
#define IS_ALIGNED(x, a) (((x) % (a)) == 0U)

#define MIN(a, b) (((a) < (b)) ? (a) : (b))
#define MAX(a, b) (((a) > (b)) ? (a) : (b))

#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

#define container_of(ptr, type, member) \
    ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define __used __attribute__((used))
#define __noreturn __attribute__((noreturn))
#define __noinline __attribute__((noinline))
/* For a helper of a hot path with more than one caller, where a call would
 * also force its arguments out to memory. */
#define __force_inline inline __attribute__((always_inline))
#define __aligned(n) __attribute__((aligned(n)))
#define __section(s) __attribute__((section(s)))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __maybe_unused __attribute__((unused))

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

/* Power-of-two helpers: callers guarantee x != 0. */
static inline unsigned int ilog2_u64(uint64_t x)
{
    return 63U - (unsigned int)__builtin_clzll(x);
}

static inline bool is_power_of_2(uint64_t x)
{
    return (x != 0U) && ((x & (x - 1U)) == 0U);
}

#endif
