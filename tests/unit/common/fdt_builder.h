/* Test helper: build device tree blobs in C, correct or deliberately
 * broken, and load the blobs under tests/unit/common/data/.
 * Header-only so that any test can include it without extra sources. */
#ifndef TEST_FDT_BUILDER_H
#define TEST_FDT_BUILDER_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FB_STRUCT_MAX  (256U * 1024U)
#define FB_STRINGS_MAX (16U * 1024U)
#define FB_RSV_MAX     128U
#define FB_OUT_MAX     (FB_STRUCT_MAX + FB_STRINGS_MAX + (FB_RSV_MAX * 16U) + 256U)

#define FB_BEGIN_NODE 1U
#define FB_END_NODE   2U
#define FB_PROP       3U
#define FB_NOP        4U
#define FB_END        9U

/* Header field offsets, for tests that corrupt them. */
#define FB_HDR_MAGIC         0U
#define FB_HDR_TOTALSIZE     4U
#define FB_HDR_OFF_STRUCT    8U
#define FB_HDR_OFF_STRINGS   12U
#define FB_HDR_OFF_RSVMAP    16U
#define FB_HDR_VERSION       20U
#define FB_HDR_LAST_COMP     24U
#define FB_HDR_BOOT_CPUID    28U
#define FB_HDR_SIZE_STRINGS  32U
#define FB_HDR_SIZE_STRUCT   36U

struct fb {
    uint8_t st[FB_STRUCT_MAX];
    size_t st_len;
    char strings[FB_STRINGS_MAX];
    size_t strings_len;
    uint64_t rsv[FB_RSV_MAX][2];
    size_t nr_rsv;
    bool no_end;                 /* finish without the FDT_END token */
    uint8_t out[FB_OUT_MAX];
    size_t out_len;
};

static inline void fb_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline uint32_t fb_get32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline struct fb *fb_new(void)
{
    struct fb *b = calloc(1, sizeof(*b));

    if (b == NULL) {
        abort();
    }
    return b;
}

static inline void fb_bytes(struct fb *b, const void *data, size_t len)
{
    if (b->st_len + len > sizeof(b->st)) {
        abort();
    }
    memcpy(&b->st[b->st_len], data, len);
    b->st_len += len;
}

static inline void fb_pad(struct fb *b)
{
    while ((b->st_len & 3U) != 0U) {
        b->st[b->st_len++] = 0;
    }
}

/* A raw big-endian word in the structure block (tokens, broken or not). */
static inline void fb_word(struct fb *b, uint32_t v)
{
    uint8_t w[4];

    fb_put32(w, v);
    fb_bytes(b, w, 4);
}

static inline uint32_t fb_string(struct fb *b, const char *name)
{
    size_t off = 0;

    /* Reuse an existing copy, as dtc does. */
    while (off < b->strings_len) {
        if (strcmp(&b->strings[off], name) == 0) {
            return (uint32_t)off;
        }
        off += strlen(&b->strings[off]) + 1U;
    }
    off = b->strings_len;
    if (off + strlen(name) + 1U > sizeof(b->strings)) {
        abort();
    }
    memcpy(&b->strings[off], name, strlen(name) + 1U);
    b->strings_len += strlen(name) + 1U;
    return (uint32_t)off;
}

static inline void fb_begin(struct fb *b, const char *name)
{
    fb_word(b, FB_BEGIN_NODE);
    fb_bytes(b, name, strlen(name) + 1U);
    fb_pad(b);
}

static inline void fb_end(struct fb *b)
{
    fb_word(b, FB_END_NODE);
}

/* A property with an explicit name offset (for out-of-range tests). */
static inline void fb_prop_nameoff(struct fb *b, uint32_t nameoff, const void *data, size_t len)
{
    fb_word(b, FB_PROP);
    fb_word(b, (uint32_t)len);
    fb_word(b, nameoff);
    fb_bytes(b, data, len);
    fb_pad(b);
}

static inline void fb_prop(struct fb *b, const char *name, const void *data, size_t len)
{
    fb_prop_nameoff(b, fb_string(b, name), data, len);
}

static inline void fb_prop_empty(struct fb *b, const char *name)
{
    fb_prop(b, name, "", 0);
}

static inline void fb_prop_str(struct fb *b, const char *name, const char *s)
{
    fb_prop(b, name, s, strlen(s) + 1U);
}

/* A string list: the strings, then NULL. */
static inline void fb_prop_strs(struct fb *b, const char *name, ...)
{
    char buf[512];
    size_t len = 0;
    const char *s;
    va_list ap;

    va_start(ap, name);
    while ((s = va_arg(ap, const char *)) != NULL) {
        size_t n = strlen(s) + 1U;

        if (len + n > sizeof(buf)) {
            abort();
        }
        memcpy(&buf[len], s, n);
        len += n;
    }
    va_end(ap);
    fb_prop(b, name, buf, len);
}

/* n cells given as uint32_t arguments. */
static inline void fb_prop_cells(struct fb *b, const char *name, unsigned int n, ...)
{
    uint8_t buf[4 * 64];
    va_list ap;

    if (n > 64U) {
        abort();
    }
    va_start(ap, n);
    for (unsigned int i = 0; i < n; i++) {
        fb_put32(&buf[4U * i], va_arg(ap, uint32_t));
    }
    va_end(ap);
    fb_prop(b, name, buf, 4U * n);
}

static inline void fb_prop_u32(struct fb *b, const char *name, uint32_t v)
{
    fb_prop_cells(b, name, 1, v);
}

static inline void fb_rsv(struct fb *b, uint64_t addr, uint64_t size)
{
    if (b->nr_rsv >= FB_RSV_MAX) {
        abort();
    }
    b->rsv[b->nr_rsv][0] = addr;
    b->rsv[b->nr_rsv][1] = size;
    b->nr_rsv++;
}

/* Lay the blob out as dtc does: header, reservation map, structure block,
 * strings block. Returns b->out; its size is b->out_len. */
static inline uint8_t *fb_finish(struct fb *b)
{
    size_t rsv_off = 40U;
    size_t st_off = rsv_off + (b->nr_rsv + 1U) * 16U;
    size_t st_len;
    size_t str_off;

    if (!b->no_end) {
        fb_word(b, FB_END);
    }
    st_len = b->st_len;
    str_off = st_off + st_len;
    memset(b->out, 0, sizeof(b->out));
    fb_put32(&b->out[FB_HDR_MAGIC], 0xd00dfeedU);
    fb_put32(&b->out[FB_HDR_TOTALSIZE], (uint32_t)(str_off + b->strings_len));
    fb_put32(&b->out[FB_HDR_OFF_STRUCT], (uint32_t)st_off);
    fb_put32(&b->out[FB_HDR_OFF_STRINGS], (uint32_t)str_off);
    fb_put32(&b->out[FB_HDR_OFF_RSVMAP], (uint32_t)rsv_off);
    fb_put32(&b->out[FB_HDR_VERSION], 17U);
    fb_put32(&b->out[FB_HDR_LAST_COMP], 16U);
    fb_put32(&b->out[FB_HDR_BOOT_CPUID], 0U);
    fb_put32(&b->out[FB_HDR_SIZE_STRINGS], (uint32_t)b->strings_len);
    fb_put32(&b->out[FB_HDR_SIZE_STRUCT], (uint32_t)st_len);
    for (size_t i = 0; i < b->nr_rsv; i++) {
        uint8_t *e = &b->out[rsv_off + 16U * i];

        fb_put32(&e[0], (uint32_t)(b->rsv[i][0] >> 32));
        fb_put32(&e[4], (uint32_t)b->rsv[i][0]);
        fb_put32(&e[8], (uint32_t)(b->rsv[i][1] >> 32));
        fb_put32(&e[12], (uint32_t)b->rsv[i][1]);
    }
    memcpy(&b->out[st_off], b->st, st_len);
    memcpy(&b->out[str_off], b->strings, b->strings_len);
    b->out_len = str_off + b->strings_len;
    return b->out;
}

static inline void fb_set_hdr(struct fb *b, uint32_t field, uint32_t v)
{
    fb_put32(&b->out[field], v);
}

static inline uint32_t fb_hdr(const struct fb *b, uint32_t field)
{
    return fb_get32(&b->out[field]);
}

/* Read tests/unit/common/data/<name> (found next to this header, through
 * __FILE__, whatever the working directory). Aborts if it is missing. */
static inline uint8_t *fb_load_fixture(const char *name, size_t *len)
{
    char path[4096];
    const char *here = __FILE__;
    const char *slash = strrchr(here, '/');
    size_t dir_len = (slash != NULL) ? (size_t)(slash - here) : 0U;
    uint8_t *buf;
    FILE *f;
    long n;

    if (slash != NULL) {
        snprintf(path, sizeof(path), "%.*s/data/%s", (int)dir_len, here, name);
    } else {
        snprintf(path, sizeof(path), "data/%s", name);
    }
    f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open fixture %s\n", path);
        abort();
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n);
    if ((buf == NULL) || (fread(buf, 1, (size_t)n, f) != (size_t)n)) {
        abort();
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

#endif
