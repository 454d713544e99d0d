/* The common part of a dom0less domU's device tree (common/boot/domain_fdt.c):
 * the root, /chosen, the memory node and /reserved-memory, the two places where the
 * architecture's nodes go, the checks of what the common code reads and
 * the ramdisk fix-up. The architecture's hooks are the fake arch's
 * (<fake_domain_fdt.h>), given a writer of marker nodes; the whole arm64
 * tree is pinned by tests/unit/arch/arm64/test_domain_fdt_devices.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include <proxenos/arch/domain_fdt.h>
#include <proxenos/domain_fdt.h>
#include <proxenos/errno.h>
#include <proxenos/fdt.h>
#include <proxenos/fdt_write.h>
#include <proxenos/lib.h>
#include <public/arch-arm.h>
#include <fake_arch.h>
#include <fake_domain_fdt.h>

#define BOOTARGS "console=hvc0 root=/dev/ram0"
#define INITRD_SIZE 0x00123456ULL

static uint8_t blob[DOMAIN_FDT_DOMU_SIZE];

static const struct domain_fdt_region two_banks[] = {
    { GUEST_RAM0_BASE, GiB(1) },
    { GUEST_RAM1_BASE, GiB(2) },
};

/* ---- The architecture's nodes, as markers ------------------------------------------------- */

/* The arch part each call of the architecture's hook was handed. */
static const struct arch_domain_fdt_config *arch_seen[2];

static int write_marker(struct fdt_writer *w, const struct domain_fdt_config *cfg,
                        enum arch_domain_fdt_slot slot)
{
    char name[DOMAIN_FDT_UNIT_NAME_MAX];

    arch_seen[(slot == ARCH_DOMAIN_FDT_CPUS) ? 0 : 1] = cfg->arch;

    /* A node per slot, named with the helper the architecture uses. */
    domain_fdt_unit_name(name, (slot == ARCH_DOMAIN_FDT_CPUS) ? "cpus-slot" : "devices-slot",
                         cfg->nr_vcpus);
    (void)fdt_writer_begin_node(w, name);
    (void)fdt_writer_prop_empty(w, "marker");
    (void)fdt_writer_end_node(w);
    return fdt_writer_error(w);
}

/* ---- Helpers ------------------------------------------------------------------------------ */

static struct domain_fdt_config config(void)
{
    struct domain_fdt_config cfg;

    memset(&cfg, 0, sizeof(cfg));
    cfg.nr_vcpus = 2U;
    cfg.mem = two_banks;
    cfg.nr_mem = 2U;
    return cfg;
}

static uint32_t build_ok(const struct domain_fdt_config *cfg, struct fdt *fdt)
{
    uint32_t size = 0;

    assert_int_equal(domain_fdt_build_domu(cfg, blob, sizeof(blob), &size), 0);
    assert_int_equal(fdt_check(fdt, blob, size), 0);
    return size;
}

static int node_at(const struct fdt *fdt, const char *path)
{
    int node = fdt_path_offset(fdt, path, strlen(path));

    if (node < 0) {
        fail_msg("no node %s", path);
    }
    return node;
}

/* Every node path in document order, joined by spaces. */
static void expect_nodes(const struct fdt *fdt, const char *paths)
{
    char got[1024] = "";
    char path[128];
    int depth = 0;
    int node;

    for (node = fdt_root(fdt); node >= 0; node = fdt_next_node(fdt, node, &depth)) {
        assert_true(fdt_node_path(fdt, node, path, sizeof(path)) > 0);
        if (got[0] != '\0') {
            strcat(got, " ");
        }
        strcat(got, path);
    }
    assert_string_equal(got, paths);
}

/* ---- The tree ----------------------------------------------------------------------------- */

static void test_order_and_common_nodes(void **state)
{
    struct domain_fdt_config cfg = config();
    struct fdt fdt;
    uint64_t a = 0;
    uint64_t s = 0;
    uint64_t v = 0;
    uint32_t cells = 0;

    (void)state;
    cfg.bootargs = BOOTARGS;
    cfg.initrd_start = 0x48000000U;
    cfg.initrd_size = INITRD_SIZE;
    build_ok(&cfg, &fdt);
    /* Xen's order: chosen, the CPUs, memory, then the devices. */
    expect_nodes(&fdt, "/ /chosen /cpus-slot@2 /memory@40000000 /devices-slot@2");
    assert_int_equal(fdt_getprop_u32(&fdt, fdt_root(&fdt), "#address-cells", &cells), 0);
    assert_int_equal(cells, 2);
    assert_int_equal(fdt_getprop_u32(&fdt, fdt_root(&fdt), "#size-cells", &cells), 0);
    assert_int_equal(cells, 2);
    assert_string_equal(fdt_getprop_string(&fdt, node_at(&fdt, "/chosen"), "bootargs"), BOOTARGS);
    assert_int_equal(fdt_getprop_u64(&fdt, node_at(&fdt, "/chosen"), "linux,initrd-start", &v), 0);
    assert_int_equal(v, 0x48000000U);
    assert_int_equal(fdt_getprop_u64(&fdt, node_at(&fdt, "/chosen"), "linux,initrd-end", &v), 0);
    assert_int_equal(v, 0x48000000U + INITRD_SIZE);
    /* One memory node with every bank. */
    assert_int_equal(fdt_reg(&fdt, node_at(&fdt, "/memory@40000000"), 0, &a, &s), 0);
    assert_int_equal(a, GUEST_RAM0_BASE);
    assert_int_equal(s, GiB(1));
    assert_int_equal(fdt_reg(&fdt, node_at(&fdt, "/memory@40000000"), 1, &a, &s), 0);
    assert_int_equal(a, GUEST_RAM1_BASE);
    assert_int_equal(s, GiB(2));
    assert_string_equal(fdt_getprop_string(&fdt, node_at(&fdt, "/memory@40000000"),
                                           "device_type"), "memory");

    /* No bootargs, no ramdisk: an empty /chosen. */
    cfg = config();
    build_ok(&cfg, &fdt);
    assert_int_equal(fdt_first_prop(&fdt, node_at(&fdt, "/chosen")), -ENOENT);
}

/* Static shared memory: /reserved-memory right after memory, as Xen
 * 4.17's make_resv_memory_node writes it: an empty ranges, then the
 * root's cells, then a xen-shmem@<gaddr> child per region. */
static void test_reserved_memory(void **state)
{
    static const struct domain_fdt_shm shm[2] = {
        { 0x50000000U, 0x200000U, "shm-a" },
        { 0x60000000U, 0x10000U, "fifteen-chars.." },
    };
    struct domain_fdt_config cfg = config();
    struct fdt fdt;
    struct fdt_property p;
    const char *const names[] = { "ranges", "#address-cells", "#size-cells" };
    uint64_t a = 0;
    uint64_t sz = 0;
    uint64_t v = 1;
    uint32_t len = 0;
    int resv;
    int prop;
    int node;

    (void)state;
    cfg.shm = shm;
    cfg.nr_shm = 2U;
    build_ok(&cfg, &fdt);
    expect_nodes(&fdt, "/ /chosen /cpus-slot@2 /memory@40000000 /reserved-memory "
                 "/reserved-memory/xen-shmem@50000000 /reserved-memory/xen-shmem@60000000 "
                 "/devices-slot@2");
    resv = node_at(&fdt, "/reserved-memory");
    prop = fdt_first_prop(&fdt, resv);
    for (unsigned int i = 0U; i < 3U; i++) {
        assert_true(prop >= 0);
        assert_int_equal(fdt_prop_at(&fdt, prop, &p), 0);
        assert_string_equal(p.name, names[i]);
        assert_int_equal(p.len, (i == 0U) ? 0U : 4U);
        prop = fdt_next_prop(&fdt, prop);
    }
    assert_true(prop < 0);
    assert_int_equal(fdt_address_cells(&fdt, resv), 2U);
    assert_int_equal(fdt_size_cells(&fdt, resv), 2U);
    for (unsigned int i = 0U; i < 2U; i++) {
        char path[64];

        (void)snprintf(path, sizeof(path), "/reserved-memory/xen-shmem@%llx",
                       (unsigned long long)shm[i].base);
        node = node_at(&fdt, path);
        assert_true(fdt_node_is_compatible(&fdt, node, "xen,shared-memory-v1"));
        assert_non_null(fdt_getprop(&fdt, node, "reg", &len));
        assert_int_equal(len, 16U);
        assert_int_equal(fdt_reg(&fdt, node, 0, &a, &sz), 0);
        assert_int_equal(a, shm[i].base);
        assert_int_equal(sz, shm[i].size);
        assert_string_equal(fdt_getprop_string(&fdt, node, "xen,id"), shm[i].id);
        assert_non_null(fdt_getprop(&fdt, node, "xen,offset", &len));
        assert_int_equal(len, 8U);
        assert_int_equal(fdt_getprop_u64(&fdt, node, "xen,offset", &v), 0);
        assert_int_equal(v, 0U);
    }
    /* An empty region or one without an id is refused before writing. */
    {
        struct domain_fdt_shm bad = { 0x50000000U, 0U, "x" };

        cfg.shm = &bad;
        cfg.nr_shm = 1U;
        assert_int_equal(domain_fdt_build_domu(&cfg, blob, sizeof(blob), NULL), -EINVAL);
        bad.size = 0x1000U;
        bad.id = NULL;
        assert_int_equal(domain_fdt_build_domu(&cfg, blob, sizeof(blob), NULL), -EINVAL);
    }
}

static void test_unit_name(void **state)
{
    char name[DOMAIN_FDT_UNIT_NAME_MAX];

    (void)state;
    domain_fdt_unit_name(name, "memory", 0x40000000U);
    assert_string_equal(name, "memory@40000000");
    domain_fdt_unit_name(name, "cpu", 0);
    assert_string_equal(name, "cpu@0");
    domain_fdt_unit_name(name, "interrupt-controller", UINT64_MAX);
    assert_string_equal(name, "interrupt-controller@ffffffffffffffff");
}

static void expect_einval(const struct domain_fdt_config *cfg)
{
    uint32_t size = 7;

    assert_int_equal(domain_fdt_build_domu(cfg, blob, sizeof(blob), &size), -EINVAL);
    assert_int_equal(size, 7);
}

static void test_bad_configs(void **state)
{
    static const struct domain_fdt_region empty_bank[] = { { GUEST_RAM0_BASE, 0 } };
    static const struct domain_fdt_region wrapping[] = { { UINT64_MAX - 0xfff, 0x1000 } };
    struct domain_fdt_config good = config();
    struct domain_fdt_config cfg;
    uint32_t size;
    unsigned int checks;
    unsigned int slots;

    (void)state;
    assert_int_equal(domain_fdt_build_domu(NULL, blob, sizeof(blob), &size), -EINVAL);
    assert_int_equal(domain_fdt_build_domu(&good, NULL, sizeof(blob), &size), -EINVAL);
    cfg = good; cfg.nr_vcpus = 0; expect_einval(&cfg);
    cfg = good; cfg.nr_vcpus = MAX_VCPUS_PER_DOMAIN + 1U; expect_einval(&cfg);
    cfg = good; cfg.nr_mem = 0; expect_einval(&cfg);
    cfg = good; cfg.mem = NULL; expect_einval(&cfg);
    cfg = good; cfg.mem = empty_bank; cfg.nr_mem = 1; expect_einval(&cfg);
    cfg = good; cfg.mem = wrapping; cfg.nr_mem = 1; expect_einval(&cfg);
    cfg = good; cfg.initrd_start = UINT64_MAX; cfg.initrd_size = 1; expect_einval(&cfg);

    /* What the architecture refuses is refused, before anything is written. */
    checks = fake_domain_fdt_checks();
    slots = fake_domain_fdt_slot_calls(ARCH_DOMAIN_FDT_CPUS);
    fake_domain_fdt_set_config_ok(false);
    memset(blob, 0xa5, sizeof(blob));
    expect_einval(&good);
    assert_int_equal(fake_domain_fdt_checks(), checks + 1U);
    assert_int_equal(fake_domain_fdt_slot_calls(ARCH_DOMAIN_FDT_CPUS), slots);
    assert_int_equal(blob[0], 0xa5);
    fake_domain_fdt_set_config_ok(true);
    assert_int_equal(domain_fdt_build_domu(&good, blob, sizeof(blob), &size), 0);
}

static void test_enospc(void **state)
{
    struct domain_fdt_config cfg = config();
    uint32_t full = 0;
    uint32_t size;

    (void)state;
    assert_int_equal(domain_fdt_build_domu(&cfg, blob, sizeof(blob), &full), 0);
    for (size = 0; size < full; size++) {
        assert_int_equal(domain_fdt_build_domu(&cfg, blob, size, NULL), -ENOSPC);
    }
    assert_int_equal(domain_fdt_build_domu(&cfg, blob, full, NULL), 0);
}

/* The architecture's part is the architecture's: common code hands the
 * pointer to both hooks as it got it and never looks inside (the struct
 * is not even complete here). */
static void test_arch_part_passed_through(void **state)
{
    static const uint8_t opaque[16];
    const struct arch_domain_fdt_config *arch =
        (const struct arch_domain_fdt_config *)(const void *)opaque;
    struct domain_fdt_config cfg = config();
    struct fdt fdt;

    (void)state;
    cfg.arch = arch;
    arch_seen[0] = NULL;
    arch_seen[1] = NULL;
    (void)build_ok(&cfg, &fdt);
    assert_ptr_equal(arch_seen[0], arch);
    assert_ptr_equal(arch_seen[1], arch);
}

/* ---- Ramdisk placement after the fact ------------------------------------------------------- */

static void test_set_initrd(void **state)
{
    static uint8_t ref[DOMAIN_FDT_XEN417_SIZE];
    struct domain_fdt_config cfg = config();
    struct fdt fdt;
    uint32_t ref_size = 0;
    uint32_t size;

    (void)state;
    cfg.initrd_size = INITRD_SIZE;
    cfg.initrd_start = 0x4c000000U;
    assert_int_equal(domain_fdt_build_domu(&cfg, ref, sizeof(ref), &ref_size), 0);

    /* Built before the place is known, then fixed up: the same bytes. */
    cfg.initrd_start = 0;
    size = build_ok(&cfg, &fdt);
    assert_int_equal(domain_fdt_set_initrd(blob, size, 0x4c000000U, 0x4c000000U + INITRD_SIZE), 0);
    assert_int_equal(size, ref_size);
    assert_memory_equal(blob, ref, size);

    assert_int_equal(domain_fdt_set_initrd(blob, size, 2, 1), -EINVAL);
    assert_int_equal(domain_fdt_set_initrd(blob, size - 1U, 1, 2), -EINVAL);
    assert_memory_equal(blob, ref, size);

    cfg.initrd_size = 0;
    size = build_ok(&cfg, &fdt);
    assert_int_equal(domain_fdt_set_initrd(blob, size, 1, 2), -ENOENT);
}

/* The fake arch's hooks afresh for the group, marking the architecture's
 * places. */
static int setup(void **state)
{
    (void)state;
    fake_reset();
    fake_domain_fdt_set_writer(write_marker);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_and_common_nodes),
        cmocka_unit_test(test_reserved_memory),
        cmocka_unit_test(test_unit_name),
        cmocka_unit_test(test_bad_configs),
        cmocka_unit_test(test_enospc),
        cmocka_unit_test(test_arch_part_passed_through),
        cmocka_unit_test(test_set_initrd),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
