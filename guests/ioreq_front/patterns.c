/*
 * Round trips through the backend's register file: each value written is
 * read back by an access of the same size, and the block once more by
 * wider and narrower accesses, which must see the bytes little-endian.
 */
#include "front.h"

#include "access.h"
#include "printf.h"
#include "test.h"

#define BLOCK_BYTES 64U

static uint64_t next_value(uint32_t *seed)
{
    uint64_t hi;

    /* a small LCG: different bytes in every lane, different each round */
    *seed = (*seed * 1103515245U) + 12345U;
    hi = *seed;
    *seed = (*seed * 1103515245U) + 12345U;
    return (hi << 32) | *seed;
}

static void expect(struct worker *w, uint64_t off, uint64_t got, uint64_t want)
{
    w->accesses++;
    if ((got != want) && (w->errors++ == 0U)) {
        w->first_off = off;
        w->first_got = got;
        w->first_want = want;
    }
}

/*
 * Layout of a block: 8-byte registers at 0 and 8, 4-byte at 16 and 20,
 * 2-byte at 24 and 26, bytes at 28 and 29; the rest untouched.
 */
static void one_round(struct worker *w)
{
    uint64_t q0 = next_value(&w->seed);
    uint64_t q1 = next_value(&w->seed);
    uint64_t v = next_value(&w->seed);
    uint64_t b = w->block;

    /* the stores get all 64 bits of their register; only their own bytes may land */
    wr64(reg(b + 0U), q0);
    wr64(reg(b + 8U), q1);
    wr32(reg(b + 16U), v);
    wr32(reg(b + 20U), v >> 16);
    wr16(reg(b + 24U), v >> 8);
    wr16(reg(b + 26U), v >> 24);
    wr8(reg(b + 28U), v >> 40);
    wr8(reg(b + 29U), v);
    expect(w, b + 0U, rd64(reg(b + 0U)), q0);
    expect(w, b + 8U, rd64(reg(b + 8U)), q1);
    expect(w, b + 16U, rd32(reg(b + 16U)), v & 0xffffffffU);
    expect(w, b + 20U, rd32(reg(b + 20U)), (v >> 16) & 0xffffffffU);
    expect(w, b + 24U, rd16(reg(b + 24U)), (v >> 8) & 0xffffU);
    expect(w, b + 26U, rd16(reg(b + 26U)), (v >> 24) & 0xffffU);
    expect(w, b + 28U, rd8(reg(b + 28U)), (v >> 40) & 0xffU);
    expect(w, b + 29U, rd8(reg(b + 29U)), v & 0xffU);
    /* across registers: little-endian composition */
    expect(w, b + 16U, rd64(reg(b + 16U)),
           (v & 0xffffffffU) | (((v >> 16) & 0xffffffffU) << 32));
    expect(w, b + 24U, rd32(reg(b + 24U)), ((v >> 8) & 0xffffU) | (((v >> 24) & 0xffffU) << 16));
    expect(w, b + 4U, rd32(reg(b + 4U)), q0 >> 32);
    expect(w, b + 9U, rd8(reg(b + 9U)), (q1 >> 8) & 0xffU);
}

void worker_run(struct worker *w)
{
    uint32_t r;

    for (r = 0U; r < w->rounds; r++) {
        one_round(w);
    }
    __atomic_store_n(&w->finished, true, __ATOMIC_RELEASE);
}

/*
 * LDRSB Wt: only w is checked. Xen 4.17 sign-extends into the whole x
 * register whatever ESR.SF says (sign_extend() in
 * xen/arch/arm/include/asm/traps.h); the architecture zeroes bits 63:32.
 */
static void check_ldrsb_w(uintptr_t a)
{
    uint64_t x = rd8_sext32(a);

    printf("ioreq_front: ldrsb w of 0x88 left x = 0x%lx\n", x);
    test_check("front_ldrsb_w", (x & 0xffffffffU) == 0xffffff88U, "x = 0x%lx", x);
}

static void check_load(const char *name, uint64_t got, uint64_t want)
{
    test_check(name, got == want, "x = 0x%lx, not 0x%lx", got, want);
}

void check_lanes_and_extension(void)
{
    const uint64_t b = 0xc0U;

    wr64(reg(b), UINT64_C(0x8877665544332211));
    check_load("front_lane_byte_1", rd8(reg(b + 1U)), 0x22U);
    check_load("front_lane_byte_7", rd8(reg(b + 7U)), 0x88U);
    check_load("front_lane_half_3", rd16(reg(b + 6U)), 0x8877U);
    /* the loads' registers held all ones: a W or byte load clears bits 63:32 or 63:8 */
    check_load("front_ldr_w_upper_zero", rd32_over_ones(reg(b + 4U)), UINT64_C(0x88776655));
    check_load("front_ldrb_upper_zero", rd8_over_ones(reg(b + 2U)), 0x33U);
    check_load("front_ldrsb_x_negative", rd8_sext64(reg(b + 7U)), UINT64_C(0xffffffffffffff88));
    check_load("front_ldrsb_x_positive", rd8_sext64(reg(b + 5U)), 0x66U);
    check_load("front_ldrsh_x", rd16_sext64(reg(b + 6U)), UINT64_C(0xffffffffffff8877));
    check_load("front_ldrsw_x", rd32_sext64(reg(b + 4U)), UINT64_C(0xffffffff88776655));
    check_ldrsb_w(reg(b + 7U));
}
