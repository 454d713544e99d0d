/* Test helper: a device tree blob, loaded from tests/unit/common/data/ or
 * built here, and what bootinfo_scan() read from it; shared by the
 * test_bootinfo* tests. The includer has included <cmocka.h>. */
#ifndef TEST_BOOTINFO_SCAN_H
#define TEST_BOOTINFO_SCAN_H

#include <proxenos/bootinfo.h>
#include <proxenos/fdt.h>
#include "fdt_builder.h"

/* A loaded or built blob and what was scanned from it. */
struct scanned {
    uint8_t *blob;
    struct fb *fb;
    struct fdt fdt;
    struct boot_info bi;
};

static inline struct scanned *scan_fixture(const char *name)
{
    struct scanned *s = calloc(1, sizeof(*s));
    size_t len;

    s->blob = fb_load_fixture(name, &len);
    assert_int_equal(fdt_check(&s->fdt, s->blob, len), 0);
    assert_int_equal(bootinfo_scan(&s->bi, &s->fdt), 0);
    return s;
}

/* Check and scan a built blob; returns bootinfo_scan()'s result. */
static inline int scan_built(struct scanned *s)
{
    fb_finish(s->fb);
    assert_int_equal(fdt_check(&s->fdt, s->fb->out, s->fb->out_len), 0);
    return bootinfo_scan(&s->bi, &s->fdt);
}

/* The root node with 2+2 cells, as QEMU and most boards have. */
static inline void begin_root(struct fb *b)
{
    fb_begin(b, "");
    fb_prop_u32(b, "#address-cells", 2);
    fb_prop_u32(b, "#size-cells", 2);
}

static inline struct scanned *new_built(void)
{
    struct scanned *s = calloc(1, sizeof(*s));

    s->fb = fb_new();
    return s;
}

static inline void free_scanned(struct scanned *s)
{
    free(s->blob);
    free(s->fb);
    free(s);
}

static inline void assert_range(const struct boot_range *r, paddr_t start, paddr_t size)
{
    assert_int_equal(r->start, start);
    assert_int_equal(r->size, size);
}

#endif
