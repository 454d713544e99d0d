/* Flattened device tree: nodes, properties and the memory reservation
 * block of a blob fdt_check.c has validated. Tokens and strings are decoded
 * in fdt_token.c; paths, phandles, reg translation and interrupts are in
 * fdt_addr.c.
 */
#include <proxenos/fdt.h>
#include <proxenos/fdt_format.h>
#include <proxenos/errno.h>
#include <proxenos/string.h>

#include "fdt_token.h"

/* Whether 'node' is the offset of a node's FDT_BEGIN_NODE token, which *t
 * then holds. */
static bool is_node(const struct fdt *fdt, int node, struct fdt_token *t)
{
    if (node < 0) {
        return false;
    }
    return (fdt_token_read(fdt, (uint32_t)node, t) == NULL) && (t->type == FDT_BEGIN_NODE);
}

/* ---- The node index --------------------------------------------------- */

/* The index entry of 'node', or FDT_NO_NODE (no index, or not a node's
 * offset): a binary search, as document order is offset order. */
static uint32_t ref_of(const struct fdt *fdt, int node)
{
    uint32_t lo = 0U;
    uint32_t hi = fdt->index_len;

    if ((fdt->index == NULL) || (node < 0)) {
        return FDT_NO_NODE;
    }
    while (lo < hi) {
        uint32_t mid = lo + ((hi - lo) / 2U);
        uint32_t off = fdt->index[mid].offset;

        if (off == (uint32_t)node) {
            return mid;
        }
        if (off < (uint32_t)node) {
            lo = mid + 1U;
        } else {
            hi = mid;
        }
    }
    return FDT_NO_NODE;
}

/* A property token of node r: note its phandle. */
static void index_prop(const struct fdt *fdt, uint32_t off, struct fdt_node_ref *r)
{
    const char *name = fdt_string_at(fdt, fdt_be32(&fdt->blob[off + 8U]));
    uint32_t len = fdt_be32(&fdt->blob[off + 4U]);

    if ((name == NULL) || (len != 4U)) {
        return;
    }
    if (strcmp(name, "phandle") == 0) {
        r->phandle = fdt_be32(&fdt->blob[off + FDT_PROP_HEADER_SIZE]);
        r->has_phandle = true;
    } else if ((strcmp(name, "linux,phandle") == 0) && !r->has_phandle) {
        r->phandle = fdt_be32(&fdt->blob[off + FDT_PROP_HEADER_SIZE]);
    } else {
        /* not a phandle */
    }
}

int fdt_index_build(struct fdt *fdt, struct fdt_node_ref *refs, uint32_t cap)
{
    uint32_t open[FDT_MAX_DEPTH];       /* the node open at each depth */
    uint32_t last[FDT_MAX_DEPTH + 1];   /* the last child seen at each depth */
    uint32_t depth = 0U;
    uint32_t n = 0U;
    uint32_t off;
    struct fdt_token t;

    fdt->index = NULL;
    fdt->index_len = 0U;
    if ((fdt->blob == NULL) || (fdt_root(fdt) < 0)) {
        return -EINVAL;
    }
    last[0] = FDT_NO_NODE;
    for (off = (uint32_t)fdt_root(fdt); fdt_token_read(fdt, off, &t) == NULL; off = t.next) {
        if (t.type == FDT_BEGIN_NODE) {
            if (n == cap) {
                return -ENOSPC;
            }
            if (depth >= FDT_MAX_DEPTH) {
                return -EINVAL;
            }
            refs[n] = (struct fdt_node_ref){
                .offset = off,
                .parent = (depth == 0U) ? FDT_NO_NODE : open[depth - 1U],
                .next_sibling = FDT_NO_NODE,
            };
            if (last[depth] != FDT_NO_NODE) {
                refs[last[depth]].next_sibling = n;
            }
            last[depth] = n;
            last[depth + 1U] = FDT_NO_NODE;
            open[depth] = n;
            depth++;
            n++;
        } else if (t.type == FDT_END_NODE) {
            if (depth == 0U) {
                return -EINVAL;
            }
            depth--;
            if (depth == 0U) {
                /* The root is closed: what follows is FDT_END. */
                fdt->index = refs;
                fdt->index_len = n;
                return 0;
            }
        } else if ((t.type == FDT_PROP) && (depth > 0U)) {
            index_prop(fdt, off, &refs[open[depth - 1U]]);
        } else {
            /* NOP */
        }
    }
    return -EINVAL;
}

/* ---- Nodes ------------------------------------------------------------- */

int fdt_root(const struct fdt *fdt)
{
    uint32_t off = fdt->struct_off;
    struct fdt_token t;

    /* Leading NOPs are allowed before the root. */
    while (fdt_token_read(fdt, off, &t) == NULL) {
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
    struct fdt_token t;
    uint32_t off;

    if (!is_node(fdt, node, &t)) {
        return -EINVAL;
    }
    off = t.next;
    for (;;) {
        if (fdt_token_read(fdt, off, &t) != NULL) {
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
    uint32_t i = ref_of(fdt, node);
    int depth = 0;
    int child;

    if (i != FDT_NO_NODE) {
        /* In document order a first child comes right after its parent. */
        if (((i + 1U) < fdt->index_len) && (fdt->index[i + 1U].parent == i)) {
            return (int)fdt->index[i + 1U].offset;
        }
        return -ENOENT;
    }
    child = fdt_next_node(fdt, node, &depth);

    if ((child >= 0) && (depth != 1)) {
        child = -ENOENT;
    }
    return child;
}

int fdt_next_sibling(const struct fdt *fdt, int node)
{
    uint32_t i = ref_of(fdt, node);
    uint32_t nesting = 0U;
    uint32_t off;
    struct fdt_token t;

    if (i != FDT_NO_NODE) {
        i = fdt->index[i].next_sibling;
        return (i == FDT_NO_NODE) ? -ENOENT : (int)fdt->index[i].offset;
    }
    if (!is_node(fdt, node, &t)) {
        return -EINVAL;
    }
    /* Skip the node's whole subtree, then NOPs: a sibling starts next,
     * anything else ends the parent. */
    off = (uint32_t)node;
    do {
        if (fdt_token_read(fdt, off, &t) != NULL) {
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
        if (fdt_token_read(fdt, off, &t) != NULL) {
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

/* fdt_ancestors from the index: up the parent links, then reversed. */
static int ancestors_indexed(const struct fdt *fdt, uint32_t i, int chain[FDT_MAX_DEPTH])
{
    int n = 0;

    while (i != FDT_NO_NODE) {
        if (n == FDT_MAX_DEPTH) {
            return -EINVAL;     /* only an index of a blob fdt_check() refused */
        }
        chain[n] = (int)fdt->index[i].offset;
        n++;
        i = fdt->index[i].parent;
    }
    for (int a = 0, b = n - 1; a < b; a++, b--) {
        int x = chain[a];

        chain[a] = chain[b];
        chain[b] = x;
    }
    return n;
}

int fdt_ancestors(const struct fdt *fdt, int node, int chain[FDT_MAX_DEPTH])
{
    uint32_t i = ref_of(fdt, node);
    int depth = 0;
    int off;

    if (i != FDT_NO_NODE) {
        return ancestors_indexed(fdt, i, chain);
    }
    off = fdt_root(fdt);
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
    struct fdt_token t;

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
    struct fdt_token t;

    while (fdt_token_read(fdt, off, &t) == NULL) {
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
    struct fdt_token t;

    if (!is_node(fdt, node, &t)) {
        return -EINVAL;
    }
    return prop_from(fdt, t.next);
}

int fdt_next_prop(const struct fdt *fdt, int prop)
{
    struct fdt_token t;

    if ((prop < 0) || (fdt_token_read(fdt, (uint32_t)prop, &t) != NULL) ||
        (t.type != FDT_PROP)) {
        return -EINVAL;
    }
    return prop_from(fdt, t.next);
}

int fdt_prop_at(const struct fdt *fdt, int prop, struct fdt_property *out)
{
    struct fdt_token t;
    uint32_t off = (uint32_t)prop;

    if ((prop < 0) || (fdt_token_read(fdt, off, &t) != NULL) || (t.type != FDT_PROP)) {
        return -EINVAL;
    }
    out->name = fdt_string_at(fdt, fdt_be32(&fdt->blob[off + 8U]));
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
