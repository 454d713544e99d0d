/* Flattened device tree: validation, walking, properties and cells.
 * Paths, phandles, reg translation and interrupts are in fdt_addr.c.
 *
 * Layout facts used here (devicetree spec v0.4, chapter 5): a 40-byte
 * big-endian header (36 bytes before version 17), a memory reservation block
 * of (u64 address, u64 size) pairs ended by (0, 0), a structure block of
 * 4-byte aligned tokens and a strings block holding property names.
 */
#include <proxenos/fdt.h>
#include <proxenos/fdt_format.h>
#include <proxenos/errno.h>
#include <proxenos/string.h>

/* Oldest format with the header in fdt_format.h, and newest we can read. */
#define FDT_FIRST_VERSION  16U
#define FDT_LAST_VERSION   17U

/* One token of the structure block. */
struct token {
    uint32_t type;
    uint32_t off;      /* where the token starts */
    uint32_t next;     /* where the token after it starts */
};

uint32_t fdt_be32(const void *p)
{
    const uint8_t *b = p;

    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) |
           ((uint32_t)b[2] << 8) | (uint32_t)b[3];
}

uint64_t fdt_be64(const void *p)
{
    const uint8_t *b = p;

    return ((uint64_t)fdt_be32(b) << 32) | (uint64_t)fdt_be32(&b[4]);
}

uint64_t fdt_read_cells(const void *p, uint32_t cells)
{
    uint64_t v = 0U;

    if (cells == 1U) {
        v = fdt_be32(p);
    } else if (cells == 2U) {
        v = fdt_be64(p);
    } else {
        v = 0U;
    }
    return v;
}

static uint32_t struct_end(const struct fdt *fdt)
{
    return fdt->struct_off + fdt->struct_size;
}

/* Decode the token at 'off'. Returns NULL, or why the token is bad. Every
 * byte the token covers is checked to lie in the structure block. */
static const char *read_token(const struct fdt *fdt, uint32_t off, struct token *t)
{
    uint32_t end = struct_end(fdt);
    uint64_t next;

    if ((off < fdt->struct_off) || (off >= end) || ((end - off) < 4U) ||
        ((off & 3U) != 0U)) {
        return "token outside the structure block";
    }
    t->off = off;
    t->type = fdt_be32(&fdt->blob[off]);
    switch (t->type) {
    case FDT_BEGIN_NODE: {
        const uint8_t *name = &fdt->blob[off + 4U];
        const uint8_t *nul = memchr(name, 0, (size_t)(end - (off + 4U)));

        if (nul == NULL) {
            return "node name not terminated inside the structure block";
        }
        next = (uint64_t)off + 4U + (uint64_t)(nul - name) + 1U;
        break;
    }
    case FDT_PROP: {
        uint32_t len;

        if ((end - off) < FDT_PROP_HEADER_SIZE) {
            return "property header past the end of the structure block";
        }
        len = fdt_be32(&fdt->blob[off + 4U]);
        if (len > (end - (off + FDT_PROP_HEADER_SIZE))) {
            return "property value past the end of the structure block";
        }
        next = (uint64_t)off + FDT_PROP_HEADER_SIZE + len;
        break;
    }
    case FDT_END_NODE:
    case FDT_NOP:
    case FDT_END:
        next = (uint64_t)off + 4U;
        break;
    default:
        return "unknown token (misaligned or corrupt structure block)";
    }
    next = (next + 3U) & ~(uint64_t)3U;
    if (next > end) {
        return "token padding past the end of the structure block";
    }
    t->next = (uint32_t)next;
    return NULL;
}

/* The NUL-terminated string at 'nameoff' in the strings block, or NULL. */
static const char *string_at(const struct fdt *fdt, uint32_t nameoff)
{
    const uint8_t *s;

    if (nameoff >= fdt->strings_size) {
        return NULL;
    }
    s = &fdt->blob[fdt->strings_off + nameoff];
    if (memchr(s, 0, (size_t)(fdt->strings_size - nameoff)) == NULL) {
        return NULL;
    }
    return (const char *)s;
}

static bool is_node(const struct fdt *fdt, int node, struct token *t)
{
    if (node < 0) {
        return false;
    }
    return (read_token(fdt, (uint32_t)node, t) == NULL) && (t->type == FDT_BEGIN_NODE);
}

/* ---- Validation -------------------------------------------------------- */

static int fail(struct fdt *fdt, int rc, const char *why, uint32_t offset)
{
    fdt->error = why;
    fdt->error_offset = offset;
    return rc;
}

static bool ranges_overlap(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
    uint64_t a_end = (uint64_t)a + alen;
    uint64_t b_end = (uint64_t)b + blen;

    return (alen != 0U) && (blen != 0U) && ((uint64_t)a < b_end) && ((uint64_t)b < a_end);
}

/* Offsets of the blocks must lie after the header and inside the blob. */
static int check_header(struct fdt *fdt, size_t maxlen, uint32_t *hdr_size)
{
    const uint8_t *b = fdt->blob;
    uint32_t last_comp;
    uint32_t size;

    if (maxlen < FDT_HDR_SIZE_V17) {
        return fail(fdt, -EINVAL, "buffer smaller than the header", 0U);
    }
    if (fdt_be32(&b[FDT_HDR_MAGIC]) != FDT_MAGIC) {
        return fail(fdt, -EINVAL, "bad magic (not a device tree blob)", FDT_HDR_MAGIC);
    }
    fdt->version = fdt_be32(&b[FDT_HDR_VERSION]);
    last_comp = fdt_be32(&b[FDT_HDR_LAST_COMP]);
    if (fdt->version < FDT_FIRST_VERSION) {
        return fail(fdt, -EOPNOTSUPP, "format version older than 16", FDT_HDR_VERSION);
    }
    if (last_comp > FDT_LAST_VERSION) {
        return fail(fdt, -EOPNOTSUPP, "last compatible version newer than 17",
                    FDT_HDR_LAST_COMP);
    }
    if (last_comp > fdt->version) {
        return fail(fdt, -EINVAL, "last compatible version newer than the version",
                    FDT_HDR_LAST_COMP);
    }
    *hdr_size = (fdt->version >= 17U) ? FDT_HDR_SIZE_V17 : FDT_HDR_SIZE_V16;

    size = fdt_be32(&b[FDT_HDR_TOTALSIZE]);
    if ((size < *hdr_size) || (size > (uint32_t)INT32_MAX)) {
        return fail(fdt, -EINVAL, "bad totalsize", FDT_HDR_TOTALSIZE);
    }
    if ((size_t)size > maxlen) {
        return fail(fdt, -EINVAL, "truncated: totalsize larger than the buffer",
                    FDT_HDR_TOTALSIZE);
    }
    fdt->total_size = size;
    fdt->boot_cpuid = fdt_be32(&b[FDT_HDR_BOOT_CPUID]);

    fdt->rsvmap_off = fdt_be32(&b[FDT_HDR_OFF_RSVMAP]);
    if ((fdt->rsvmap_off < *hdr_size) || (fdt->rsvmap_off > size)) {
        return fail(fdt, -EINVAL, "memory reservation block offset out of range",
                    FDT_HDR_OFF_RSVMAP);
    }
    if ((fdt->rsvmap_off & 7U) != 0U) {
        return fail(fdt, -EINVAL, "memory reservation block not 8-byte aligned",
                    FDT_HDR_OFF_RSVMAP);
    }

    fdt->struct_off = fdt_be32(&b[FDT_HDR_OFF_STRUCT]);
    if ((fdt->struct_off < *hdr_size) || (fdt->struct_off > size)) {
        return fail(fdt, -EINVAL, "structure block offset out of range", FDT_HDR_OFF_STRUCT);
    }
    if ((fdt->struct_off & 3U) != 0U) {
        return fail(fdt, -EINVAL, "structure block not 4-byte aligned", FDT_HDR_OFF_STRUCT);
    }
    if (fdt->version >= 17U) {
        fdt->struct_size = fdt_be32(&b[FDT_HDR_SIZE_STRUCT]);
        if (fdt->struct_size > (size - fdt->struct_off)) {
            return fail(fdt, -EINVAL, "structure block extends past totalsize",
                        FDT_HDR_SIZE_STRUCT);
        }
        if ((fdt->struct_size & 3U) != 0U) {
            return fail(fdt, -EINVAL, "structure block size not a multiple of 4",
                        FDT_HDR_SIZE_STRUCT);
        }
    } else {
        /* No size field yet: the walk finds the end (FDT_END). */
        fdt->struct_size = (size - fdt->struct_off) & ~3U;
    }

    fdt->strings_off = fdt_be32(&b[FDT_HDR_OFF_STRINGS]);
    fdt->strings_size = fdt_be32(&b[FDT_HDR_SIZE_STRINGS]);
    if ((fdt->strings_off < *hdr_size) || (fdt->strings_off > size)) {
        return fail(fdt, -EINVAL, "strings block offset out of range", FDT_HDR_OFF_STRINGS);
    }
    if (fdt->strings_size > (size - fdt->strings_off)) {
        return fail(fdt, -EINVAL, "strings block extends past totalsize",
                    FDT_HDR_SIZE_STRINGS);
    }
    return 0;
}

/* Count the reservation entries; the (0, 0) terminator must be in the blob. */
static int check_rsvmap(struct fdt *fdt)
{
    uint32_t off = fdt->rsvmap_off;
    uint32_t count = 0U;

    for (;;) {
        if ((fdt->total_size - off) < FDT_RSV_ENTRY_SIZE) {
            return fail(fdt, -EINVAL, "memory reservation block not terminated",
                        fdt->rsvmap_off);
        }
        if ((fdt_be64(&fdt->blob[off]) == 0U) && (fdt_be64(&fdt->blob[off + 8U]) == 0U)) {
            break;
        }
        off += FDT_RSV_ENTRY_SIZE;
        count++;
    }
    fdt->rsv_count = count;
    return 0;
}

/* Walk every token once. The walk only moves forward, so it ends. */
static int check_structure(struct fdt *fdt)
{
    uint32_t off = fdt->struct_off;
    uint32_t prev = FDT_BEGIN_NODE;
    uint32_t depth = 0U;
    bool root_done = false;
    struct token t;

    fdt->nr_nodes = 0U;
    for (;;) {
        const char *why = read_token(fdt, off, &t);

        if (why != NULL) {
            return fail(fdt, -EINVAL,
                        (off >= struct_end(fdt)) ? "missing FDT_END" : why, off);
        }
        switch (t.type) {
        case FDT_BEGIN_NODE: {
            const char *name = (const char *)&fdt->blob[off + 4U];

            if (root_done) {
                return fail(fdt, -EINVAL, "node after the root node", off);
            }
            if (depth >= (uint32_t)FDT_MAX_DEPTH) {
                return fail(fdt, -EINVAL, "nodes nested too deeply", off);
            }
            if ((depth > 0U) && (name[0] == '\0')) {
                return fail(fdt, -EINVAL, "node with an empty name", off);
            }
            if ((depth > 0U) && (strchr(name, '/') != NULL)) {
                return fail(fdt, -EINVAL, "node name contains '/'", off);
            }
            depth++;
            fdt->nr_nodes++;
            break;
        }
        case FDT_END_NODE:
            if (depth == 0U) {
                return fail(fdt, -EINVAL, "FDT_END_NODE without a node", off);
            }
            depth--;
            root_done = (depth == 0U);
            break;
        case FDT_PROP: {
            uint32_t nameoff = fdt_be32(&fdt->blob[off + 8U]);
            const char *name;

            if (depth == 0U) {
                return fail(fdt, -EINVAL, "property outside any node", off);
            }
            if ((prev != FDT_BEGIN_NODE) && (prev != FDT_PROP)) {
                return fail(fdt, -EINVAL, "property after a subnode", off);
            }
            if (nameoff >= fdt->strings_size) {
                return fail(fdt, -EINVAL, "property name offset outside the strings block",
                            off + 8U);
            }
            name = string_at(fdt, nameoff);
            if (name == NULL) {
                return fail(fdt, -EINVAL,
                            "property name not terminated inside the strings block", off + 8U);
            }
            if (name[0] == '\0') {
                return fail(fdt, -EINVAL, "empty property name", off + 8U);
            }
            break;
        }
        case FDT_NOP:
            break;
        default: /* FDT_END */
            if (depth != 0U) {
                return fail(fdt, -EINVAL, "FDT_END inside a node (missing FDT_END_NODE)", off);
            }
            if (!root_done) {
                return fail(fdt, -EINVAL, "no root node", off);
            }
            if (fdt->version < 17U) {
                fdt->struct_size = t.next - fdt->struct_off;
            } else if (t.next != struct_end(fdt)) {
                return fail(fdt, -EINVAL, "data after FDT_END in the structure block",
                            t.next);
            } else {
                /* FDT_END is the last token, as it must be. */
            }
            return 0;
        }
        if (t.type != FDT_NOP) {
            prev = t.type;
        }
        off = t.next;
    }
}

/* Siblings must have different names (as dtc enforces), so that a path
 * names one node. Pairwise over each node's children: cheap for real
 * trees, and bounded by the blob size for hostile ones. */
static int check_sibling_names(struct fdt *fdt)
{
    for (int parent = fdt_root(fdt); parent >= 0; parent = fdt_next_node(fdt, parent, NULL)) {
        for (int a = fdt_first_child(fdt, parent); a >= 0; a = fdt_next_sibling(fdt, a)) {
            const char *name = fdt_node_name(fdt, a);

            for (int b = fdt_next_sibling(fdt, a); b >= 0; b = fdt_next_sibling(fdt, b)) {
                if (strcmp(name, fdt_node_name(fdt, b)) == 0) {
                    return fail(fdt, -EINVAL, "two sibling nodes with the same name",
                                (uint32_t)b);
                }
            }
        }
    }
    return 0;
}

static int check_layout(struct fdt *fdt, uint32_t hdr_size)
{
    uint32_t rsv_size = (fdt->rsv_count + 1U) * FDT_RSV_ENTRY_SIZE;

    if (ranges_overlap(fdt->rsvmap_off, rsv_size, fdt->struct_off, fdt->struct_size)) {
        return fail(fdt, -EINVAL, "memory reservation and structure blocks overlap",
                    fdt->rsvmap_off);
    }
    if (ranges_overlap(fdt->rsvmap_off, rsv_size, fdt->strings_off, fdt->strings_size)) {
        return fail(fdt, -EINVAL, "memory reservation and strings blocks overlap",
                    fdt->rsvmap_off);
    }
    if (ranges_overlap(fdt->struct_off, fdt->struct_size, fdt->strings_off,
                       fdt->strings_size)) {
        return fail(fdt, -EINVAL, "structure and strings blocks overlap", fdt->struct_off);
    }
    /* Offsets were checked to be >= hdr_size, so nothing overlaps the header. */
    (void)hdr_size;
    return 0;
}

int fdt_check(struct fdt *fdt, const void *blob, size_t maxlen)
{
    uint32_t hdr_size = FDT_HDR_SIZE_V17;
    int rc;

    memset(fdt, 0, sizeof(*fdt));
    if (blob == NULL) {
        return fail(fdt, -EINVAL, "no device tree", 0U);
    }
    fdt->blob = blob;
    rc = check_header(fdt, maxlen, &hdr_size);
    if (rc == 0) {
        rc = check_rsvmap(fdt);
    }
    if ((rc == 0) && (fdt->version >= 17U)) {
        /* Block sizes are known: reject overlaps before looking inside. */
        rc = check_layout(fdt, hdr_size);
    }
    if (rc == 0) {
        rc = check_structure(fdt);
    }
    if ((rc == 0) && (fdt->version < 17U)) {
        rc = check_layout(fdt, hdr_size);
    }
    if (rc == 0) {
        rc = check_sibling_names(fdt);
    }
    if (rc != 0) {
        /* Leave nothing usable behind a failed check. */
        fdt->blob = NULL;
        fdt->total_size = 0U;
        fdt->struct_size = 0U;
        fdt->strings_size = 0U;
        fdt->rsv_count = 0U;
        fdt->nr_nodes = 0U;
        return rc;
    }
    fdt->error = NULL;
    fdt->error_offset = 0U;
    return 0;
}

/* ---- Nodes ------------------------------------------------------------- */

int fdt_root(const struct fdt *fdt)
{
    uint32_t off = fdt->struct_off;
    struct token t;

    /* Leading NOPs are allowed before the root. */
    while (read_token(fdt, off, &t) == NULL) {
        if (t.type == FDT_BEGIN_NODE) {
            return (int)off;
        }
        if (t.type != FDT_NOP) {
            break;
        }
        off = t.next;
    }
    return -EINVAL;
}

int fdt_next_node(const struct fdt *fdt, int node, int *depth)
{
    struct token t;
    uint32_t off;

    if (!is_node(fdt, node, &t)) {
        return -EINVAL;
    }
    off = t.next;
    for (;;) {
        if (read_token(fdt, off, &t) != NULL) {
            return -EINVAL;
        }
        if (t.type == FDT_BEGIN_NODE) {
            if (depth != NULL) {
                (*depth)++;
            }
            return (int)off;
        }
        if (t.type == FDT_END_NODE) {
            if (depth != NULL) {
                (*depth)--;
                if (*depth < 0) {
                    return -ENOENT;
                }
            }
        } else if (t.type == FDT_END) {
            return -ENOENT;
        } else {
            /* FDT_PROP, FDT_NOP: skipped. */
        }
        off = t.next;
    }
}

int fdt_first_child(const struct fdt *fdt, int node)
{
    int depth = 0;
    int child = fdt_next_node(fdt, node, &depth);

    if ((child >= 0) && (depth != 1)) {
        child = -ENOENT;
    }
    return child;
}

int fdt_next_sibling(const struct fdt *fdt, int node)
{
    uint32_t nesting = 0U;
    uint32_t off;
    struct token t;

    if (!is_node(fdt, node, &t)) {
        return -EINVAL;
    }
    /* Skip the node's whole subtree, then NOPs: a sibling starts next,
     * anything else ends the parent. */
    off = (uint32_t)node;
    do {
        if (read_token(fdt, off, &t) != NULL) {
            return -EINVAL;
        }
        if (t.type == FDT_BEGIN_NODE) {
            nesting++;
        } else if (t.type == FDT_END_NODE) {
            nesting--;
        } else if (t.type == FDT_END) {
            return -ENOENT;
        } else {
            /* FDT_PROP, FDT_NOP */
        }
        off = t.next;
    } while (nesting > 0U);
    for (;;) {
        if (read_token(fdt, off, &t) != NULL) {
            return -EINVAL;
        }
        if (t.type == FDT_BEGIN_NODE) {
            return (int)off;
        }
        if (t.type != FDT_NOP) {
            return -ENOENT;
        }
        off = t.next;
    }
}

int fdt_ancestors(const struct fdt *fdt, int node, int chain[FDT_MAX_DEPTH])
{
    int depth = 0;
    int off = fdt_root(fdt);

    if (off < 0) {
        return off;
    }
    chain[0] = off;
    while (off != node) {
        off = fdt_next_node(fdt, off, &depth);
        if (off < 0) {
            return (off == -EINVAL) ? -EINVAL : -ENOENT;
        }
        if ((depth <= 0) || (depth >= FDT_MAX_DEPTH)) {
            return -EINVAL;   /* only a blob that skipped fdt_check() */
        }
        chain[depth] = off;
    }
    return depth + 1;
}

int fdt_parent(const struct fdt *fdt, int node)
{
    int chain[FDT_MAX_DEPTH];
    int n = fdt_ancestors(fdt, node, chain);

    if (n < 0) {
        return n;
    }
    return (n >= 2) ? chain[n - 2] : -ENOENT;
}

int fdt_node_depth(const struct fdt *fdt, int node)
{
    int chain[FDT_MAX_DEPTH];
    int n = fdt_ancestors(fdt, node, chain);

    return (n < 0) ? n : (n - 1);
}

const char *fdt_node_name(const struct fdt *fdt, int node)
{
    struct token t;

    if (!is_node(fdt, node, &t)) {
        return NULL;
    }
    return (const char *)&fdt->blob[(uint32_t)node + 4U];
}

bool fdt_node_name_is(const struct fdt *fdt, int node, const char *base)
{
    const char *name = fdt_node_name(fdt, node);
    size_t n = strlen(base);

    if ((name == NULL) || (strncmp(name, base, n) != 0)) {
        return false;
    }
    return (name[n] == '\0') || (name[n] == '@');
}

int fdt_node_path(const struct fdt *fdt, int node, char *buf, size_t size)
{
    int chain[FDT_MAX_DEPTH];
    int n = fdt_ancestors(fdt, node, chain);
    size_t used = 0U;

    if (n < 0) {
        return n;
    }
    if (size < 2U) {
        return -ENAMETOOLONG;
    }
    buf[0] = '/';
    buf[1] = '\0';
    used = (n == 1) ? 1U : 0U;
    for (int i = 1; i < n; i++) {
        const char *name = fdt_node_name(fdt, chain[i]);
        size_t len = strlen(name);

        if ((len + 2U) > (size - used)) {
            buf[0] = '\0';
            return -ENAMETOOLONG;
        }
        buf[used] = '/';
        memcpy(&buf[used + 1U], name, len + 1U);
        used += len + 1U;
    }
    return (used > (size_t)INT32_MAX) ? -ENAMETOOLONG : (int)used;
}

bool fdt_stringlist_contains(const void *list, uint32_t len, const char *str)
{
    const char *p = list;
    size_t want = strlen(str);
    size_t left = len;

    while (left > 0U) {
        const char *nul = memchr(p, 0, left);
        size_t n;

        if (nul == NULL) {
            return false;   /* unterminated last string: not a match */
        }
        n = (size_t)(nul - p);
        if ((n == want) && (memcmp(p, str, n) == 0)) {
            return true;
        }
        p = nul + 1;
        left -= n + 1U;
    }
    return false;
}

bool fdt_node_is_compatible(const struct fdt *fdt, int node, const char *compat)
{
    uint32_t len = 0U;
    const void *list = fdt_getprop(fdt, node, "compatible", &len);

    return (list != NULL) && fdt_stringlist_contains(list, len, compat);
}

int fdt_find_compatible(const struct fdt *fdt, int from, const char *compat)
{
    int off = (from < 0) ? fdt_root(fdt) : fdt_next_node(fdt, from, NULL);

    while (off >= 0) {
        if (fdt_node_is_compatible(fdt, off, compat)) {
            return off;
        }
        off = fdt_next_node(fdt, off, NULL);
    }
    return off;
}

bool fdt_node_is_available(const struct fdt *fdt, int node)
{
    uint32_t len = 0U;
    const char *status = fdt_getprop(fdt, node, "status", &len);

    if (status == NULL) {
        return true;
    }
    return ((len >= 5U) && (memcmp(status, "okay", 5U) == 0)) ||
           ((len >= 3U) && (memcmp(status, "ok", 3U) == 0));
}

/* ---- Properties -------------------------------------------------------- */

/* The first FDT_PROP at or after 'off' before any other token but NOP. */
static int prop_from(const struct fdt *fdt, uint32_t off)
{
    struct token t;

    while (read_token(fdt, off, &t) == NULL) {
        if (t.type == FDT_PROP) {
            return (int)off;
        }
        if (t.type != FDT_NOP) {
            return -ENOENT;
        }
        off = t.next;
    }
    return -EINVAL;
}

int fdt_first_prop(const struct fdt *fdt, int node)
{
    struct token t;

    if (!is_node(fdt, node, &t)) {
        return -EINVAL;
    }
    return prop_from(fdt, t.next);
}

int fdt_next_prop(const struct fdt *fdt, int prop)
{
    struct token t;

    if ((prop < 0) || (read_token(fdt, (uint32_t)prop, &t) != NULL) ||
        (t.type != FDT_PROP)) {
        return -EINVAL;
    }
    return prop_from(fdt, t.next);
}

int fdt_prop_at(const struct fdt *fdt, int prop, struct fdt_property *out)
{
    struct token t;
    uint32_t off = (uint32_t)prop;

    if ((prop < 0) || (read_token(fdt, off, &t) != NULL) || (t.type != FDT_PROP)) {
        return -EINVAL;
    }
    out->name = string_at(fdt, fdt_be32(&fdt->blob[off + 8U]));
    if (out->name == NULL) {
        return -EINVAL;
    }
    out->len = fdt_be32(&fdt->blob[off + 4U]);
    out->value = &fdt->blob[off + FDT_PROP_HEADER_SIZE];
    return 0;
}

const void *fdt_getprop(const struct fdt *fdt, int node, const char *name, uint32_t *len)
{
    int prop = fdt_first_prop(fdt, node);

    while (prop >= 0) {
        struct fdt_property p;

        if ((fdt_prop_at(fdt, prop, &p) == 0) && (strcmp(p.name, name) == 0)) {
            if (len != NULL) {
                *len = p.len;
            }
            return p.value;
        }
        prop = fdt_next_prop(fdt, prop);
    }
    return NULL;
}

int fdt_getprop_u32(const struct fdt *fdt, int node, const char *name, uint32_t *out)
{
    uint32_t len = 0U;
    const void *v = fdt_getprop(fdt, node, name, &len);

    if (v == NULL) {
        return -ENOENT;
    }
    if (len != 4U) {
        return -EINVAL;
    }
    *out = fdt_be32(v);
    return 0;
}

int fdt_getprop_u64(const struct fdt *fdt, int node, const char *name, uint64_t *out)
{
    uint32_t len = 0U;
    const void *v = fdt_getprop(fdt, node, name, &len);

    if (v == NULL) {
        return -ENOENT;
    }
    if (len != 8U) {
        return -EINVAL;
    }
    *out = fdt_be64(v);
    return 0;
}

const char *fdt_getprop_string(const struct fdt *fdt, int node, const char *name)
{
    uint32_t len = 0U;
    const char *v = fdt_getprop(fdt, node, name, &len);

    if ((v == NULL) || (len == 0U) || (v[len - 1U] != '\0')) {
        return NULL;
    }
    return v;
}

/* ---- Memory reservation block ------------------------------------------ */

uint32_t fdt_rsv_count(const struct fdt *fdt)
{
    return fdt->rsv_count;
}

int fdt_rsv_entry(const struct fdt *fdt, uint32_t index, uint64_t *addr, uint64_t *size)
{
    uint32_t off;

    if (index >= fdt->rsv_count) {
        return -ENOENT;
    }
    off = fdt->rsvmap_off + (index * FDT_RSV_ENTRY_SIZE);
    *addr = fdt_be64(&fdt->blob[off]);
    *size = fdt_be64(&fdt->blob[off + 8U]);
    return 0;
}
