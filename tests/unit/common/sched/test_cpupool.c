/* Boot-time CPU pools (common/sched/cpupool.c), as Xen 4.17 reads
 * "xen,cpupool" nodes under /chosen: "cpupool-cpus" lists phandles of
 * /cpus nodes (their reg an MPIDR), "cpupool-sched" a scheduler; pools
 * take ids in tree order, the pool holding the boot CPU becomes Pool-0,
 * and the online CPUs no node names form one more pool. A bad node (no
 * CPUs, a phandle that is no CPU, an offline CPU, a CPU in two pools) is
 * reported and its CPUs stay in the default pool; an unknown scheduler
 * falls back to the default. Each CPU's time slicing follows its pool's
 * scheduler (off under null). The online CPU set is the real one, which
 * no test can shrink: the tests run in order of more CPUs online. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "fdt_builder.h"
#include "fake_sched.h"
#include <proxenos/cpupool.h>
#include <proxenos/fdt.h>
#include <proxenos/sched_ops.h>
#include <proxenos/sched_params.h>
#include <proxenos/smp.h>
#include <fake_arch.h>

#define CPU_PHANDLE(n) (0x100U + (n))

static struct fb *b;
static struct fdt fdt;
static struct boot_info bi;

static int setup(void **state)
{
    (void)state;
    fake_reset();
    fake_sched_reset();
    b = fb_new();
    memset(&bi, 0, sizeof(bi));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(b);
    return 0;
}

/* The root, /cpus with cpu nodes for MPIDRs 0..nr-1 and 0x100, and /chosen
 * opened for the test's pool nodes. */
static void begin_tree(unsigned int nr)
{
    fb_begin(b, "");
    fb_prop_u32(b, "#address-cells", 2U);
    fb_prop_u32(b, "#size-cells", 2U);
    fb_begin(b, "cpus");
    fb_prop_u32(b, "#address-cells", 1U);
    fb_prop_u32(b, "#size-cells", 0U);
    for (unsigned int i = 0U; i < nr; i++) {
        char name[16];

        (void)snprintf(name, sizeof(name), "cpu@%u", i);
        fb_begin(b, name);
        fb_prop_str(b, "device_type", "cpu");
        fb_prop_u32(b, "reg", i);
        fb_prop_u32(b, "phandle", CPU_PHANDLE(i));
        fb_end(b);
    }
    /* An MPIDR no CPU of the (fake) machine has. */
    fb_begin(b, "cpu@100");
    fb_prop_str(b, "device_type", "cpu");
    fb_prop_u32(b, "reg", 0x100U);
    fb_prop_u32(b, "phandle", CPU_PHANDLE(99U));
    fb_end(b);
    /* A phandle on something that is not a cpu with reg. */
    fb_begin(b, "cpu-map");
    fb_prop_u32(b, "phandle", 0x77U);
    fb_end(b);
    fb_end(b);
    fb_begin(b, "chosen");
}

static void pool(const char *name, const char *sched, unsigned int n, const uint32_t *cpus)
{
    uint8_t cells[16 * 4];

    fb_begin(b, name);
    fb_prop_str(b, "compatible", "xen,cpupool");
    if (n != 0U) {
        for (unsigned int i = 0U; i < n; i++) {
            fb_put32(&cells[i * 4U], cpus[i]);
        }
        fb_prop(b, "cpupool-cpus", cells, n * 4U);
    }
    if (sched != NULL) {
        fb_prop_str(b, "cpupool-sched", sched);
    }
    fb_end(b);
}

static void end_tree(void)
{
    fb_end(b);
    fb_end(b);
    fb_finish(b);
    if (fdt_check(&fdt, b->out, b->out_len) != 0) {
        fail_msg("bad tree: %s", fdt.error);
    }
    bi.fdt = &fdt;
    bi.chosen = fdt_path_offset(&fdt, "/chosen", 7U);
    assert_true(bi.chosen >= 0);
}

static int node_of(const char *name)
{
    char path[64];
    int n = snprintf(path, sizeof(path), "/chosen/%s", name);
    int node = fdt_path_offset(&fdt, path, (size_t)n);

    assert_true(node >= 0);
    return node;
}

static void without_pool_nodes_all_cpus_are_pool_0(void **state)
{
    struct cpupool_info info;

    (void)state;
    /* Before the pools are read, no pool has CPUs. */
    assert_int_equal(cpupool_cpus(-1), 0U);
    for (unsigned int cpu = 0U; cpu < 4U; cpu++) {
        cpu_set_online(cpu);
    }
    begin_tree(4U);
    fb_begin(b, "domU1");
    fb_prop_str(b, "compatible", "xen,domain");
    fb_end(b);
    end_tree();
    cpupools_init(&bi);
    assert_int_equal(cpupool_cpus(-1), 0xfU);
    assert_int_equal(cpupool_id_of(-1), 0U);
    assert_true(cpupool_info(0U, &info));
    assert_int_equal(info.id, 0U);
    assert_int_equal(info.cpus, 0xfU);
    assert_string_equal(info.sched, sched_default_name());
    assert_false(cpupool_info(1U, &info));
    /* One pool of every CPU is not worth a line. */
    assert_false(fake_log_contains("Pool-0"));
}

static void pools_in_tree_order_with_the_boot_cpu_in_pool_0(void **state)
{
    static const uint32_t a[] = { CPU_PHANDLE(2U), CPU_PHANDLE(3U) };
    static const uint32_t boot[] = { CPU_PHANDLE(0U) };
    static const uint32_t again[] = { CPU_PHANDLE(2U) };
    static const uint32_t offline[] = { CPU_PHANDLE(99U) };
    static const uint32_t not_cpu[] = { 0x77U };
    static const uint32_t unknown[] = { 0x99U };
    struct cpupool_info info;

    (void)state;
    begin_tree(4U);
    pool("pool-a", "null", 2U, a);
    pool("pool-boot", NULL, 1U, boot);
    pool("pool-twice", NULL, 1U, again);
    pool("pool-offline", NULL, 1U, offline);
    pool("pool-empty", NULL, 0U, NULL);
    pool("pool-not-cpu", NULL, 1U, not_cpu);
    pool("pool-unknown", NULL, 1U, unknown);
    pool("pool-bvt", "bvt", 0U, NULL);
    end_tree();
    cpupools_init(&bi);

    /* pool-boot became Pool-0; pool-a is Pool-1; CPU 1, in no valid node,
     * is Pool-2 with the default scheduler. */
    assert_int_equal(cpupool_cpus(-1), 0x1U);
    assert_int_equal(cpupool_cpus(node_of("pool-boot")), 0x1U);
    assert_int_equal(cpupool_cpus(node_of("pool-a")), 0xcU);
    assert_int_equal(cpupool_id_of(node_of("pool-a")), 1U);
    assert_int_equal(cpupool_id_of(node_of("pool-boot")), 0U);
    /* A rejected node has no pool. */
    assert_int_equal(cpupool_cpus(node_of("pool-twice")), 0U);
    assert_int_equal(cpupool_id_of(node_of("pool-twice")), 0U);
    assert_true(cpupool_info(2U, &info));
    assert_int_equal(info.cpus, 0x2U);
    assert_false(cpupool_info(3U, &info));
    assert_true(fake_log_contains("Pool-0: CPUs 0, scheduler credit2"));
    assert_true(fake_log_contains("Pool-1: CPUs 2,3, scheduler null"));
    assert_true(fake_log_contains("Pool-2: CPUs 1, scheduler credit2"));
    /* Each bad node, reported. */
    assert_true(fake_log_contains("cpupool pool-twice: CPU 2 is in two pools: ignored"));
    assert_true(fake_log_contains("cpupool pool-offline: CPU with id 0x100 is not online"));
    assert_true(fake_log_contains("cpupool pool-empty: missing or empty cpupool-cpus"));
    assert_true(fake_log_contains("cpupool pool-not-cpu: entry 0 is not a cpu node with reg"));
    assert_true(fake_log_contains("cpupool pool-unknown: entry 0 is not a cpu node with reg"));
    assert_true(fake_log_contains("cpupool pool-bvt: scheduler \"bvt\" is not available: "
                                  "using credit2"));
    /* Each pool is an instance of its scheduler. */
    assert_true(cpupool_info(1U, &info));
    assert_string_equal(info.sched, "null");
    assert_string_equal(sched_pool_by_id(1U)->ops->name, "null");
    assert_string_equal(sched_pool_by_id(2U)->ops->name, "credit2");
}

static void at_most_fifteen_pool_nodes(void **state)
{
    struct cpupool_info info;

    (void)state;
    for (unsigned int cpu = 0U; cpu < NR_CPUS; cpu++) {
        cpu_set_online(cpu);
    }
    begin_tree(NR_CPUS);
    for (unsigned int i = 0U; i < NR_CPUS; i++) {
        uint32_t one = CPU_PHANDLE(i);
        char name[16];

        (void)snprintf(name, sizeof(name), "pool%u", i);
        pool(name, NULL, 1U, &one);
    }
    end_tree();
    cpupools_init(&bi);
    assert_true(fake_log_contains("cpupool: more than 15 pools: the rest are ignored"));
    /* The sixteenth node's CPU joins the pool of unnamed CPUs. */
    assert_int_equal(cpupool_cpus(node_of("pool15")), 0U);
    assert_true(cpupool_info(15U, &info));
    assert_int_equal(info.cpus, 1ULL << 15);
    assert_int_equal(cpupool_cpus(node_of("pool3")), 1ULL << 3);
    assert_int_equal(cpupool_cpus(-1), 0x1U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(without_pool_nodes_all_cpus_are_pool_0, setup, teardown),
        cmocka_unit_test_setup_teardown(pools_in_tree_order_with_the_boot_cpu_in_pool_0, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(at_most_fifteen_pool_nodes, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
