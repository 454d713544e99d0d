/* Read-only access to a flattened device tree (DTB, devicetree spec v0.4
 * chapter 5).
 *
 * The blob is untrusted input: fdt_check() validates all of it once (header,
 * block layout, every token of the structure block) and fills a struct fdt
 * that every other call takes. The other calls still bound every access, so
 * a corrupted blob can make them fail but never read outside it. All reads
 * are byte-wise: the blob may be unaligned and the MMU may be off.
 *
 * Nodes and properties are named by their byte offset in the blob (>= 0);
 * calls that find one return it, or a negative Xen error code (-ENOENT when
 * there is none). Walking only ever moves forward through the structure
 * block, so no input can make a walk loop. Nothing here recurses.
 */
#ifndef PROXENOS_FDT_H
#define PROXENOS_FDT_H

#include <proxenos/types.h>

#define FDT_MAGIC 0xd00dfeedU

/* Deepest nesting accepted: the root is depth 0, so a node may sit at most
 * at depth FDT_MAX_DEPTH - 1. Lookups keep one ancestor per level. */
#define FDT_MAX_DEPTH 64

/* One node in an index of a blob's nodes (fdt_index_build), in document
 * order: what the walks below would otherwise find by reading forward
 * from the root each time. Indices into the same array; FDT_NO_NODE for
 * none. */
#define FDT_NO_NODE 0xffffffffU

struct fdt_node_ref {
    uint32_t offset;         /* the node's FDT_BEGIN_NODE */
    uint32_t parent;
    uint32_t next_sibling;
    uint32_t phandle;        /* "phandle" if it has one, else "linux,phandle", else 0 */
    bool has_phandle;        /* a 4-byte "phandle": it wins over "linux,phandle" */
};

/* A validated blob. Filled by fdt_check(); read-only afterwards. */
struct fdt {
    const uint8_t *blob;
    uint32_t total_size;
    uint32_t version;
    uint32_t boot_cpuid;
    uint32_t struct_off;     /* structure block: [struct_off, +struct_size) */
    uint32_t struct_size;
    uint32_t strings_off;    /* strings block: [strings_off, +strings_size) */
    uint32_t strings_size;
    uint32_t rsvmap_off;     /* memory reservation block, before its (0,0) */
    uint32_t rsv_count;
    uint32_t nr_nodes;
    /* When fdt_check() fails: a sentence saying why and the byte offset in
     * the blob where the problem is. NULL after success. */
    const char *error;
    uint32_t error_offset;
    /* The node index, if fdt_index_build() made one (NULL otherwise). */
    const struct fdt_node_ref *index;
    uint32_t index_len;
};

/* One property, as fdt_prop_at() reports it. */
struct fdt_property {
    const char *name;        /* NUL-terminated, in the strings block */
    const uint8_t *value;    /* len bytes, inside the structure block */
    uint32_t len;
};

/* Validate the blob at 'blob', of which at most 'maxlen' bytes may be read,
 * and fill *fdt. Returns 0, -EINVAL (malformed or truncated) or -EOPNOTSUPP
 * (a format version this reader does not understand); on failure
 * fdt->error says why and fdt->error_offset where. */
int fdt_check(struct fdt *fdt, const void *blob, size_t maxlen);

/* Index every node of a checked blob into refs[0..cap), so that parents,
 * children, siblings and phandles are found without a walk from the root
 * (a device tree read many times over, like the boot one, pays for it
 * once). Returns 0, or -ENOSPC when the blob has more than cap nodes and
 * -EINVAL for a blob fdt_check() did not accept: then there is no index
 * and every call below still answers, by walking. */
int fdt_index_build(struct fdt *fdt, struct fdt_node_ref *refs, uint32_t cap);

/* ---- Nodes ------------------------------------------------------------ */

/* The root node. */
int fdt_root(const struct fdt *fdt);

/* The node after 'node' in document order. *depth (if not NULL) is moved by
 * +1 into a child and by -1 for each node closed on the way; when it would
 * drop below 0 the walk has left the subtree it started in and -ENOENT is
 * returned. Starting at the root with *depth = 0 visits every node. */
int fdt_next_node(const struct fdt *fdt, int node, int *depth);

int fdt_first_child(const struct fdt *fdt, int node);
int fdt_next_sibling(const struct fdt *fdt, int node);

/* The parent (-ENOENT for the root) and the depth (root = 0) of a node.
 * Both walk from the root: O(size of the tree). */
int fdt_parent(const struct fdt *fdt, int node);
int fdt_node_depth(const struct fdt *fdt, int node);

/* Fill chain[0..n-1] with the root, ..., the node's parent, the node and
 * return n (>= 1), or -ENOENT if 'node' is not a node of this tree. */
int fdt_ancestors(const struct fdt *fdt, int node, int chain[FDT_MAX_DEPTH]);

/* The node's name including any "@unit-address" ("" for the root), or NULL
 * if 'node' is not a node. */
const char *fdt_node_name(const struct fdt *fdt, int node);

/* True if the node is called 'base' or 'base@<anything>'. */
bool fdt_node_name_is(const struct fdt *fdt, int node, const char *base);

/* Write the node's full path ("/a/b@1") to buf. Returns the length, or
 * -ENAMETOOLONG if it does not fit in size bytes with its NUL. */
int fdt_node_path(const struct fdt *fdt, int node, char *buf, size_t size);

/* Find a node by path: the first len bytes of 'path' (stops early at a NUL).
 * "/a/b@1" is absolute; a path not starting with '/' begins with an alias
 * name from /aliases ("serial0" or "serial0/child"). A component without
 * '@' also matches a node whose name is that component plus "@unit". */
int fdt_path_offset(const struct fdt *fdt, const char *path, size_t len);

/* The node whose "phandle" (or legacy "linux,phandle") is 'phandle'. */
int fdt_node_by_phandle(const struct fdt *fdt, uint32_t phandle);

/* True if the node's "compatible" list contains 'compat'. */
bool fdt_node_is_compatible(const struct fdt *fdt, int node, const char *compat);

/* The first node after 'from' (document order; -1 = from the start)
 * compatible with 'compat'. */
int fdt_find_compatible(const struct fdt *fdt, int from, const char *compat);

/* True unless the node has a "status" other than "okay" or "ok". */
bool fdt_node_is_available(const struct fdt *fdt, int node);

/* ---- Properties ------------------------------------------------------- */

/* Iterate over a node's properties: offsets of FDT_PROP tokens. */
int fdt_first_prop(const struct fdt *fdt, int node);
int fdt_next_prop(const struct fdt *fdt, int prop);
int fdt_prop_at(const struct fdt *fdt, int prop, struct fdt_property *out);

/* The value of property 'name' of 'node' and its length in *len (may be
 * NULL), or NULL if the node has no such property. An empty property gives
 * a non-NULL pointer (to its end) and *len = 0. */
const void *fdt_getprop(const struct fdt *fdt, int node, const char *name, uint32_t *len);

/* A one-cell (4 bytes) or two-cell (8 bytes) property. -ENOENT if absent,
 * -EINVAL if it has a different length. */
int fdt_getprop_u32(const struct fdt *fdt, int node, const char *name, uint32_t *out);
int fdt_getprop_u64(const struct fdt *fdt, int node, const char *name, uint64_t *out);

/* A string property: non-NULL only if present, non-empty and ending in a
 * NUL inside the property. */
const char *fdt_getprop_string(const struct fdt *fdt, int node, const char *name);

/* True if the string list (NUL-separated strings) contains 'str'. */
bool fdt_stringlist_contains(const void *list, uint32_t len, const char *str);

/* ---- Cells ------------------------------------------------------------ */

/* Big-endian reads, a byte at a time (unaligned-safe). */
uint32_t fdt_be32(const void *p);
uint64_t fdt_be64(const void *p);
/* A number of 'cells' cells (0, 1 or 2; 0 reads as 0). */
uint64_t fdt_read_cells(const void *p, uint32_t cells);

/* #address-cells / #size-cells a node gives its children: its own property,
 * else the nearest ancestor's, else 2 and 1. The spec says these are not
 * inherited, but Xen and Linux read them this way and real blobs rely on it
 * (QEMU's guest-loader writes 2+2-cell module reg under a /chosen that has
 * no cells of its own), so we do the same. */
uint32_t fdt_address_cells(const struct fdt *fdt, int node);
uint32_t fdt_size_cells(const struct fdt *fdt, int node);

/* Number of <address size> entries in the node's "reg" (0 if none), or
 * -EINVAL if reg's length is not a multiple of the entry size. */
int fdt_reg_count(const struct fdt *fdt, int node);

/* Entry 'index' of the node's "reg", decoded with its parent's cells as
 * written (no translation). -ENOENT past the last entry or without reg,
 * -EINVAL if malformed, -EOPNOTSUPP for more than two cells. */
int fdt_reg_raw(const struct fdt *fdt, int node, uint32_t index, uint64_t *addr,
                uint64_t *size);

/* The same entry translated through every ancestor's "ranges" to a root
 * (CPU physical) address; an empty "ranges" maps 1:1. -ERANGE if a bus has
 * no "ranges" or no range covers the address. */
int fdt_reg(const struct fdt *fdt, int node, uint32_t index, uint64_t *addr, uint64_t *size);

/* Whether a bus's "ranges" can be read, so that fdt_reg() of its children
 * means something: 0 if it is empty (1:1) or a whole number of entries in
 * cells this reader takes; -ENOENT for the root, a node not in the tree,
 * or a bus without one (its children are not in its parent's address
 * space); -EOPNOTSUPP for more than two cells; -EINVAL if its length is not
 * a whole number of entries. */
int fdt_ranges_check(const struct fdt *fdt, int bus);

/* ---- Interrupts ------------------------------------------------------- */

/* Entry 'index' of the node's "interrupts", decoded by the architecture
 * (arch_fdt_irq_decode; arm64: the GIC binding, SPI n -> INTID 32+n, PPI n
 * -> 16+n, extended SPI n -> 4096+n, extended PPI n -> 1056+n) into the
 * interrupt number and trigger flags (1 edge rising, 4 level high, ...).
 * The interrupt parent is found through "interrupt-parent" on the node or
 * an ancestor and must be an interrupt-controller with #interrupt-cells.
 * -ENOENT if there is no such entry or no interrupt parent, -EOPNOTSUPP
 * for a parent that is not a controller or has a cell count the
 * architecture does not know, -EINVAL if the specifier is malformed. */
int fdt_irq(const struct fdt *fdt, int node, uint32_t index, uint32_t *intid, uint32_t *flags);

/* ---- Memory reservation block (/memreserve/) -------------------------- */

uint32_t fdt_rsv_count(const struct fdt *fdt);
int fdt_rsv_entry(const struct fdt *fdt, uint32_t index, uint64_t *addr, uint64_t *size);

#endif
