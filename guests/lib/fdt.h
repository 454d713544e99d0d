/*
 * A minimal read-only flattened device tree walker: just enough for a
 * guest to find its UART, GIC, memory, CPUs, /chosen and /hypervisor.
 *
 * A node is named by the offset of its FDT_BEGIN_NODE token inside the
 * structure block; functions that find nothing return FDT_NONE. Every
 * offset is checked against the blob's sizes, so a damaged tree makes
 * look-ups fail instead of reading out of bounds.
 */
#ifndef GUEST_FDT_H
#define GUEST_FDT_H

#include <stdbool.h>
#include <stdint.h>

#define FDT_NONE (-1)

struct fdt {
    const uint8_t *blob;
    uint32_t totalsize;
    uint32_t off_struct;
    uint32_t size_struct;
    uint32_t off_strings;
    uint32_t size_strings;
};

/* Big-endian cell readers; byte loads, so any alignment is fine. */
uint32_t fdt_be32(const void *p);
uint64_t fdt_cells_value(const void *p, uint32_t cells);

/* 0 if blob holds a tree we can read, negative otherwise. */
int fdt_open(struct fdt *f, const void *blob);

/* Root node (FDT_NONE if the tree is empty). */
int fdt_root(const struct fdt *f);

/*
 * The node after `node` in document order, or the first node when node is
 * FDT_NONE. *depth is the depth of `node` on entry (any base) and of the
 * returned node on return; children come back at *depth + 1.
 */
int fdt_next_node(const struct fdt *f, int node, int *depth);

/* First / next child of parent (FDT_NONE when there are no more). */
int fdt_first_child(const struct fdt *f, int parent);
int fdt_next_sibling(const struct fdt *f, int node);

const char *fdt_node_name(const struct fdt *f, int node);

/* Property value and length, NULL if absent. */
const void *fdt_prop(const struct fdt *f, int node, const char *name, uint32_t *len);

/* A NUL-terminated string property, NULL if absent or not terminated. */
const char *fdt_prop_string(const struct fdt *f, int node, const char *name);

/* One-cell property, or dflt if absent or of another size. */
uint32_t fdt_prop_u32(const struct fdt *f, int node, const char *name, uint32_t dflt);

/* Absolute path ("/chosen", "/cpus"); a component without '@' matches any unit address. */
int fdt_path(const struct fdt *f, const char *path);

int fdt_parent(const struct fdt *f, int node);

bool fdt_is_compatible(const struct fdt *f, int node, const char *compat);

/* Next node after `after` (FDT_NONE: from the start) with that compatible. */
int fdt_find_compatible(const struct fdt *f, int after, const char *compat);

/* Entry `index` of the node's reg, decoded with its parent's cell sizes. */
bool fdt_reg(const struct fdt *f, int node, uint32_t index, uint64_t *addr, uint64_t *size);

#endif
