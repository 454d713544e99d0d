/* Sequential flattened-device-tree writer (see fdt_write.h).
 *
 * Buffer layout while writing:
 *
 *     [0, 40)                      header, zero until finish
 *     [40, rsv_end)                memory reservation entries
 *     [struct_off, pos)            structure block (after the (0,0) entry)
 *     ... free ...
 *     [size - strings_len, size)   strings, each new one below the last
 *
 * Because the strings block grows downwards, its final offsets are only
 * known at finish. Until then a property's nameoff field holds the string's
 * distance from the end of the buffer (size - position), which does not
 * change as more strings are added; finish moves the block down behind the
 * structure block and rewrites each nameoff as strings_len - distance.
 *
 * Everything only grows, so the space in use never exceeds the finished
 * blob: checking "in use + what this call adds <= size" at every step fails
 * exactly when the buffer is smaller than the result.
 */
#include <proxenos/fdt_write.h>
#include <proxenos/errno.h>
#include <proxenos/fdt.h>
#include <proxenos/fdt_format.h>
#include <proxenos/string.h>

#define FDT_VERSION         17U
#define FDT_LAST_COMP       16U

#define TOKEN_SIZE          4U

/* What the writer expects next. */
enum phase {
    PHASE_RSV = 1,      /* reservations, then the root node */
    PHASE_STRUCT,       /* nodes and properties */
    PHASE_PROP,         /* appends to the open property, then its end */
    PHASE_DONE,         /* finished: nothing more */
};

static uint32_t align4(uint32_t x)
{
    return (x + 3U) & ~3U;
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) |
           (uint32_t)p[3];
}

/* Record the first failure; every later call reports it. */
static int fail(struct fdt_writer *w, int rc)
{
    if (w->error == 0) {
        w->error = rc;
    }
    return w->error;
}

/* Bytes free between the structure block and the strings. */
static uint32_t room(const struct fdt_writer *w)
{
    return w->size - w->strings_len - w->pos;
}

/* Append len bytes (data, or zeros when data is NULL) to the structure block. */
static int emit(struct fdt_writer *w, const void *data, uint32_t len)
{
    if (len > room(w)) {
        return fail(w, -ENOSPC);
    }
    if (data != NULL) {
        memcpy(&w->buf[w->pos], data, len);
    } else {
        memset(&w->buf[w->pos], 0, len);
    }
    w->pos += len;
    return 0;
}

static int emit_be32(struct fdt_writer *w, uint32_t v)
{
    uint8_t b[4];

    put_be32(b, v);
    return emit(w, b, 4U);
}

/* Zero bytes up to the next multiple of 4. */
static int emit_pad(struct fdt_writer *w)
{
    return emit(w, NULL, align4(w->pos) - w->pos);
}

/* A name must be 1..FDT_WRITER_NAME_MAX printable ASCII characters; node
 * names may not contain '/' (it separates path components). */
static int check_name(const char *name, bool is_node, uint32_t *len)
{
    size_t n;
    size_t i;

    if (name == NULL) {
        return -EINVAL;
    }
    n = strnlen(name, (size_t)FDT_WRITER_NAME_MAX + 1U);
    if ((n == 0U) || (n > (size_t)FDT_WRITER_NAME_MAX)) {
        return -EINVAL;
    }
    for (i = 0U; i < n; i++) {
        uint8_t c = (uint8_t)name[i];

        if ((c < 0x21U) || (c > 0x7eU) || (is_node && (c == (uint8_t)'/'))) {
            return -EINVAL;
        }
    }
    *len = (uint32_t)n;
    return 0;
}

/* The distance from the end of the buffer of a stored copy of name (n bytes
 * plus NUL): an existing string equal to it or ending in it, else a new one. */
static int add_string(struct fdt_writer *w, const char *name, uint32_t n, uint32_t *dist)
{
    uint32_t p = w->size - w->strings_len;

    while (p < w->size) {
        uint32_t l = (uint32_t)strnlen((const char *)&w->buf[p], (size_t)(w->size - p));

        if ((l >= n) && (memcmp(&w->buf[p + l - n], name, n) == 0)) {
            *dist = w->size - (p + l - n);
            return 0;
        }
        p += l + 1U;
    }
    if ((n + 1U) > room(w)) {
        return fail(w, -ENOSPC);
    }
    w->strings_len += n + 1U;
    memcpy(&w->buf[w->size - w->strings_len], name, n + 1U);
    *dist = w->strings_len;
    return 0;
}

/* The checks every call starts with: no earlier failure, and the phase the
 * call belongs to. */
static int expect(struct fdt_writer *w, enum phase phase)
{
    if (w->error != 0) {
        return w->error;
    }
    if (w->phase != (uint32_t)phase) {
        return fail(w, -EINVAL);
    }
    return 0;
}

int fdt_writer_init(struct fdt_writer *w, void *buf, size_t size)
{
    memset(w, 0, sizeof(*w));
    if (buf == NULL) {
        return fail(w, -EINVAL);
    }
    w->buf = buf;
    w->size = (size > (size_t)INT32_MAX) ? (uint32_t)INT32_MAX : (uint32_t)size;
    if (w->size < FDT_WRITER_MIN_SIZE) {
        w->size = 0U;
        return fail(w, -ENOSPC);
    }
    /* A failed blob must not keep the magic of whatever was here before. */
    memset(w->buf, 0, FDT_HDR_SIZE_V17);
    w->rsv_end = FDT_HDR_SIZE_V17;
    w->phase = (uint32_t)PHASE_RSV;
    return 0;
}

int fdt_writer_add_reservation(struct fdt_writer *w, uint64_t addr, uint64_t size)
{
    int rc = expect(w, PHASE_RSV);

    if (rc != 0) {
        return rc;
    }
    if ((size == 0U) || (addr > (UINT64_MAX - size))) {
        return fail(w, -EINVAL);
    }
    /* This entry and the (0, 0) one that ends the block. */
    if ((w->size - w->rsv_end) < (2U * FDT_RSV_ENTRY_SIZE)) {
        return fail(w, -ENOSPC);
    }
    put_be32(&w->buf[w->rsv_end], (uint32_t)(addr >> 32));
    put_be32(&w->buf[w->rsv_end + 4U], (uint32_t)addr);
    put_be32(&w->buf[w->rsv_end + 8U], (uint32_t)(size >> 32));
    put_be32(&w->buf[w->rsv_end + 12U], (uint32_t)size);
    w->rsv_end += FDT_RSV_ENTRY_SIZE;
    return 0;
}

int fdt_writer_set_boot_cpuid(struct fdt_writer *w, uint32_t cpuid)
{
    if (w->error != 0) {
        return w->error;
    }
    if (w->phase == (uint32_t)PHASE_DONE) {
        return fail(w, -EINVAL);
    }
    w->boot_cpuid = cpuid;
    return 0;
}

/* The root: end the reservation block and start the structure block. */
static int begin_root(struct fdt_writer *w, const char *name)
{
    if (name[0] != '\0') {
        return fail(w, -EINVAL);
    }
    if ((w->size - w->rsv_end) < FDT_RSV_ENTRY_SIZE) {
        return fail(w, -ENOSPC);
    }
    memset(&w->buf[w->rsv_end], 0, FDT_RSV_ENTRY_SIZE);
    w->struct_off = w->rsv_end + FDT_RSV_ENTRY_SIZE;
    w->pos = w->struct_off;
    w->phase = (uint32_t)PHASE_STRUCT;
    return 0;
}

int fdt_writer_begin_node(struct fdt_writer *w, const char *name)
{
    uint32_t len = 0U;
    int rc;

    if (w->error != 0) {
        return w->error;
    }
    if (name == NULL) {
        return fail(w, -EINVAL);
    }
    if (w->phase == (uint32_t)PHASE_RSV) {
        rc = begin_root(w, name);
    } else if ((w->phase != (uint32_t)PHASE_STRUCT) || (w->depth == 0U)) {
        /* In a property, finished, or a second root. */
        rc = fail(w, -EINVAL);
    } else if (w->depth >= (uint32_t)FDT_MAX_DEPTH) {
        /* Our reader (and Linux) refuse deeper trees. */
        rc = fail(w, -EINVAL);
    } else {
        rc = check_name(name, true, &len);
        if (rc != 0) {
            rc = fail(w, rc);
        }
    }
    if (rc == 0) {
        rc = emit_be32(w, FDT_BEGIN_NODE);
    }
    if (rc == 0) {
        rc = emit(w, name, len + 1U);
    }
    if (rc == 0) {
        rc = emit_pad(w);
    }
    if (rc == 0) {
        w->depth++;
        w->after_child = false;
    }
    return rc;
}

int fdt_writer_end_node(struct fdt_writer *w)
{
    int rc = expect(w, PHASE_STRUCT);

    if (rc != 0) {
        return rc;
    }
    if (w->depth == 0U) {
        return fail(w, -EINVAL);
    }
    rc = emit_be32(w, FDT_END_NODE);
    if (rc == 0) {
        w->depth--;
        /* The parent now has a child: no more properties for it. */
        w->after_child = true;
        w->root_done = (w->depth == 0U);
    }
    return rc;
}

int fdt_writer_prop_begin(struct fdt_writer *w, const char *name)
{
    uint32_t len = 0U;
    uint32_t dist = 0U;
    int rc = expect(w, PHASE_STRUCT);

    if (rc != 0) {
        return rc;
    }
    if ((w->depth == 0U) || w->after_child) {
        return fail(w, -EINVAL);
    }
    rc = check_name(name, false, &len);
    if (rc != 0) {
        return fail(w, rc);
    }
    rc = add_string(w, name, len, &dist);
    if (rc == 0) {
        w->prop_off = w->pos;
        rc = emit_be32(w, FDT_PROP);
    }
    if (rc == 0) {
        rc = emit_be32(w, 0U);        /* length, filled in by prop_end */
    }
    if (rc == 0) {
        rc = emit_be32(w, dist);      /* made a real nameoff by finish */
    }
    if (rc == 0) {
        w->phase = (uint32_t)PHASE_PROP;
    }
    return rc;
}

int fdt_writer_prop_append(struct fdt_writer *w, const void *data, uint32_t len)
{
    int rc = expect(w, PHASE_PROP);

    if (rc != 0) {
        return rc;
    }
    if ((data == NULL) && (len != 0U)) {
        return fail(w, -EINVAL);
    }
    return emit(w, data, len);
}

int fdt_writer_prop_append_cells(struct fdt_writer *w, uint64_t value, uint32_t cells)
{
    int rc = expect(w, PHASE_PROP);

    if (rc != 0) {
        return rc;
    }
    if (cells > 2U) {
        return fail(w, -EINVAL);
    }
    if (((cells == 0U) && (value != 0U)) ||
        ((cells == 1U) && (value > (uint64_t)UINT32_MAX))) {
        return fail(w, -ERANGE);
    }
    if (cells == 2U) {
        rc = emit_be32(w, (uint32_t)(value >> 32));
    }
    if ((rc == 0) && (cells != 0U)) {
        rc = emit_be32(w, (uint32_t)value);
    }
    return rc;
}

int fdt_writer_prop_end(struct fdt_writer *w)
{
    int rc = expect(w, PHASE_PROP);

    if (rc != 0) {
        return rc;
    }
    put_be32(&w->buf[w->prop_off + 4U], w->pos - w->prop_off - FDT_PROP_HEADER_SIZE);
    rc = emit_pad(w);
    if (rc == 0) {
        w->phase = (uint32_t)PHASE_STRUCT;
    }
    return rc;
}

int fdt_writer_prop(struct fdt_writer *w, const char *name, const void *value, uint32_t len)
{
    int rc = fdt_writer_prop_begin(w, name);

    if (rc == 0) {
        rc = fdt_writer_prop_append(w, value, len);
    }
    if (rc == 0) {
        rc = fdt_writer_prop_end(w);
    }
    return rc;
}

int fdt_writer_prop_empty(struct fdt_writer *w, const char *name)
{
    return fdt_writer_prop(w, name, NULL, 0U);
}

int fdt_writer_prop_u32(struct fdt_writer *w, const char *name, uint32_t value)
{
    uint8_t b[4];

    put_be32(b, value);
    return fdt_writer_prop(w, name, b, (uint32_t)sizeof(b));
}

int fdt_writer_prop_u64(struct fdt_writer *w, const char *name, uint64_t value)
{
    uint8_t b[8];

    put_be32(&b[0], (uint32_t)(value >> 32));
    put_be32(&b[4], (uint32_t)value);
    return fdt_writer_prop(w, name, b, (uint32_t)sizeof(b));
}

int fdt_writer_prop_cells(struct fdt_writer *w, const char *name, const uint32_t *cells,
                          uint32_t n)
{
    int rc = fdt_writer_prop_begin(w, name);
    uint32_t i;

    if ((rc == 0) && (cells == NULL) && (n != 0U)) {
        rc = fail(w, -EINVAL);
    }
    for (i = 0U; (rc == 0) && (i < n); i++) {
        rc = emit_be32(w, cells[i]);
    }
    if (rc == 0) {
        rc = fdt_writer_prop_end(w);
    }
    return rc;
}

/* Append str with its NUL. The length is only looked for as far as the
 * space left, so a string too long for the buffer is never read to its end. */
static int append_string(struct fdt_writer *w, const char *str)
{
    uint32_t avail = room(w);
    size_t len;

    if (str == NULL) {
        return fail(w, -EINVAL);
    }
    len = strnlen(str, (size_t)avail);
    if (len >= (size_t)avail) {
        return fail(w, -ENOSPC);
    }
    return emit(w, str, (uint32_t)len + 1U);
}

int fdt_writer_prop_string(struct fdt_writer *w, const char *name, const char *str)
{
    int rc = fdt_writer_prop_begin(w, name);

    if (rc == 0) {
        rc = append_string(w, str);
    }
    if (rc == 0) {
        rc = fdt_writer_prop_end(w);
    }
    return rc;
}

int fdt_writer_prop_stringlist(struct fdt_writer *w, const char *name,
                               const char *const *strs, uint32_t n)
{
    int rc = fdt_writer_prop_begin(w, name);
    uint32_t i;

    if ((rc == 0) && (strs == NULL) && (n != 0U)) {
        rc = fail(w, -EINVAL);
    }
    for (i = 0U; (rc == 0) && (i < n); i++) {
        rc = append_string(w, strs[i]);
    }
    if (rc == 0) {
        rc = fdt_writer_prop_end(w);
    }
    return rc;
}

/* Turn every property's distance-from-the-end into its offset in the final
 * strings block. The walk only moves forward over tokens this file wrote. */
static int fix_name_offsets(struct fdt_writer *w, uint32_t struct_end)
{
    uint32_t off = w->struct_off;

    while (off < struct_end) {
        uint32_t token = get_be32(&w->buf[off]);

        if (token == FDT_BEGIN_NODE) {
            const uint8_t *name = &w->buf[off + TOKEN_SIZE];
            const uint8_t *nul = memchr(name, 0, (size_t)(struct_end - (off + TOKEN_SIZE)));

            if (nul == NULL) {
                return -EINVAL;
            }
            off = align4(off + TOKEN_SIZE + (uint32_t)(nul - name) + 1U);
        } else if (token == FDT_PROP) {
            uint32_t len;
            uint32_t dist;

            if ((struct_end - off) < FDT_PROP_HEADER_SIZE) {
                return -EINVAL;
            }
            len = get_be32(&w->buf[off + 4U]);
            dist = get_be32(&w->buf[off + 8U]);
            if ((dist == 0U) || (dist > w->strings_len) ||
                (len > (struct_end - off - FDT_PROP_HEADER_SIZE))) {
                return -EINVAL;
            }
            put_be32(&w->buf[off + 8U], w->strings_len - dist);
            off = align4(off + FDT_PROP_HEADER_SIZE + len);
        } else if ((token == FDT_END_NODE) || (token == FDT_NOP)) {
            off += TOKEN_SIZE;
        } else if (token == FDT_END) {
            return 0;
        } else {
            return -EINVAL;
        }
    }
    return -EINVAL;
}

int fdt_writer_finish(struct fdt_writer *w)
{
    uint32_t struct_end;
    uint8_t *h = w->buf;
    int rc = expect(w, PHASE_STRUCT);

    if (rc != 0) {
        return rc;
    }
    if ((w->depth != 0U) || !w->root_done) {
        return fail(w, -EINVAL);
    }
    rc = emit_be32(w, FDT_END);
    if (rc != 0) {
        return rc;
    }
    struct_end = w->pos;
    /* The strings may overlap their new place when the buffer is nearly full. */
    memmove(&w->buf[struct_end], &w->buf[w->size - w->strings_len], w->strings_len);
    rc = fix_name_offsets(w, struct_end);
    if (rc != 0) {
        /* Only a bug in this file can get here. */
        return fail(w, rc);
    }
    w->total = struct_end + w->strings_len;
    put_be32(&h[FDT_HDR_MAGIC], FDT_MAGIC);
    put_be32(&h[FDT_HDR_TOTALSIZE], w->total);
    put_be32(&h[FDT_HDR_OFF_STRUCT], w->struct_off);
    put_be32(&h[FDT_HDR_OFF_STRINGS], struct_end);
    put_be32(&h[FDT_HDR_OFF_RSVMAP], FDT_HDR_SIZE_V17);
    put_be32(&h[FDT_HDR_VERSION], FDT_VERSION);
    put_be32(&h[FDT_HDR_LAST_COMP], FDT_LAST_COMP);
    put_be32(&h[FDT_HDR_BOOT_CPUID], w->boot_cpuid);
    put_be32(&h[FDT_HDR_SIZE_STRINGS], w->strings_len);
    put_be32(&h[FDT_HDR_SIZE_STRUCT], struct_end - w->struct_off);
    w->phase = (uint32_t)PHASE_DONE;
    return 0;
}

uint32_t fdt_writer_size(const struct fdt_writer *w)
{
    if ((w->error != 0) || (w->phase != (uint32_t)PHASE_DONE)) {
        return 0U;
    }
    return w->total;
}

int fdt_writer_error(const struct fdt_writer *w)
{
    return w->error;
}
