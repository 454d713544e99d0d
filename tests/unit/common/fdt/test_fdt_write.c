/* Device tree writer: blobs it writes pass our reader (and dtc) and read
 * back as written; names are stored once. How it fails (no space, misuse)
 * is in test_fdt_write_errors.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <proxenos/errno.h>
#include <proxenos/fdt.h>
#include <proxenos/fdt_write.h>
#include <proxenos/lib.h>
#include "fdt_write_sample.h"

/* ---- Round trips ------------------------------------------------------------------ */

static void test_minimal_tree(void **state)
{
    uint8_t buf[FDT_WRITER_MIN_SIZE];
    struct fdt_writer w;
    struct fdt fdt;

    (void)state;
    assert_int_equal(fdt_writer_init(&w, buf, sizeof(buf)), 0);
    assert_int_equal(fdt_writer_begin_node(&w, ""), 0);
    assert_int_equal(fdt_writer_end_node(&w), 0);
    assert_int_equal(fdt_writer_finish(&w), 0);
    assert_int_equal(fdt_writer_size(&w), FDT_WRITER_MIN_SIZE);
    check_blob(buf, sizeof(buf), &fdt);
    assert_int_equal(fdt.version, 17);
    assert_int_equal(fdt_be32(&buf[24]), 16);        /* last_comp_version */
    assert_int_equal(fdt.rsvmap_off, 40);
    assert_int_equal(fdt.rsv_count, 0);
    assert_int_equal(fdt.nr_nodes, 1);
    assert_int_equal(fdt.strings_size, 0);
    assert_int_equal(fdt.struct_off, 56);
    assert_int_equal(fdt.struct_size, 16);
    assert_int_equal(fdt_first_prop(&fdt, fdt_root(&fdt)), -ENOENT);
}

static void test_full_tree_reads_back(void **state)
{
    uint32_t size;
    const uint8_t *blob = full_blob(&size);
    struct fdt fdt;
    uint64_t addr;
    uint64_t sz;
    uint32_t v32;
    uint64_t v64;
    uint32_t len;
    const uint8_t *p;
    int node;

    (void)state;
    check_blob(blob, size, &fdt);
    assert_int_equal(fdt.total_size, size);
    assert_int_equal(fdt.boot_cpuid, 3);
    assert_int_equal(fdt.nr_nodes, 6);
    /* Blocks in dtc's order with no gaps: header, reservations, structure,
     * strings. */
    assert_int_equal(fdt.rsvmap_off, 40);
    assert_int_equal(fdt.struct_off, 40 + 3 * 16);
    assert_int_equal(fdt.strings_off, fdt.struct_off + fdt.struct_size);
    assert_int_equal(fdt.strings_off + fdt.strings_size, size);

    assert_int_equal(fdt_rsv_count(&fdt), 2);
    assert_int_equal(fdt_rsv_entry(&fdt, 0, &addr, &sz), 0);
    assert_int_equal(addr, 0x48000000U);
    assert_int_equal(sz, 0x1000U);
    assert_int_equal(fdt_rsv_entry(&fdt, 1, &addr, &sz), 0);
    assert_int_equal(addr, 0x123456789000ULL);
    assert_int_equal(sz, 0x2000U);

    node = fdt_root(&fdt);
    assert_true(fdt_node_is_compatible(&fdt, node, "test,board"));
    assert_true(fdt_node_is_compatible(&fdt, node, "test,generic"));
    assert_string_equal(fdt_getprop_string(&fdt, node, "model"), "Proxenos writer test");
    assert_int_equal(fdt_address_cells(&fdt, node), 2);
    assert_int_equal(fdt_size_cells(&fdt, node), 2);

    node = fdt_path_offset(&fdt, "/chosen", 7);
    assert_true(node >= 0);
    assert_string_equal(fdt_getprop_string(&fdt, node, "bootargs"), "console=hvc0 earlycon");
    assert_int_equal(fdt_getprop_u64(&fdt, node, "linux,initrd-start", &v64), 0);
    assert_int_equal(v64, 0x48000000U);

    node = fdt_path_offset(&fdt, "/gic", 4);
    assert_true(node >= 0);
    assert_int_equal(fdt_node_by_phandle(&fdt, 1), node);
    assert_non_null(fdt_getprop(&fdt, node, "interrupt-controller", &len));
    assert_int_equal(len, 0);
    assert_int_equal(fdt_reg_count(&fdt, node), 2);
    assert_int_equal(fdt_reg(&fdt, node, 1, &addr, &sz), 0);
    assert_int_equal(addr, 0x80a0000U);
    assert_int_equal(sz, 0xf60000U);

    /* Translated through /soc's ranges; interrupt (its decoding is the
     * architecture's) read back as written. */
    node = fdt_path_offset(&fdt, "/soc/uart@1000", 14);
    assert_true(node >= 0);
    assert_true(fdt_node_is_compatible(&fdt, node, "arm,primecell"));
    assert_int_equal(fdt_reg(&fdt, node, 0, &addr, &sz), 0);
    assert_int_equal(addr, 0x10001000U);
    assert_int_equal(sz, 0x100U);
    assert_int_equal(fdt_node_by_phandle(&fdt, 1), fdt_path_offset(&fdt, "/gic", 4));
    p = fdt_getprop(&fdt, node, "interrupts", &len);
    assert_int_equal(len, 12);
    assert_memory_equal(p, "\0\0\0\0\0\0\0\1\0\0\0\4", 12);
    assert_true(fdt_node_is_available(&fdt, node));
    p = fdt_getprop(&fdt, node, "with-empty", &len);
    assert_int_equal(len, 4);
    assert_memory_equal(p, "\0x\0\0", 4);
    p = fdt_getprop(&fdt, node, "raw", &len);
    assert_int_equal(len, 5);
    assert_memory_equal(p, "\1\2\3\4\5", 5);
    assert_non_null(fdt_getprop(&fdt, node, "no-cells", &len));
    assert_int_equal(len, 0);
    assert_int_equal(fdt_getprop_u32(&fdt, fdt_parent(&fdt, node), "#size-cells", &v32), 0);
    assert_int_equal(v32, 1);

    node = fdt_path_offset(&fdt, "/memory", 7);
    assert_true(node >= 0);
    assert_int_equal(fdt_reg_count(&fdt, node), 2);
    assert_int_equal(fdt_reg(&fdt, node, 0, &addr, &sz), 0);
    assert_int_equal(addr, 0x40000000U);
    assert_int_equal(sz, 0x80000000U);
    assert_int_equal(fdt_reg(&fdt, node, 1, &addr, &sz), 0);
    assert_int_equal(addr, 0x200000000ULL);
    assert_int_equal(sz, 0x100000000ULL);
}

/* Walk every node: names in document order, as written. */
static void test_document_order(void **state)
{
    static const char *const expect[] = {
        "/", "/chosen", "/gic@8000000", "/soc", "/soc/uart@1000", "/memory@40000000",
    };
    uint32_t size;
    const uint8_t *blob = full_blob(&size);
    struct fdt fdt;
    char path[64];
    int depth = 0;
    int node;
    size_t i = 0;

    (void)state;
    check_blob(blob, size, &fdt);
    for (node = fdt_root(&fdt); node >= 0; node = fdt_next_node(&fdt, node, &depth)) {
        assert_true(i < ARRAY_SIZE(expect));
        assert_true(fdt_node_path(&fdt, node, path, sizeof(path)) > 0);
        assert_string_equal(path, expect[i]);
        i++;
    }
    assert_int_equal(i, ARRAY_SIZE(expect));
}

static void test_unaligned_buffer(void **state)
{
    static uint8_t buf[4096 + 3];
    uint32_t size;
    const uint8_t *ref = full_blob(&size);
    struct fdt_writer w;
    struct fdt fdt;

    (void)state;
    assert_int_equal(build_full(&w, &buf[3], 4096), 0);
    assert_int_equal(fdt_writer_size(&w), size);
    assert_memory_equal(&buf[3], ref, size);
    check_blob(&buf[3], size, &fdt);
}

/* ---- Strings block --------------------------------------------------------------------- */

static uint32_t strings_size_of(const uint8_t *blob, uint32_t size)
{
    struct fdt fdt;

    check_blob(blob, size, &fdt);
    return fdt.strings_size;
}

static void test_strings_deduplicated(void **state)
{
    uint8_t buf[1024];
    struct fdt_writer w;
    struct fdt fdt;
    struct fdt_property prop;
    unsigned int i;
    int node;
    int off;

    (void)state;
    assert_int_equal(fdt_writer_init(&w, buf, sizeof(buf)), 0);
    assert_int_equal(fdt_writer_begin_node(&w, ""), 0);
    for (i = 0; i < 5U; i++) {
        char name[16];

        snprintf(name, sizeof(name), "n%u", i);
        assert_int_equal(fdt_writer_begin_node(&w, name), 0);
        assert_int_equal(fdt_writer_prop_u32(&w, "reg", i), 0);
        assert_int_equal(fdt_writer_prop_string(&w, "compatible", "x"), 0);
        assert_int_equal(fdt_writer_end_node(&w), 0);
    }
    assert_int_equal(fdt_writer_end_node(&w), 0);
    assert_int_equal(fdt_writer_finish(&w), 0);
    /* Each name once. Like libfdt's sequential writer (and so like the
     * trees Xen makes) the newest name comes first. */
    assert_int_equal(strings_size_of(buf, fdt_writer_size(&w)), 4 + 11);
    check_blob(buf, fdt_writer_size(&w), &fdt);
    assert_memory_equal(&buf[fdt.strings_off], "compatible\0reg\0", 15);
    node = fdt_path_offset(&fdt, "/n4", 3);
    off = fdt_first_prop(&fdt, node);
    assert_int_equal(fdt_prop_at(&fdt, off, &prop), 0);
    assert_string_equal(prop.name, "reg");
    assert_int_equal(fdt_prop_at(&fdt, fdt_next_prop(&fdt, off), &prop), 0);
    assert_string_equal(prop.name, "compatible");
}

/* A name that is the tail of a stored one shares its bytes. */
static void build_two_names(uint8_t *buf, size_t size, const char *a, const char *b,
                            uint32_t *out)
{
    struct fdt_writer w;

    assert_int_equal(fdt_writer_init(&w, buf, size), 0);
    assert_int_equal(fdt_writer_begin_node(&w, ""), 0);
    assert_int_equal(fdt_writer_prop_u32(&w, a, 1U), 0);
    assert_int_equal(fdt_writer_prop_u32(&w, b, 2U), 0);
    assert_int_equal(fdt_writer_end_node(&w), 0);
    assert_int_equal(fdt_writer_finish(&w), 0);
    *out = fdt_writer_size(&w);
}

static void test_strings_share_suffix(void **state)
{
    uint8_t buf[256];
    uint32_t size;
    uint32_t v;
    struct fdt fdt;

    (void)state;
    build_two_names(buf, sizeof(buf), "linux,phandle", "phandle", &size);
    assert_int_equal(strings_size_of(buf, size), 14);
    check_blob(buf, size, &fdt);
    assert_int_equal(fdt_getprop_u32(&fdt, fdt_root(&fdt), "linux,phandle", &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(fdt_getprop_u32(&fdt, fdt_root(&fdt), "phandle", &v), 0);
    assert_int_equal(v, 2);
    assert_int_equal(fdt_node_by_phandle(&fdt, 2), fdt_root(&fdt));

    /* The other way round both are stored: a string is never extended. */
    build_two_names(buf, sizeof(buf), "phandle", "linux,phandle", &size);
    assert_int_equal(strings_size_of(buf, size), 8 + 14);
    check_blob(buf, size, &fdt);
    assert_int_equal(fdt_getprop_u32(&fdt, fdt_root(&fdt), "phandle", &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(fdt_getprop_u32(&fdt, fdt_root(&fdt), "linux,phandle", &v), 0);
    assert_int_equal(v, 2);

    /* "cells" is a tail of "#address-cells", but "ss-cells" of nothing
     * that ends right: only whole tails match. */
    build_two_names(buf, sizeof(buf), "#address-cells", "cells", &size);
    assert_int_equal(strings_size_of(buf, size), 15);
    build_two_names(buf, sizeof(buf), "#address-cells", "#address", &size);
    assert_int_equal(strings_size_of(buf, size), 15 + 9);
}

/* ---- dtc agrees ----------------------------------------------------------------------------- */

/* Decompile blob with dtc into out (NUL-terminated). False if dtc is not
 * installed. */
static bool dtc_decompile(const uint8_t *blob, uint32_t size, char *out, size_t out_size)
{
    char path[] = "/tmp/pxn-fdt-write-XXXXXX";
    char cmd[128];
    FILE *f;
    size_t n;
    int fd;
    int status;

    if (access("/usr/bin/dtc", X_OK) != 0) {
        return false;
    }
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, blob, size), (ssize_t)size);
    close(fd);
    snprintf(cmd, sizeof(cmd), "/usr/bin/dtc -q -I dtb -O dts %s 2>&1", path);
    f = popen(cmd, "r");
    assert_non_null(f);
    n = fread(out, 1, out_size - 1U, f);
    out[n] = '\0';
    status = pclose(f);
    unlink(path);
    if (status != 0) {
        fail_msg("dtc failed:\n%s", out);
    }
    return true;
}

static void test_dtc_reads_it(void **state)
{
    static const char *const lines[] = {
        "/memreserve/\t0x0000000048000000 0x0000000000001000;",
        "/memreserve/\t0x0000123456789000 0x0000000000002000;",
        "compatible = \"test,board\\0test,generic\";",
        "bootargs = \"console=hvc0 earlycon\";",
        "linux,initrd-start = <0x00 0x48000000>;",
        "gic@8000000 {",
        "interrupt-controller;",
        "reg = <0x00 0x8000000 0x00 0x10000 0x00 0x80a0000 0x00 0xf60000>;",
        "uart@1000 {",
        "interrupts = <0x00 0x01 0x04>;",
        "compatible = \"arm,pl011\\0arm,primecell\";",
        "raw = [01 02 03 04 05];",
        "reg = <0x00 0x40000000 0x00 0x80000000 0x02 0x00 0x01 0x00>;",
    };
    static char out[8192];
    uint32_t size;
    const uint8_t *blob = full_blob(&size);
    size_t i;

    (void)state;
    if (!dtc_decompile(blob, size, out, sizeof(out))) {
        skip();
    }
    for (i = 0; i < ARRAY_SIZE(lines); i++) {
        if (strstr(out, lines[i]) == NULL) {
            fail_msg("dtc output lacks '%s':\n%s", lines[i], out);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal_tree),
        cmocka_unit_test(test_full_tree_reads_back),
        cmocka_unit_test(test_document_order),
        cmocka_unit_test(test_unaligned_buffer),
        cmocka_unit_test(test_strings_deduplicated),
        cmocka_unit_test(test_strings_share_suffix),
        cmocka_unit_test(test_dtc_reads_it),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
