/* Stage-2 tables: the bits of each descriptor as the MMU reads them, for
 * every type of mapping. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <asm/p2m.h>
#include <proxenos/arch/mm.h>
#include <proxenos/bootmem.h>
#include <proxenos/errno.h>
#include <proxenos/lib.h>
#include <proxenos/page_alloc.h>
#include <fake_arch.h>
#include "fake_p2m_hw.h"
#include "p2m_env.h"

/* ---- Descriptor bits as the MMU reads them ------------------------------------------ */

struct desc_fields {
    unsigned int kind;      /* [1:0] */
    unsigned int memattr;   /* [5:2] */
    unsigned int s2ap;      /* [7:6] */
    unsigned int sh;        /* [9:8] */
    unsigned int af;        /* [10] */
    unsigned int bit11;
    unsigned int contig;    /* [52] */
    unsigned int xn;        /* [54:53] */
    uint64_t oa;            /* [47:12] */
};

static struct desc_fields fields_of(struct p2m_domain *p2m, uint64_t g, unsigned int *level)
{
    uint64_t d = hw_walk(p2m, g, level);
    struct desc_fields f;

    assert_true(d != 0U);
    f.kind = (unsigned int)(d & 3U);
    f.memattr = (unsigned int)((d >> 2) & 0xfU);
    f.s2ap = (unsigned int)((d >> 6) & 3U);
    f.sh = (unsigned int)((d >> 8) & 3U);
    f.af = (unsigned int)((d >> 10) & 1U);
    f.bit11 = (unsigned int)((d >> 11) & 1U);
    f.contig = (unsigned int)((d >> 52) & 1U);
    f.xn = (unsigned int)((d >> 53) & 3U);
    f.oa = d & 0x0000fffffffff000ULL;
    return f;
}

static void test_descriptor_bits(void **state)
{
    struct p2m_domain *p2m = &doms[0];
    struct desc_fields f;
    unsigned int level = 0U;
    const uint64_t *root;

    (void)state;
    assert_int_equal(p2m_init(p2m, 8U), 0);
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0 + 1U), mfn(0x80001U), 1U, P2M_RAM_RW), 0);
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0 + 2U), mfn(0x80002U), 1U, P2M_RAM_RO), 0);
    assert_int_equal(p2m_map(p2m, gfn(0x22000U), mfn(0x9000U), 1U, P2M_MMIO_DEVICE), 0);
    assert_int_equal(p2m_map(p2m, gfn(0x22001U), mfn(0x9001U), 1U, P2M_MMIO_NC), 0);
    assert_int_equal(p2m_map(p2m, gfn(0x38000U), mfn(0x7000U), 1U, P2M_GRANT_RW), 0);
    assert_int_equal(p2m_map(p2m, gfn(0x38001U), mfn(0x7001U), 1U, P2M_GRANT_RO), 0);
    assert_int_equal(p2m_map(p2m, gfn(GFN_RAM0 + PAGES_2M), mfn(0x90000U), PAGES_2M,
                             P2M_RAM_RW), 0);

    /* RAM: page, Normal WB (0b1111), RW (0b11), inner shareable, AF,
     * executable. */
    f = fields_of(p2m, GFN_RAM0 + 1U, &level);
    assert_int_equal(level, 3);
    assert_int_equal(f.kind, 3);
    assert_int_equal(f.memattr, 0xf);
    assert_int_equal(f.s2ap, 3);
    assert_int_equal(f.sh, 3);
    assert_int_equal(f.af, 1);
    assert_int_equal(f.bit11, 0);
    assert_int_equal(f.contig, 0);
    assert_int_equal(f.xn, 0);
    assert_int_equal(f.oa, 0x80001000ULL);
    /* Read-only RAM: S2AP 0b01, otherwise the same. */
    f = fields_of(p2m, GFN_RAM0 + 2U, &level);
    assert_int_equal(f.s2ap, 1);
    assert_int_equal(f.memattr, 0xf);
    assert_int_equal(f.xn, 0);
    /* Device: Device-nGnRE (0b0001), RW, AF, never executable (XN 0b10). */
    f = fields_of(p2m, 0x22000U, &level);
    assert_int_equal(f.memattr, 0x1);
    assert_int_equal(f.s2ap, 3);
    assert_int_equal(f.af, 1);
    assert_int_equal(f.xn, 2);
    assert_int_equal(f.oa, 0x9000000ULL);
    /* Normal non-cacheable (0b0101), XN. */
    f = fields_of(p2m, 0x22001U, &level);
    assert_int_equal(f.memattr, 0x5);
    assert_int_equal(f.xn, 2);
    /* Grants: WB memory, XN, RW or RO. */
    f = fields_of(p2m, 0x38000U, &level);
    assert_int_equal(f.memattr, 0xf);
    assert_int_equal(f.s2ap, 3);
    assert_int_equal(f.xn, 2);
    f = fields_of(p2m, 0x38001U, &level);
    assert_int_equal(f.s2ap, 1);
    assert_int_equal(f.xn, 2);
    /* A 2 MiB block: kind 0b01 at level 2, same attributes. */
    f = fields_of(p2m, GFN_RAM0 + PAGES_2M + 3U, &level);
    assert_int_equal(level, 2);
    assert_int_equal(f.kind, 1);
    assert_int_equal(f.memattr, 0xf);
    assert_int_equal(f.s2ap, 3);
    assert_int_equal(f.af, 1);
    assert_int_equal(f.oa, 0x90000000ULL);
    /* The types come back from lookup. */
    assert_maps(p2m, GFN_RAM0 + 2U, 0x80002U, P2M_RAM_RO, 0U);
    assert_maps(p2m, 0x22000U, 0x9000U, P2M_MMIO_DEVICE, 0U);
    assert_maps(p2m, 0x22001U, 0x9001U, P2M_MMIO_NC, 0U);
    assert_maps(p2m, 0x38000U, 0x7000U, P2M_GRANT_RW, 0U);
    assert_maps(p2m, 0x38001U, 0x7001U, P2M_GRANT_RO, 0U);
    /* Table descriptors: 0b11 and nothing else but the address. Root
     * entry 1 (the GiB at 1 GiB) points into RAM. */
    root = arch_maddr_to_virt(mfn_to_paddr(p2m->root));
    assert_int_equal(root[1] & 3U, 3);
    assert_int_equal(root[1] & ~0x0000fffffffff000ULL, 3U);
    assert_true((root[1] & 0x0000fffffffff000ULL) >= RAM0);
    assert_true((root[1] & 0x0000fffffffff000ULL) < (RAM0 + RAM_SIZE));
    p2m_destroy(p2m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_descriptor_bits, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
