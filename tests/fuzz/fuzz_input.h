/* Reading a libFuzzer input as a stream of fields, for the structure-aware
 * targets: each harness turns bytes into valid-looking structures with
 * hostile fields. A read past the end yields zeros, so every input is a
 * whole program and shorter inputs are simply quieter ones. */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct fuzz_in {
    const uint8_t *p;
    size_t left;
};

static inline void fin_init(struct fuzz_in *in, const uint8_t *data, size_t size)
{
    in->p = data;
    in->left = size;
}

static inline bool fin_done(const struct fuzz_in *in)
{
    return in->left == 0U;
}

static inline void fin_bytes(struct fuzz_in *in, void *out, size_t n)
{
    size_t take = (n < in->left) ? n : in->left;

    memcpy(out, in->p, take);
    memset((uint8_t *)out + take, 0, n - take);
    in->p += take;
    in->left -= take;
}

static inline uint8_t fin_u8(struct fuzz_in *in)
{
    uint8_t v;

    fin_bytes(in, &v, sizeof(v));
    return v;
}

static inline uint16_t fin_u16(struct fuzz_in *in)
{
    uint16_t v;

    fin_bytes(in, &v, sizeof(v));
    return v;
}

static inline uint32_t fin_u32(struct fuzz_in *in)
{
    uint32_t v;

    fin_bytes(in, &v, sizeof(v));
    return v;
}

static inline uint64_t fin_u64(struct fuzz_in *in)
{
    uint64_t v;

    fin_bytes(in, &v, sizeof(v));
    return v;
}

static inline bool fin_bool(struct fuzz_in *in)
{
    return (fin_u8(in) & 1U) != 0U;
}

/* A value below n (n > 0). */
static inline uint32_t fin_below(struct fuzz_in *in, uint32_t n)
{
    return fin_u8(in) % n;
}

/* One of a few sensible values most of the time (where the deep paths
 * are), the raw field otherwise (where the bugs are). */
static inline uint64_t fin_pick(struct fuzz_in *in, const uint64_t *usual, size_t n)
{
    uint8_t sel = fin_u8(in);

    if ((sel & 0xc0U) != 0U) {
        return usual[sel % n];
    }
    return fin_u64(in);
}

/* A NUL-terminated name of 1 to cap - 1 printable characters, none a '/'
 * (what a device-tree node or property name may be) into buf[cap]. */
static inline void fin_name(struct fuzz_in *in, char *buf, size_t cap)
{
    size_t len = 1U + (fin_u8(in) % (cap - 1U));

    for (size_t i = 0U; i < len; i++) {
        uint8_t c = fin_u8(in);

        buf[i] = (char)(((c >= 0x21U) && (c < 0x7fU) && (c != '/')) ? c : ('a' + (c % 26U)));
    }
    buf[len] = '\0';
}

/* An invariant that must hold for any input: a violation is a finding. */
#define FUZZ_ASSERT(cond) do { \
    if (!(cond)) { \
        fprintf(stderr, "invariant failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
        __builtin_trap(); \
    } \
} while (0)

#endif
