/* Memory commands (common/control/domctl_memory.c): max_mem, the paging
 * pool's size, cacheflush and set_address_size, with Xen 4.17 on Arm's
 * bounds and errors. The pool and the cache hooks are fake_p2m's. */
#include "control_env.h"

static struct xen_domctl *mem_cmd(uint32_t cmd, domid_t dom)
{
    return domctl_in(0U, cmd, dom);
}

static void max_mem(void **state)
{
    struct xen_domctl *op;

    (void)state;
    op = mem_cmd(XEN_DOMCTL_max_mem, 1U);
    op->u.max_mem.max_memkb = 131072U + 3U;     /* 128 MiB and a bit */
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(doms[1].max_pages, 32768U);
    /* Below what it holds is allowed, as on Xen. */
    op = mem_cmd(XEN_DOMCTL_max_mem, 1U);
    op->u.max_mem.max_memkb = 4U;
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(doms[1].max_pages, 1U);
    /* Xen keeps the limit in 32 bits of pages. */
    op = mem_cmd(XEN_DOMCTL_max_mem, 1U);
    op->u.max_mem.max_memkb = UINT64_MAX;
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(doms[1].max_pages, UINT32_MAX);
}

static void paging_pool(void **state)
{
    struct xen_domctl *op;

    (void)state;
    fake_paging_pool_set(&doms[1], 256U, 10U);
    op = mem_cmd(XEN_DOMCTL_get_paging_mempool_size, 1U);
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(op->u.paging_mempool.size, 256U * PAGE_SIZE);
    op = mem_cmd(XEN_DOMCTL_set_paging_mempool_size, 1U);
    op->u.paging_mempool.size = 4ULL << 20;
    assert_int_equal(call_domctl(), 0);
    op = mem_cmd(XEN_DOMCTL_get_paging_mempool_size, 1U);
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(op->u.paging_mempool.size, 4ULL << 20);
    /* Whole pages only. */
    op = mem_cmd(XEN_DOMCTL_set_paging_mempool_size, 1U);
    op->u.paging_mempool.size = (4ULL << 20) + 1U;
    assert_int_equal(call_domctl(), -EINVAL);
    /* Not below the pages in use, not beyond the memory there is. */
    op->u.paging_mempool.size = 9U * PAGE_SIZE;
    assert_int_equal(call_domctl(), -ENOMEM);
    fake_paging_pool_limit(2048U);
    op->u.paging_mempool.size = 2049U * PAGE_SIZE;
    assert_int_equal(call_domctl(), -ENOMEM);
    op = mem_cmd(XEN_DOMCTL_get_paging_mempool_size, 1U);
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(op->u.paging_mempool.size, 4ULL << 20);
}

static void cacheflush(void **state)
{
    const struct domain *d = NULL;
    uint64_t first = 0U;
    uint64_t nr = 0U;
    struct xen_domctl *op;

    (void)state;
    op = mem_cmd(XEN_DOMCTL_cacheflush, 3U);
    op->u.cacheflush.start_pfn = 0x40000U;
    op->u.cacheflush.nr_pfns = 0x800U;
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(fake_cache_flushes(&d, &first, &nr), 1U);
    assert_ptr_equal(d, &doms[2]);
    assert_int_equal(first, 0x40000U);
    assert_int_equal(nr, 0x800U);
    /* At most 2^18 frames per call; no range that wraps. */
    op->u.cacheflush.nr_pfns = (1U << 18) + 1U;
    assert_int_equal(call_domctl(), -EINVAL);
    op->u.cacheflush.nr_pfns = 1U << 18;
    assert_int_equal(call_domctl(), 0);
    op->u.cacheflush.start_pfn = UINT64_MAX - 1U;
    op->u.cacheflush.nr_pfns = 2U;
    assert_int_equal(call_domctl(), -EINVAL);
    op->u.cacheflush.nr_pfns = 1U;
    assert_int_equal(call_domctl(), 0);
    assert_int_equal(fake_cache_flushes(NULL, NULL, NULL), 3U);
}

static void address_size(void **state)
{
    struct xen_domctl *op;

    (void)state;
    /* 64 bits is what every domain is; Xen refuses a change of mind once
     * the domain has memory, even to the same size. */
    op = mem_cmd(XEN_DOMCTL_set_address_size, 1U);
    op->u.address_size.size = 64U;
    assert_int_equal(call_domctl(), -EBUSY);
    doms[1].tot_pages = 0U;
    assert_int_equal(call_domctl(), 0);
    op->u.address_size.size = 32U;
    assert_int_equal(call_domctl(), -EINVAL);
    op->u.address_size.size = 48U;
    assert_int_equal(call_domctl(), -EINVAL);
    /* There is no get_address_size on Arm. */
    op = mem_cmd(XEN_DOMCTL_get_address_size, 1U);
    assert_int_equal(call_domctl(), -ENOSYS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(max_mem, env_test_setup),
        cmocka_unit_test_setup(paging_pool, env_test_setup),
        cmocka_unit_test_setup(cacheflush, env_test_setup),
        cmocka_unit_test_setup(address_size, env_test_setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
