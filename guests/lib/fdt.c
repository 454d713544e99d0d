/*
 * Flattened device tree reader (format: Devicetree Specification v0.4,
 * chapter 5). Only what the guests need: walking nodes, reading
 * properties, matching compatible strings and decoding reg.
 */
#include "fdt.h"
#include "string.h"

#define FDT_MAGIC       0xd00dfeedU
#define FDT_BEGIN_NODE  1U
#define FDT_END_NODE    2U
#define FDT_PROP        3U
#define FDT_NOP         4U
#define FDT_END         9U
#define FDT_HDR_SIZE    40U
#define FDT_MAX_DEPTH   16
#define FDT_MAX_SIZE    0x200000U   /* 2 MiB: far more than any guest tree */

uint32_t fdt_be32(const void *p)
{
    const uint8_t *b = p;

    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) |
           ((uint32_t)b[2] << 8) | (uint32_t)b[3];
}

uint64_t fdt_cells_value(const void *p, uint32_t cells)
{
    const uint8_t *b = p;
    uint64_t v = 0U;
    uint32_t i;

    for (i = 0U; i < cells; i++) {
        v = (v << 32) | (uint64_t)fdt_be32(&b[i * 4U]);
    }
    return v;
}

static uint32_t align4(uint32_t v)
{
    return (v + 3U) & ~3U;
}

int fdt_open(struct fdt *f, const void *blob)
{
    const uint8_t *b = blob;
    uint32_t total;
    uint32_t last_comp_version;

    if ((blob == NULL) || ((((uintptr_t)blob) & 3U) != 0U)) {
        return -1;
    }
    if (fdt_be32(&b[0]) != FDT_MAGIC) {
        return -2;
    }
    total = fdt_be32(&b[4]);
    last_comp_version = fdt_be32(&b[24]);
    if ((total < FDT_HDR_SIZE) || (total > FDT_MAX_SIZE) || (last_comp_version > 17U)) {
        return -3;
    }
    f->blob = b;
    f->totalsize = total;
    f->off_struct = fdt_be32(&b[8]);
    f->off_strings = fdt_be32(&b[12]);
    f->size_strings = fdt_be32(&b[32]);
    f->size_struct = fdt_be32(&b[36]);
    if ((f->off_struct > total) || (f->size_struct > (total - f->off_struct)) ||
        (f->off_strings > total) || (f->size_strings > (total - f->off_strings)) ||
        ((f->off_struct & 3U) != 0U)) {
        return -4;
    }
    return 0;
}

/* Token at structure offset off, or FDT_END if off is out of range. */
static uint32_t token_at(const struct fdt *f, uint32_t off)
{
    if ((off > f->size_struct) || ((f->size_struct - off) < 4U)) {
        return FDT_END;
    }
    return fdt_be32(&f->blob[f->off_struct + off]);
}

/*
 * Offset just past the token at off, or 0 when the token is damaged
 * (0 can never follow a token, so it doubles as the error value).
 */
static uint32_t token_skip(const struct fdt *f, uint32_t off, uint32_t tag)
{
    const uint8_t *s = &f->blob[f->off_struct];
    uint32_t next;
    uint32_t len;

    if ((off > f->size_struct) || ((f->size_struct - off) < 4U)) {
        return 0U;  /* also catches FDT_NONE passed in as a node */
    }
    next = off + 4U;
    if (tag == FDT_BEGIN_NODE) {
        uint32_t room = f->size_struct - next;
        uint32_t n = (uint32_t)strnlen((const char *)&s[next], room);

        if (n >= room) {
            return 0U;
        }
        next = align4(next + n + 1U);
    } else if (tag == FDT_PROP) {
        if ((f->size_struct - next) < 8U) {
            return 0U;
        }
        len = fdt_be32(&s[next]);
        if (len > (f->size_struct - next - 8U)) {
            return 0U;
        }
        next = align4(next + 8U + len);
    } else if ((tag == FDT_END_NODE) || (tag == FDT_NOP)) {
        /* bare token */
    } else {
        return 0U;
    }
    return (next <= f->size_struct) ? next : 0U;
}

int fdt_next_node(const struct fdt *f, int node, int *depth)
{
    uint32_t off;
    int level;

    if (node == FDT_NONE) {
        off = 0U;
        level = *depth - 1;     /* the first node comes back at *depth */
    } else {
        off = token_skip(f, (uint32_t)node, FDT_BEGIN_NODE);
        level = *depth;
    }
    /* off grows by at least 4 each round and token_at stops at the end */
    for (;;) {
        uint32_t tag = token_at(f, off);

        if (tag == FDT_BEGIN_NODE) {
            if (token_skip(f, off, tag) == 0U) {
                return FDT_NONE;    /* unterminated name */
            }
            *depth = level + 1;
            return (int)off;
        }
        if (tag == FDT_END_NODE) {
            level--;
        } else if ((tag != FDT_PROP) && (tag != FDT_NOP)) {
            return FDT_NONE;        /* FDT_END or garbage */
        } else {
            /* a property or NOP of the current node */
        }
        off = token_skip(f, off, tag);
        if (off == 0U) {
            return FDT_NONE;
        }
    }
}

int fdt_root(const struct fdt *f)
{
    int depth = 0;

    return fdt_next_node(f, FDT_NONE, &depth);
}

int fdt_first_child(const struct fdt *f, int parent)
{
    int depth = 0;
    int n = fdt_next_node(f, parent, &depth);

    return (depth == 1) ? n : FDT_NONE;
}

int fdt_next_sibling(const struct fdt *f, int node)
{
    int depth = 0;
    int n = node;

    do {
        n = fdt_next_node(f, n, &depth);
    } while ((n != FDT_NONE) && (depth > 0));
    return ((n != FDT_NONE) && (depth == 0)) ? n : FDT_NONE;
}

const char *fdt_node_name(const struct fdt *f, int node)
{
    return (const char *)&f->blob[f->off_struct + (uint32_t)node + 4U];
}

const void *fdt_prop(const struct fdt *f, int node, const char *name, uint32_t *len)
{
    uint32_t off = token_skip(f, (uint32_t)node, FDT_BEGIN_NODE);
    size_t name_len = strlen(name);

    while (off != 0U) {
        uint32_t tag = token_at(f, off);

        if (tag == FDT_PROP) {
            const uint8_t *p = &f->blob[f->off_struct + off];
            uint32_t plen = fdt_be32(&p[4]);
            uint32_t nameoff = fdt_be32(&p[8]);

            if ((nameoff < f->size_strings) &&
                ((f->size_strings - nameoff) > name_len) &&
                (memcmp(&f->blob[f->off_strings + nameoff], name, name_len + 1U) == 0)) {
                if (token_skip(f, off, tag) == 0U) {
                    return NULL;
                }
                if (len != NULL) {
                    *len = plen;
                }
                return &p[12];
            }
        } else if (tag != FDT_NOP) {
            return NULL;    /* properties come before any child node */
        } else {
            /* skip NOP */
        }
        off = token_skip(f, off, tag);
    }
    return NULL;
}

const char *fdt_prop_string(const struct fdt *f, int node, const char *name)
{
    uint32_t len = 0U;
    const char *s = fdt_prop(f, node, name, &len);

    if ((s == NULL) || (len == 0U) || (s[len - 1U] != '\0')) {
        return NULL;
    }
    return s;
}

uint32_t fdt_prop_u32(const struct fdt *f, int node, const char *name, uint32_t dflt)
{
    uint32_t len = 0U;
    const void *p = fdt_prop(f, node, name, &len);

    return ((p != NULL) && (len == 4U)) ? fdt_be32(p) : dflt;
}

/* Does node name `name` match the path component comp[0..n)? */
static bool name_matches(const char *name, const char *comp, size_t n)
{
    bool comp_has_unit = false;
    size_t i;

    for (i = 0U; i < n; i++) {
        if (comp[i] == '@') {
            comp_has_unit = true;
        }
    }
    if (strncmp(name, comp, n) != 0) {
        return false;
    }
    /* exact, or the component left out the unit address */
    return (name[n] == '\0') || ((name[n] == '@') && !comp_has_unit);
}

int fdt_path(const struct fdt *f, const char *path)
{
    int node = fdt_root(f);
    const char *p = path;

    if (p[0] != '/') {
        return FDT_NONE;
    }
    while ((*p != '\0') && (node != FDT_NONE)) {
        size_t n = 0U;
        int child;

        if (*p == '/') {
            p++;
            continue;
        }
        while ((p[n] != '\0') && (p[n] != '/')) {
            n++;
        }
        child = fdt_first_child(f, node);
        while ((child != FDT_NONE) && !name_matches(fdt_node_name(f, child), p, n)) {
            child = fdt_next_sibling(f, child);
        }
        node = child;
        p = &p[n];
    }
    return node;
}

int fdt_parent(const struct fdt *f, int node)
{
    int stack[FDT_MAX_DEPTH];
    int depth = 0;
    int n = fdt_next_node(f, FDT_NONE, &depth);

    while ((n != FDT_NONE) && (depth >= 0) && (depth < FDT_MAX_DEPTH)) {
        stack[depth] = n;
        if (n == node) {
            return (depth > 0) ? stack[depth - 1] : FDT_NONE;
        }
        n = fdt_next_node(f, n, &depth);
    }
    return FDT_NONE;
}

bool fdt_is_compatible(const struct fdt *f, int node, const char *compat)
{
    uint32_t len = 0U;
    const char *list = fdt_prop(f, node, "compatible", &len);
    size_t want = strlen(compat) + 1U;
    uint32_t pos = 0U;

    if (list == NULL) {
        return false;
    }
    /* a stringlist: NUL-terminated strings back to back */
    while (pos < len) {
        size_t n = strnlen(&list[pos], (size_t)(len - pos));

        if (n == (size_t)(len - pos)) {
            return false;   /* last string not terminated */
        }
        if (((n + 1U) == want) && (memcmp(&list[pos], compat, want) == 0)) {
            return true;
        }
        pos += (uint32_t)n + 1U;
    }
    return false;
}

int fdt_find_compatible(const struct fdt *f, int after, const char *compat)
{
    int depth = 0;
    int n = fdt_next_node(f, after, &depth);

    while ((n != FDT_NONE) && !fdt_is_compatible(f, n, compat)) {
        n = fdt_next_node(f, n, &depth);
    }
    return n;
}

bool fdt_reg(const struct fdt *f, int node, uint32_t index, uint64_t *addr, uint64_t *size)
{
    int parent = fdt_parent(f, node);
    uint32_t ac;
    uint32_t sc;
    uint32_t len = 0U;
    const uint8_t *reg;
    uint32_t entry;

    if (parent == FDT_NONE) {
        return false;
    }
    /* the Devicetree Specification's defaults when a parent says nothing */
    ac = fdt_prop_u32(f, parent, "#address-cells", 2U);
    sc = fdt_prop_u32(f, parent, "#size-cells", 1U);
    if ((ac < 1U) || (ac > 2U) || (sc > 2U)) {
        return false;
    }
    reg = fdt_prop(f, node, "reg", &len);
    entry = (ac + sc) * 4U;
    if ((reg == NULL) || (index >= (len / entry))) {
        return false;
    }
    *addr = fdt_cells_value(&reg[index * entry], ac);
    *size = (sc != 0U) ? fdt_cells_value(&reg[(index * entry) + (ac * 4U)], sc) : 0U;
    return true;
}
