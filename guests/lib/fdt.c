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
    uint32_t next = off + 4U;
    uint32_t len;

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
    uint32_t tag;

    if (node == FDT_NONE) {
        off = 0U;
        level = *depth - 1;
    } else {
        off = token_skip(f, (uint32_t)node, FDT_BEGIN_NODE);
        level = *depth;
    }
    while (off != 0U || node == FDT_NONE) {
        node = 0;   /* only the very first token may sit at offset 0 */
        tag = token_at(f, off);
        if (tag == FDT_BEGIN_NODE) {
            *depth = level + 1;
            return (int)off;
        }
        if (tag == FDT_END_NODE) {
            level--;
        } else if ((tag != FDT_PROP) && (tag != FDT_NOP)) {
            return FDT_NONE;    /* FDT_END or garbage */
        } else {
            /* property or NOP of the current node */
        }
        off = token_skip(f, off, tag);
    }
    return FDT_NONE;
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

/* Does node name `name` match path component comp[0..n)? */
static bool name_matches(const char *name, const char *comp, size_t n)
{
    if (strncmp(name, comp, n) != 0) {
        return false;
    }
    /* exact, or the component left out the unit address */
    return (name[n] == '\0') || ((name[n] == '@') && (memchr_at(comp, '@', n) == false));
}
