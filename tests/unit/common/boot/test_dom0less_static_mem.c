/* dom0less domains with xen,static-mem (common/boot/dom0less_build.c over
 * static_mem.c and the page allocator's static blocks), through the real
 * code from the node to the reaper: the domain's RAM is exactly its banks,
 * reserved at boot so the heap never has them; mapped at Xen's first guest
 * bank or, with direct-map, 1:1, as its device tree says; a reboot takes
 * the same banks again, cleared; a destroyed domain's banks go back out of
 * use, never to the heap; a refused bank skips its domain only. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "dom0less_env.h"
#include "heap_env.h"
#include "fake_console_api.h"
#include "fake_sched.h"
#include "domain_internal.h"
#include <proxenos/cpupool.h>
#include <proxenos/dom0less.h>
#include <proxenos/domain_create.h>
#include <proxenos/errno.h>
#include <proxenos/fdt.h>
#include <proxenos/smp.h>
#include <proxenos/softirq.h>
#include <proxenos/static_mem.h>
#include <proxenos/timer.h>
#include <proxenos/arch/domain.h>
#include <fake_arch.h>
#include <fake_domain.h>
#include <fake_p2m.h>

#define HEAP_BASE   0x80000000ULL
#define HEAP_SIZE   (64ULL << 20)
#define STATIC_BASE 0x70000000ULL       /* host RAM kept for static banks */
#define STATIC_SIZE (16ULL << 20)
#define MIB         ENV_MIB

static const struct boot_owned owned = {
    .image = { 0x40000000ULL, 0x200000ULL },
    .dtb = { 0x48000000ULL, 0x10000ULL },
};

static uint8_t *static_ram;

/* /chosen (1+1 cells) with:
 *   1 st:   6 MiB, banks 4 MiB at STATIC_BASE + 2 MiB at +8 MiB;
 *   2 bad:  a bank over st's (refused at boot);
 *   3 heap: 4 MiB from the heap;
 *   4 dm:   4 MiB at STATIC_BASE + 12 MiB, direct-map (built last, so
 *           that the fake's last vCPU entry is its).
 * Then what setup.c does before the heap: check, reserve, start the page
 * allocator. */
static void boot(void)
{
    static const char *const names[] = { "st", "bad", "heap", "dm" };
    struct static_mem_bank bank;

    env_begin_chosen(2U, 1U);
    env_domain_node("st", 6144U, 1U, NULL);
    fb_prop_cells(env_fb, "xen,static-mem", 4U, (uint32_t)STATIC_BASE, 0x400000U,
                  (uint32_t)(STATIC_BASE + (8U * MIB)), 0x200000U);
    fb_end(env_fb);
    env_domain_node("bad", 1024U, 1U, NULL);
    fb_prop_cells(env_fb, "xen,static-mem", 2U, (uint32_t)(STATIC_BASE + MIB), 0x100000U);
    fb_end(env_fb);
    env_domain_node("heap", 4096U, 1U, NULL);
    fb_end(env_fb);
    env_domain_node("dm", 4096U, 1U, NULL);
    fb_prop_cells(env_fb, "xen,static-mem", 2U, (uint32_t)(STATIC_BASE + (12U * MIB)), 0x400000U);
    fb_prop_empty(env_fb, "direct-map");
    fb_end(env_fb);
    env_boot_info_from_tree();
    assert_int_equal(env_bi.nr_domain_nodes, 4U);
    env_bi.ram[0] = (struct boot_range){ ENV_MODS, ENV_MODS_SIZE };
    env_bi.ram[1] = (struct boot_range){ STATIC_BASE, STATIC_SIZE };
    env_bi.ram[2] = (struct boot_range){ HEAP_BASE, HEAP_SIZE };
    env_bi.nr_ram = 3U;
    for (size_t i = 0U; i < (sizeof(names) / sizeof(names[0])); i++) {
        env_kernel_for(names[i]);
    }

    bootmem_reset();
    (void)fake_ram_alloc(HEAP_BASE, (size_t)HEAP_SIZE);
    static_ram = fake_ram_alloc(STATIC_BASE, (size_t)STATIC_SIZE);
    assert_int_equal(bootmem_add_ram(HEAP_BASE, HEAP_BASE + HEAP_SIZE), 0);
    assert_int_equal(bootmem_add_ram(STATIC_BASE, STATIC_BASE + STATIC_SIZE), 0);
    assert_int_equal(static_mem_check_all(&env_bi, &owned), 1U);
    for (unsigned int i = 0U; static_mem_reserved_bank(i, &bank); i++) {
        assert_int_equal(bootmem_reserve(bank.start, bank.start + bank.size), 0);
    }
    assert_int_equal(page_alloc_init(), 0);
    xmalloc_reset();
}

static int group_setup(void **state)
{
    (void)state;
    env_group_setup(1U);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    env_setup();
    boot();
    return 0;
}


/* The reg of the guest device tree's memory node(s), in order: *n of them. */
static void guest_memory_nodes(struct domain *d, uint64_t *base, uint64_t *size, unsigned int *n)
{
    uint64_t x0 = 0U;
    struct fdt g;
    int depth = 0;

    fake_vcpu_entry(NULL, NULL, &x0);
    assert_int_equal(fdt_check(&g, arch_maddr_to_virt(env_maddr_of(d, x0)), 4096U), 0);
    *n = 0U;
    for (int node = fdt_next_node(&g, fdt_root(&g), &depth); node >= 0;
         node = fdt_next_node(&g, node, &depth)) {
        if ((depth == 1) && fdt_node_name_is(&g, node, "memory")) {
            assert_int_equal(fdt_reg_raw(&g, node, 0U, &base[*n], &size[*n]), 0);
            (*n)++;
        }
    }
}

/* The banks of st and dm (bad's was refused). */
static const struct static_mem_bank banks[] = {
    { STATIC_BASE, 4U * MIB },
    { STATIC_BASE + (8U * MIB), 2U * MIB },
    { STATIC_BASE + (12U * MIB), 4U * MIB },
};

/* Every static page is out of the heap: the whole heap taken (the rest of
 * the static RAM included), none is in a bank. */
static void heap_never_hands_out_static_pages(void)
{
    unsigned int taken = 0U;
    mfn_t m;

    while (!mfn_eq(m = alloc_pages(0U, 0U), INVALID_MFN)) {
        paddr_t pa = mfn_to_paddr(m);

        for (size_t i = 0U; i < (sizeof(banks) / sizeof(banks[0])); i++) {
            assert_false((pa >= banks[i].start) && (pa < (banks[i].start + banks[i].size)));
        }
        taken++;
    }
    assert_true(taken > 0U);
}

static void ram_is_exactly_the_banks(void **state)
{
    struct domain *st;
    struct domain *dm;
    struct page_alloc_stats ps;
    uint64_t base[4];
    uint64_t size[4];
    unsigned int n = 0U;

    (void)state;
    cpupools_init(&env_bi);
    page_alloc_stats(&ps);
    /* The heap is all RAM but the banks (and the frame tables). */
    assert_true(ps.total_pages <= ((HEAP_SIZE + STATIC_SIZE - (10U * MIB)) >> PAGE_SHIFT));
    assert_true(fake_log_contains("dom0less: /chosen/bad: xen,static-mem bank 0 "
                                  "[0x70100000, +0x100000) overlaps a static memory bank of "
                                  "/chosen/st: domain skipped"));
    assert_int_equal(dom0less_build_all(&env_bi, NULL), 3U);
    assert_null(env_get(2U));       /* bad: skipped, the others run */
    st = env_get(1U);
    dm = env_get(4U);
    assert_non_null(st);
    assert_non_null(dm);
    assert_non_null(env_get(3U));

    /* st: 4 MiB then 2 MiB, one after the other from GUEST_RAM0. */
    assert_int_equal(st->tot_pages, (6U * MIB) >> PAGE_SHIFT);
    assert_int_equal(env_maddr_of(st, 0x40000000U), STATIC_BASE);
    assert_int_equal(env_maddr_of(st, 0x403ff000U), STATIC_BASE + 0x3ff000U);
    assert_int_equal(env_maddr_of(st, 0x40400000U), STATIC_BASE + (8U * MIB));
    assert_int_equal(env_maddr_of(st, 0x405ff000U), STATIC_BASE + (8U * MIB) + 0x1ff000U);
    assert_true(fake_log_contains("Domain 1: static memory 0x70000000-0x70400000 at guest "
                                  "0x40000000"));

    /* dm: guest physical == host physical, and its tree says so. */
    assert_true(dm->direct_map);
    assert_int_equal(dm->tot_pages, (4U * MIB) >> PAGE_SHIFT);
    for (paddr_t off = 0U; off < (4U * MIB); off += 0x1000U) {
        assert_int_equal(env_maddr_of(dm, STATIC_BASE + (12U * MIB) + off),
                         STATIC_BASE + (12U * MIB) + off);
    }
    guest_memory_nodes(dm, base, size, &n);
    assert_int_equal(n, 1U);
    assert_int_equal(base[0], STATIC_BASE + (12U * MIB));
    assert_int_equal(size[0], 4U * MIB);
    heap_never_hands_out_static_pages();
}

/* SYSTEM_RESET: the reaper rebuilds the domain on the same pages. */
static void a_reboot_takes_the_same_banks_again_cleared(void **state)
{
    struct domain *st;
    struct domain *again;
    uint8_t *last = &static_ram[(8U * MIB) + 0x1ff000U];   /* st's last page */

    (void)state;
    cpupools_init(&env_bi);
    assert_int_equal(dom0less_build_all(&env_bi, NULL), 3U);
    st = env_get(1U);
    memset(last, 0x5a, 0x1000U);
    domain_shutdown(st, SHUTDOWN_reboot);
    env_fire_timers();
    again = env_get(1U);
    assert_non_null(again);
    assert_int_equal(again->state, DOMAIN_RUNNING);
    assert_int_equal(again->tot_pages, (6U * MIB) >> PAGE_SHIFT);
    assert_int_equal(env_maddr_of(again, 0x40400000U), STATIC_BASE + (8U * MIB));
    /* What the last run left is not the next run's. */
    for (unsigned int i = 0U; i < 0x1000U; i++) {
        assert_int_equal(last[i], 0U);
    }
    heap_never_hands_out_static_pages();
}

/* Destroyed: the banks are nobody's and the heap's free count is what it
 * was before the domain freed them. */
static void destroyed_banks_go_back_out_of_use(void **state)
{
    struct page_alloc_stats before;
    struct page_alloc_stats after;
    struct domain *st;

    (void)state;
    cpupools_init(&env_bi);
    assert_int_equal(dom0less_build_all(&env_bi, NULL), 3U);
    st = env_get(1U);
    page_alloc_stats(&before);
    domain_destroy(st);
    env_fire_timers();
    domain_free_queued();
    assert_null(env_get(1U));
    page_alloc_stats(&after);
    assert_int_equal(after.total_pages, before.total_pages);
    /* The domain's heap-side objects came back; its 1536 RAM pages did not. */
    assert_true((after.free_pages - before.free_pages) < ((6U * MIB) >> PAGE_SHIFT));
    /* Out of use: the static pages can be taken again, as a rebuild does. */
    assert_int_equal(page_alloc_acquire_static(paddr_to_mfn(STATIC_BASE), 10U), 0);
    assert_int_equal(page_alloc_acquire_static(paddr_to_mfn(STATIC_BASE), 0U), -EBUSY);
    free_pages(paddr_to_mfn(STATIC_BASE), 10U);
    heap_never_hands_out_static_pages();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(ram_is_exactly_the_banks, setup, env_teardown),
        cmocka_unit_test_setup_teardown(a_reboot_takes_the_same_banks_again_cleared, setup,
                                        env_teardown),
        cmocka_unit_test_setup_teardown(destroyed_banks_go_back_out_of_use, setup, env_teardown),
    };

    return cmocka_run_group_tests(tests, group_setup, NULL);
}
