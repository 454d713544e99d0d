/* The 'm' debug key (common/memory/memory_keys.c): the page and object
 * allocators' tables, then one line per live domain with its pages, its
 * grant reuse list and its foreign entries (those of dying domains apart,
 * the leak to look for), the total of foreign entries, and the dying
 * domains still in memory. dom0 maps a domU's page as the toolstack does,
 * then the domU is destroyed while the entry holds it. */
#include "gnttab_env.h"
#include <proxenos/keyhandler.h>

extern const struct keyhandler __keyhandler_start[], __keyhandler_end[];

#define HOLE 0x50000U               /* a dom0 gfn outside its RAM */
#define ARG_OFF  0x1000U
#define IDX_OFF  0x2000U
#define GPFN_OFF 0x3000U
#define ERR_OFF  0x4000U

static struct domain *d0;
static struct domain *d1;

static int setup(void **state)
{
    (void)state;
    env_init();
    keyhandler_set_table(__keyhandler_start, __keyhandler_end);
    d0 = dom_create(0U, 0U, true, true);
    d1 = dom_create(1U, 1U, false, false);
    return 0;
}

static void *d0_ptr(uint64_t off)
{
    return arch_maddr_to_virt(mfn_to_paddr(tdom_of(d0)->ram) + off);
}

/* dom0 maps d1's RAM page 1 at HOLE (one gmfn_foreign entry). */
static void map_foreign_page(void)
{
    uint64_t base = mfn_to_paddr(tdom_of(d0)->ram);     /* dom0 is direct-mapped */
    uint64_t idx = GRAM_PFN + 1U;
    uint64_t gpfn = HOLE;
    struct xen_add_to_physmap_batch b = { .domid = DOMID_SELF, .space = XENMAPSPACE_gmfn_foreign,
                                          .size = 1U, .u.foreign_domid = 1U,
                                          .idxs = base + IDX_OFF, .gpfns = base + GPFN_OFF,
                                          .errs = base + ERR_OFF };

    as_dom(d0);
    memcpy(d0_ptr(IDX_OFF), &idx, sizeof(idx));
    memcpy(d0_ptr(GPFN_OFF), &gpfn, sizeof(gpfn));
    memcpy(d0_ptr(ARG_OFF), &b, sizeof(b));
    assert_int_equal(mem_op(XENMEM_add_to_physmap_batch, base + ARG_OFF), 0);
    assert_int_equal(*(int32_t *)d0_ptr(ERR_OFF), 0);
}

static void each_domain_and_its_foreign_entries(void **state)
{
    (void)state;
    map_foreign_page();
    fake_log_clear();
    handle_keypress('m');
    assert_true(fake_log_contains("'m' pressed -> memory info"));
    assert_true(fake_log_contains("Domains' memory:"));
    assert_true(fake_log_contains("  d0: tot_pages 64 max_pages 80 reuse 0, "
                                  "foreign mappings 1 (0 of dying domains)"));
    assert_true(fake_log_contains("  d1: tot_pages 64 max_pages 80 reuse 0, "
                                  "foreign mappings 0 (0 of dying domains)"));
    assert_true(fake_log_contains("  foreign mappings held: 1"));
    assert_true(fake_log_contains("Domains in memory: 2 live, 0 dying"));
    /* The allocators' tables come first. */
    assert_true(strstr(fake_log(), "Domains' memory:") > fake_log());
    /* Every reference the walk took is back. */
    assert_int_equal(fake_domain_refs(d0), 0U);
    assert_int_equal(fake_domain_refs(d1), 1U);
    dom_destroy(d0);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

static void a_dying_domain_held_by_a_foreign_entry(void **state)
{
    (void)state;
    map_foreign_page();
    /* d1 destroyed: dying, but dom0's entry still holds it in memory. */
    d1->dying = true;
    fake_log_clear();
    handle_keypress('m');
    assert_true(fake_log_contains("  d0: tot_pages 64 max_pages 80 reuse 0, "
                                  "foreign mappings 1 (1 of dying domains)"));
    assert_false(fake_log_contains("  d1:"));
    assert_true(fake_log_contains("Dying domain 1 (): 1 references, 64 pages"));
    assert_true(fake_log_contains("Domains in memory: 1 live, 1 dying"));
    dom_destroy(d0);
    dom_destroy(d1);
    assert_int_equal(fake_domain_refs_total(), 0U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(each_domain_and_its_foreign_entries, setup),
        cmocka_unit_test_setup(a_dying_domain_held_by_a_foreign_entry, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
