/* Test helper: the device tree writer's sample tree (build_full, a tree
 * using every kind of writer call) and the check that a written blob passes
 * the reader; shared by test_fdt_write and test_fdt_write_errors. The
 * includer has included <cmocka.h>. */
#ifndef TEST_FDT_WRITE_SAMPLE_H
#define TEST_FDT_WRITE_SAMPLE_H

#include <proxenos/fdt.h>
#include <proxenos/fdt_write.h>

/* Records the first failure of a sequence of writer calls and asserts that
 * every call after it returns the same error (errors stick). */
struct seq {
    int first;
    unsigned int calls;
};

static inline void step(struct seq *s, int rc)
{
    s->calls++;
    if (s->first == 0) {
        s->first = rc;
    } else {
        assert_int_equal(rc, s->first);
    }
}

static inline void check_blob(const void *blob, size_t len, struct fdt *fdt)
{
    int rc = fdt_check(fdt, blob, len);

    if (rc != 0) {
        fail_msg("fdt_check: %s at %u", fdt->error, fdt->error_offset);
    }
}

/* A tree using every kind of call. Returns the first error (0 if none). */
static inline int build_full(struct fdt_writer *w, void *buf, size_t size)
{
    static const char *const board[] = { "test,board", "test,generic" };
    static const char *const uart[] = { "arm,pl011", "arm,primecell" };
    static const char *const with_empty[] = { "", "x", "" };
    static const uint32_t ranges[] = { 0x0U, 0x0U, 0x10000000U, 0x100000U };
    static const uint32_t irq[] = { 0U, 1U, 4U };
    static const uint8_t raw[] = { 1U, 2U, 3U, 4U, 5U };
    struct seq s = { 0, 0U };

    step(&s, fdt_writer_init(w, buf, size));
    step(&s, fdt_writer_add_reservation(w, 0x48000000U, 0x1000U));
    step(&s, fdt_writer_add_reservation(w, 0x123456789000ULL, 0x2000U));
    step(&s, fdt_writer_set_boot_cpuid(w, 3U));
    step(&s, fdt_writer_begin_node(w, ""));
    step(&s, fdt_writer_prop_u32(w, "#address-cells", 2U));
    step(&s, fdt_writer_prop_u32(w, "#size-cells", 2U));
    step(&s, fdt_writer_prop_stringlist(w, "compatible", board, 2U));
    step(&s, fdt_writer_prop_string(w, "model", "Proxenos writer test"));
    step(&s, fdt_writer_prop_u32(w, "interrupt-parent", 1U));

    step(&s, fdt_writer_begin_node(w, "chosen"));
    step(&s, fdt_writer_prop_string(w, "bootargs", "console=hvc0 earlycon"));
    step(&s, fdt_writer_prop_u64(w, "linux,initrd-start", 0x48000000U));
    step(&s, fdt_writer_end_node(w));

    step(&s, fdt_writer_begin_node(w, "gic@8000000"));
    step(&s, fdt_writer_prop_string(w, "compatible", "arm,gic-v3"));
    step(&s, fdt_writer_prop_empty(w, "interrupt-controller"));
    step(&s, fdt_writer_prop_u32(w, "#interrupt-cells", 3U));
    step(&s, fdt_writer_prop_begin(w, "reg"));
    step(&s, fdt_writer_prop_append_cells(w, 0x8000000U, 2U));
    step(&s, fdt_writer_prop_append_cells(w, 0x10000U, 2U));
    step(&s, fdt_writer_prop_append_cells(w, 0x80a0000U, 2U));
    step(&s, fdt_writer_prop_append_cells(w, 0xf60000U, 2U));
    step(&s, fdt_writer_prop_end(w));
    step(&s, fdt_writer_prop_u32(w, "linux,phandle", 1U));
    step(&s, fdt_writer_prop_u32(w, "phandle", 1U));
    step(&s, fdt_writer_end_node(w));

    step(&s, fdt_writer_begin_node(w, "soc"));
    step(&s, fdt_writer_prop_string(w, "compatible", "simple-bus"));
    step(&s, fdt_writer_prop_u32(w, "#address-cells", 1U));
    step(&s, fdt_writer_prop_u32(w, "#size-cells", 1U));
    step(&s, fdt_writer_prop_cells(w, "ranges", ranges, 4U));
    step(&s, fdt_writer_begin_node(w, "uart@1000"));
    step(&s, fdt_writer_prop_stringlist(w, "compatible", uart, 2U));
    step(&s, fdt_writer_prop_begin(w, "reg"));
    step(&s, fdt_writer_prop_append_cells(w, 0x1000U, 1U));
    step(&s, fdt_writer_prop_append_cells(w, 0x100U, 1U));
    step(&s, fdt_writer_prop_end(w));
    step(&s, fdt_writer_prop_cells(w, "interrupts", irq, 3U));
    step(&s, fdt_writer_prop_string(w, "status", "okay"));
    step(&s, fdt_writer_prop_stringlist(w, "with-empty", with_empty, 3U));
    step(&s, fdt_writer_prop(w, "raw", raw, (uint32_t)sizeof(raw)));
    step(&s, fdt_writer_prop_cells(w, "no-cells", NULL, 0U));
    step(&s, fdt_writer_end_node(w));
    step(&s, fdt_writer_end_node(w));

    step(&s, fdt_writer_begin_node(w, "memory@40000000"));
    step(&s, fdt_writer_prop_string(w, "device_type", "memory"));
    step(&s, fdt_writer_prop_begin(w, "reg"));
    step(&s, fdt_writer_prop_append_cells(w, 0x40000000U, 2U));
    step(&s, fdt_writer_prop_append_cells(w, 0x80000000U, 2U));
    step(&s, fdt_writer_prop_append(w, "\0\0\0\x02\0\0\0\0", 8U));
    step(&s, fdt_writer_prop_append_cells(w, 0x100000000ULL, 2U));
    step(&s, fdt_writer_prop_end(w));
    step(&s, fdt_writer_end_node(w));

    step(&s, fdt_writer_end_node(w));
    step(&s, fdt_writer_finish(w));
    assert_int_equal(fdt_writer_error(w), s.first);
    return s.first;
}

/* The reference blob of build_full (written once, into a roomy buffer). */
static inline uint8_t *full_blob(uint32_t *size)
{
    static uint8_t buf[4096];
    struct fdt_writer w;

    assert_int_equal(build_full(&w, buf, sizeof(buf)), 0);
    *size = fdt_writer_size(&w);
    assert_true(*size > FDT_WRITER_MIN_SIZE);
    return buf;
}

#endif
