/* libFuzzer target: the device-tree reader (fdt.c, fdt_addr.c), the boot
 * information scan (bootinfo.c) and the command-line parser (cmdline.c)
 * over arbitrary bytes. Every blob fdt_check() accepts is walked in full
 * and every lookup the hypervisor makes at boot is tried, with invariants
 * that must hold for any accepted input. ASan/UBSan catch the rest. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <proxenos/boot_ram.h>
#include <proxenos/bootinfo.h>
#include <proxenos/cmdline.h>
#include <proxenos/errno.h>
#include <proxenos/fdt.h>
#include <proxenos/printk.h>

/* The compatibles the console driver would hand bootinfo_find_uart (the
 * PL011's: the fuzzer links no driver). */
static const char *const UARTS[] = { "arm,pl011", "arm,sbsa-uart" };

#define CHECK(cond) do { \
    if (!(cond)) { \
        fprintf(stderr, "invariant failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
        abort(); \
    } \
} while (0)

/* cmdline.c's default reporter prints; the harness passes its own, but
 * the symbol must exist. */
void printk(enum log_level level, const char *fmt, ...)
{
    (void)level;
    (void)fmt;
}

static bool in_blob(const struct fdt *fdt, const void *p, size_t len)
{
    const uint8_t *b = p;

    return (b >= fdt->blob) && (len <= fdt->total_size) &&
           ((size_t)(b - fdt->blob) <= (fdt->total_size - len));
}

/* A string returned from the tree lies inside the blob, NUL included. */
static void check_string(const struct fdt *fdt, const char *s)
{
    if (s != NULL) {
        CHECK(in_blob(fdt, s, strlen(s) + 1U));
    }
}

static void walk_properties(const struct fdt *fdt, int node)
{
    unsigned int n = 0;

    for (int p = fdt_first_prop(fdt, node); p >= 0; p = fdt_next_prop(fdt, p)) {
        struct fdt_property prop;
        uint32_t len = 0;
        const void *v;

        CHECK(fdt_prop_at(fdt, p, &prop) == 0);
        check_string(fdt, prop.name);
        CHECK(in_blob(fdt, prop.value, prop.len));
        /* By-name lookup finds this property or an earlier namesake. */
        v = fdt_getprop(fdt, node, prop.name, &len);
        CHECK(v != NULL);
        CHECK(in_blob(fdt, v, len));
        n++;
    }
    (void)n;
}

static void walk_addresses(const struct fdt *fdt, int node)
{
    int count = fdt_reg_count(fdt, node);
    uint64_t a;
    uint64_t s;
    uint32_t intid;
    uint32_t flags;

    for (int i = 0; (count > 0) && (i < count) && (i < 16); i++) {
        int raw = fdt_reg_raw(fdt, node, (uint32_t)i, &a, &s);
        int rc = fdt_reg(fdt, node, (uint32_t)i, &a, &s);

        /* Translation can only fail where the raw read worked, or for the
         * same reason. */
        CHECK((raw == 0) || (rc == raw));
    }
    for (uint32_t i = 0; i < 8U; i++) {
        int rc = fdt_irq(fdt, node, i, &intid, &flags);

        if (rc != 0) {
            break;
        }
        CHECK(((intid >= 16U) && (intid < 1020U)) || ((intid >= 1056U) && (intid < 1120U)) ||
              ((intid >= 4096U) && (intid < 5120U)));
    }
}

/* Walk every node: structure, paths, parents, phandles. */
static void walk_tree(const struct fdt *fdt)
{
    int depth = 0;
    int node = fdt_root(fdt);
    uint32_t nodes = 0;

    CHECK(node >= 0);
    while (node >= 0) {
        const char *name = fdt_node_name(fdt, node);
        char path[512];
        int plen;
        uint32_t phandle;

        nodes++;
        CHECK(name != NULL);
        check_string(fdt, name);
        CHECK(fdt_node_depth(fdt, node) == depth);
        if (depth > 0) {
            int parent = fdt_parent(fdt, node);
            int child;
            bool seen = false;

            CHECK(parent >= 0);
            /* The node is among its parent's children. */
            for (child = fdt_first_child(fdt, parent); child >= 0;
                 child = fdt_next_sibling(fdt, child)) {
                seen = seen || (child == node);
            }
            CHECK(seen);
        } else {
            CHECK(fdt_parent(fdt, node) == -ENOENT);
        }
        plen = fdt_node_path(fdt, node, path, sizeof(path));
        if (plen > 0) {
            /* Sibling names are unique (fdt_check), so a node's path
             * leads back to it. */
            CHECK(fdt_path_offset(fdt, path, (size_t)plen) == node);
        }
        if ((fdt_getprop_u32(fdt, node, "phandle", &phandle) == 0) && (phandle != 0U) &&
            (phandle != 0xffffffffU)) {
            CHECK(fdt_node_by_phandle(fdt, phandle) >= 0);
        }
        (void)fdt_node_is_available(fdt, node);
        (void)fdt_node_is_compatible(fdt, node, "arm,gic-v3");
        (void)fdt_address_cells(fdt, node);
        (void)fdt_size_cells(fdt, node);
        walk_properties(fdt, node);
        walk_addresses(fdt, node);
        node = fdt_next_node(fdt, node, &depth);
    }
    CHECK(node == -ENOENT);
    CHECK(nodes == fdt->nr_nodes);
}

static void walk_aliases(const struct fdt *fdt)
{
    int aliases = fdt_path_offset(fdt, "/aliases", 8);

    if (aliases < 0) {
        return;
    }
    for (int p = fdt_first_prop(fdt, aliases); p >= 0; p = fdt_next_prop(fdt, p)) {
        struct fdt_property prop;
        struct boot_uart uart;

        CHECK(fdt_prop_at(fdt, p, &prop) == 0);
        (void)fdt_path_offset(fdt, prop.name, strlen(prop.name));
        (void)bootinfo_find_uart(fdt, prop.name, UARTS, 2U, &uart);
    }
}

static bool opt_bool;
static uint32_t opt_uint;
static uint64_t opt_size;
static char opt_string[32];

static int parse_custom(const char *value)
{
    return (cmdline_strcmp(value, "dtuart") == 0) ? 0 : -EINVAL;
}

static const struct cmdline_param fuzz_params[] = {
    { .name = "sync_console", .type = PARAM_TYPE_BOOL, .len = sizeof(opt_bool), .var = &opt_bool },
    { .name = "dom0_max_vcpus", .type = PARAM_TYPE_UINT, .len = sizeof(opt_uint),
      .var = &opt_uint },
    { .name = "dom0_mem", .type = PARAM_TYPE_SIZE, .len = sizeof(opt_size), .var = &opt_size },
    { .name = "dtuart", .type = PARAM_TYPE_STRING, .len = sizeof(opt_string),
      .var = opt_string },
    { .name = "console", .type = PARAM_TYPE_CUSTOM, .parse = parse_custom },
};

static void ignore_report(const char *key, const char *value, int rc)
{
    CHECK(key != NULL);
    CHECK(rc < 0);
    (void)value;
}

/* The bank check (boot_ram.c) keeps some banks and ignores the rest; the
 * banks kept overlap one another nowhere. */
static void check_ram_banks(struct boot_info *bi)
{
    uint32_t before = bi->nr_ram;
    uint32_t ignored = boot_ram_check(bi);

    CHECK(ignored + bi->nr_ram == before);
    for (uint32_t i = 0; i < bi->nr_ram; i++) {
        for (uint32_t j = i + 1U; j < bi->nr_ram; j++) {
            const struct boot_range *a = &bi->ram[i];
            const struct boot_range *b = &bi->ram[j];

            CHECK((a->start + a->size <= b->start) || (b->start + b->size <= a->start) ||
                  (a->start + a->size < a->start) || (b->start + b->size < b->start));
        }
    }
}

static void check_bootinfo(const struct fdt *fdt)
{
    static struct boot_info bi;
    struct boot_uart uart;
    int rc = bootinfo_scan(&bi, fdt);

    if (rc != 0) {
        CHECK(bi.error != NULL);
        return;
    }
    CHECK(bi.nr_ram <= BOOTINFO_MAX_RAM_BANKS);
    CHECK(bi.nr_reserved <= BOOTINFO_MAX_RESERVED);
    CHECK(bi.nr_modules <= BOOTINFO_MAX_MODULES);
    CHECK(bi.nr_cpus <= CONFIG_NR_CPUS);
    for (uint32_t i = 0; i < bi.nr_ram; i++) {
        CHECK(bi.ram[i].size != 0U);
        CHECK(bi.ram[i].start + (bi.ram[i].size - 1U) >= bi.ram[i].start);
    }
    check_ram_banks(&bi);
    for (uint32_t i = 0; i < bi.nr_modules; i++) {
        const struct boot_module *m = &bi.modules[i];

        check_string(fdt, m->cmdline);
        check_string(fdt, m->domain_name);
        CHECK((m->domain < 0) == (m->domain_name == NULL));
    }
    for (uint32_t i = 0; i < bi.nr_cpus; i++) {
        CHECK((bi.cpus[i].hw_id & ~0xff00ffffffULL) == 0U);
        check_string(fdt, bi.cpus[i].enable_method);
    }
    check_string(fdt, bi.xen_cmdline);
    check_string(fdt, bi.dom0_cmdline);
    (void)bootinfo_is_dom0less(&bi);
    (void)bootinfo_find_module(&bi, BOOTMOD_KERNEL, -1);

    (void)cmdline_parse_params(bi.xen_cmdline, fuzz_params,
                               fuzz_params + (sizeof(fuzz_params) / sizeof(fuzz_params[0])),
                               ignore_report);
    CHECK(memchr(opt_string, 0, sizeof(opt_string)) != NULL);

    if (bootinfo_find_uart(fdt, "", UARTS, 2U, &uart) == 0) {
        CHECK(uart.node >= 0);
        CHECK(uart.compatible != NULL);
    }
    (void)bootinfo_find_uart(fdt, opt_string, UARTS, 2U, &uart);
    (void)bootinfo_find_uart(fdt, "serial0:115200n8", UARTS, 2U, &uart);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy, so ASan sees any read past the end. */
    uint8_t *blob = malloc((size != 0U) ? size : 1U);
    struct fdt fdt;

    if (blob == NULL) {
        return 0;
    }
    memcpy(blob, data, size);
    if (fdt_check(&fdt, blob, size) == 0) {
        CHECK(fdt.error == NULL);
        CHECK(fdt.total_size <= size);
        for (uint32_t i = 0; i < fdt_rsv_count(&fdt); i++) {
            uint64_t a;
            uint64_t s;

            CHECK(fdt_rsv_entry(&fdt, i, &a, &s) == 0);
        }
        walk_tree(&fdt);
        walk_aliases(&fdt);
        check_bootinfo(&fdt);
    } else {
        CHECK(fdt.error != NULL);
    }
    /* The command-line parser on raw text too. */
    if ((size > 0U) && (size < 1024U) && (data[size - 1U] == '\0')) {
        (void)cmdline_parse_params((const char *)blob, fuzz_params,
                                   fuzz_params + (sizeof(fuzz_params) / sizeof(fuzz_params[0])),
                                   ignore_report);
    }
    free(blob);
    return 0;
}
