/* Flattened device tree: finding nodes by path, alias and phandle, and
 * decoding what a node says about the hardware (reg through the buses'
 * "ranges", interrupts up to their controller, whose binding the
 * architecture decodes). Built only on the walking calls of fdt.c, so it
 * needs no knowledge of the blob layout.
 */
#include <proxenos/arch/fdt_irq.h>
#include <proxenos/fdt.h>
#include <proxenos/errno.h>
#include <proxenos/string.h>

/* The spec allows at most 4 cells for an address or a size; we can hold
 * numbers of up to 2 (64 bits). */
#define MAX_SPEC_CELLS 4U
#define MAX_READ_CELLS 2U

/* ---- Paths ------------------------------------------------------------- */

/* How node name 'name' matches path component comp[0..len): exactly, by
 * its base name ("uart" for "uart@9000000"), or not at all. */
enum name_match { NAME_NO_MATCH, NAME_BASE_MATCH, NAME_EXACT_MATCH };

static enum name_match component_matches(const char *name, const char *comp, size_t len)
{
    if (strncmp(name, comp, len) != 0) {
        return NAME_NO_MATCH;
    }
    if (name[len] == '\0') {
        return NAME_EXACT_MATCH;
    }
    /* "uart" finds "uart@9000000"; "uart@1" must match exactly. */
    if ((name[len] == '@') && (memchr(comp, '@', len) == NULL)) {
        return NAME_BASE_MATCH;
    }
    return NAME_NO_MATCH;
}

/* The child named comp[0..len): an exact name wins over the first child
 * that matches by base name only. */
static int find_child(const struct fdt *fdt, int parent, const char *comp, size_t len)
{
    int child = fdt_first_child(fdt, parent);
    int base_match = -ENOENT;

    while (child >= 0) {
        const char *name = fdt_node_name(fdt, child);
        enum name_match m = (name != NULL) ? component_matches(name, comp, len) : NAME_NO_MATCH;

        if (m == NAME_EXACT_MATCH) {
            return child;
        }
        if ((m == NAME_BASE_MATCH) && (base_match < 0)) {
            base_match = child;
        }
        child = fdt_next_sibling(fdt, child);
    }
    if (child == -EINVAL) {
        return -EINVAL;
    }
    return base_match;
}

/* Follow the '/'-separated components of path[0..len) down from 'node'. */
static int walk_path(const struct fdt *fdt, int node, const char *path, size_t len)
{
    size_t i = 0U;

    while ((i < len) && (node >= 0)) {
        size_t start;

        while ((i < len) && (path[i] == '/')) {
            i++;
        }
        start = i;
        while ((i < len) && (path[i] != '/')) {
            i++;
        }
        if (i > start) {
            node = find_child(fdt, node, &path[start], i - start);
        }
    }
    return node;
}

/* The value of the alias name[0..len) in /aliases, or NULL. */
static const char *alias_value(const struct fdt *fdt, const char *name, size_t len)
{
    int aliases = find_child(fdt, fdt_root(fdt), "aliases", 7U);
    int prop = (aliases >= 0) ? fdt_first_prop(fdt, aliases) : -ENOENT;

    while (prop >= 0) {
        struct fdt_property p;

        if ((fdt_prop_at(fdt, prop, &p) == 0) && (strlen(p.name) == len) &&
            (memcmp(p.name, name, len) == 0)) {
            if ((p.len == 0U) || (p.value[p.len - 1U] != '\0')) {
                return NULL;
            }
            return (const char *)p.value;
        }
        prop = fdt_next_prop(fdt, prop);
    }
    return NULL;
}

int fdt_path_offset(const struct fdt *fdt, const char *path, size_t len)
{
    const char *target;
    size_t alias_len = 0U;
    int node;

    len = strnlen(path, len);
    if (len == 0U) {
        return -EINVAL;
    }
    if (path[0] == '/') {
        return walk_path(fdt, fdt_root(fdt), path, len);
    }
    while ((alias_len < len) && (path[alias_len] != '/')) {
        alias_len++;
    }
    target = alias_value(fdt, path, alias_len);
    /* An alias names a full path; aliases of aliases are not followed, so
     * resolution cannot loop. */
    if ((target == NULL) || (target[0] != '/')) {
        return -ENOENT;
    }
    node = walk_path(fdt, fdt_root(fdt), target, strlen(target));
    return walk_path(fdt, node, &path[alias_len], len - alias_len);
}

int fdt_node_by_phandle(const struct fdt *fdt, uint32_t phandle)
{
    int node;

    if ((phandle == 0U) || (phandle == 0xffffffffU)) {
        return -ENOENT;
    }
    if (fdt->index != NULL) {
        for (uint32_t i = 0U; i < fdt->index_len; i++) {
            if (fdt->index[i].phandle == phandle) {
                return (int)fdt->index[i].offset;
            }
        }
        return -ENOENT;
    }
    node = fdt_root(fdt);
    while (node >= 0) {
        uint32_t value;

        if (((fdt_getprop_u32(fdt, node, "phandle", &value) == 0) ||
             (fdt_getprop_u32(fdt, node, "linux,phandle", &value) == 0)) &&
            (value == phandle)) {
            return node;
        }
        node = fdt_next_node(fdt, node, NULL);
    }
    return node;
}

/* ---- Cells ------------------------------------------------------------- */

#define DEFAULT_ADDRESS_CELLS 2U
#define DEFAULT_SIZE_CELLS    1U

/* Property 'name' of chain[i] or of its nearest ancestor that has it. */
static uint32_t chain_cells(const struct fdt *fdt, const int *chain, int i, const char *name,
                            uint32_t dflt)
{
    for (; i >= 0; i--) {
        uint32_t cells;

        if (fdt_getprop_u32(fdt, chain[i], name, &cells) == 0) {
            return cells;
        }
    }
    return dflt;
}

uint32_t fdt_address_cells(const struct fdt *fdt, int node)
{
    int chain[FDT_MAX_DEPTH];
    int n = fdt_ancestors(fdt, node, chain);

    return (n < 0) ? DEFAULT_ADDRESS_CELLS :
           chain_cells(fdt, chain, n - 1, "#address-cells", DEFAULT_ADDRESS_CELLS);
}

uint32_t fdt_size_cells(const struct fdt *fdt, int node)
{
    int chain[FDT_MAX_DEPTH];
    int n = fdt_ancestors(fdt, node, chain);

    return (n < 0) ? DEFAULT_SIZE_CELLS :
           chain_cells(fdt, chain, n - 1, "#size-cells", DEFAULT_SIZE_CELLS);
}

/* ---- reg and ranges ---------------------------------------------------- */

/* Entry 'index' of the reg of chain[n-1] (n >= 2: the root has no reg). */
static int reg_entry(const struct fdt *fdt, const int *chain, int n, uint32_t index,
                     uint64_t *addr, uint64_t *size)
{
    int node = chain[n - 1];
    uint32_t ac = chain_cells(fdt, chain, n - 2, "#address-cells", DEFAULT_ADDRESS_CELLS);
    uint32_t sc = chain_cells(fdt, chain, n - 2, "#size-cells", DEFAULT_SIZE_CELLS);
    uint32_t len = 0U;
    const uint8_t *reg;
    uint32_t entry;

    if ((ac > MAX_SPEC_CELLS) || (sc > MAX_SPEC_CELLS) || ((ac + sc) == 0U)) {
        return -EINVAL;
    }
    entry = (ac + sc) * 4U;
    reg = fdt_getprop(fdt, node, "reg", &len);
    if (reg == NULL) {
        return -ENOENT;
    }
    if ((len % entry) != 0U) {
        return -EINVAL;
    }
    if (index >= (len / entry)) {
        return -ENOENT;
    }
    if ((ac > MAX_READ_CELLS) || (sc > MAX_READ_CELLS)) {
        return -EOPNOTSUPP;
    }
    reg = &reg[index * entry];
    *addr = fdt_read_cells(reg, ac);
    *size = fdt_read_cells(&reg[ac * 4U], sc);
    return 0;
}

int fdt_reg_count(const struct fdt *fdt, int node)
{
    int chain[FDT_MAX_DEPTH];
    int n = fdt_ancestors(fdt, node, chain);
    uint32_t ac;
    uint32_t sc;
    uint32_t len = 0U;

    if (n < 0) {
        return n;
    }
    if ((n < 2) || (fdt_getprop(fdt, node, "reg", &len) == NULL)) {
        return 0;
    }
    ac = chain_cells(fdt, chain, n - 2, "#address-cells", DEFAULT_ADDRESS_CELLS);
    sc = chain_cells(fdt, chain, n - 2, "#size-cells", DEFAULT_SIZE_CELLS);
    if ((ac > MAX_SPEC_CELLS) || (sc > MAX_SPEC_CELLS) || ((ac + sc) == 0U) ||
        ((len % ((ac + sc) * 4U)) != 0U)) {
        return -EINVAL;
    }
    return (int)(len / ((ac + sc) * 4U));
}

int fdt_reg_raw(const struct fdt *fdt, int node, uint32_t index, uint64_t *addr,
                uint64_t *size)
{
    int chain[FDT_MAX_DEPTH];
    int n = fdt_ancestors(fdt, node, chain);

    if (n < 0) {
        return n;
    }
    if (n < 2) {
        return -ENOENT;       /* the root has no reg */
    }
    return reg_entry(fdt, chain, n, index, addr, size);
}

/* The "ranges" of bus chain[i] and its entry's size and cells: 0 when it
 * has entries to read, 1 when it is empty (identity), -ENOENT when absent
 * (the bus is not mapped into its parent), -EOPNOTSUPP for cells we cannot
 * read, -EINVAL when its length is not a whole number of entries. */
static int ranges_shape(const struct fdt *fdt, const int *chain, int i, const uint8_t **ranges,
                        uint32_t *len, uint32_t cells[3])
{
    uint32_t entry;

    cells[0] = chain_cells(fdt, chain, i, "#address-cells", DEFAULT_ADDRESS_CELLS);
    cells[1] = chain_cells(fdt, chain, i - 1, "#address-cells", DEFAULT_ADDRESS_CELLS);
    cells[2] = chain_cells(fdt, chain, i, "#size-cells", DEFAULT_SIZE_CELLS);
    *len = 0U;
    *ranges = fdt_getprop(fdt, chain[i], "ranges", len);
    if (*ranges == NULL) {
        return -ENOENT;
    }
    if (*len == 0U) {
        return 1;
    }
    if ((cells[0] > MAX_READ_CELLS) || (cells[1] > MAX_READ_CELLS) ||
        (cells[2] > MAX_READ_CELLS)) {
        return -EOPNOTSUPP;
    }
    entry = (cells[0] + cells[1] + cells[2]) * 4U;
    if ((entry == 0U) || ((*len % entry) != 0U)) {
        return -EINVAL;
    }
    return 0;
}

/* Map *addr from the address space of the children of bus chain[i] to that
 * of its parent chain[i-1], through the bus's "ranges". */
static int translate_one(const struct fdt *fdt, const int *chain, int i, uint64_t *addr)
{
    const uint8_t *ranges = NULL;
    uint32_t len = 0U;
    uint32_t cells[3];
    uint32_t entry;
    int rc = ranges_shape(fdt, chain, i, &ranges, &len, cells);

    if (rc == -ENOENT) {
        return -ERANGE;       /* the bus is not mapped into its parent */
    }
    if (rc != 0) {
        return (rc > 0) ? 0 : rc;     /* empty ranges: identity */
    }
    entry = (cells[0] + cells[1] + cells[2]) * 4U;
    for (uint32_t off = 0U; off < len; off += entry) {
        uint64_t child = fdt_read_cells(&ranges[off], cells[0]);
        uint64_t parent = fdt_read_cells(&ranges[off + (cells[0] * 4U)], cells[1]);
        uint64_t size = fdt_read_cells(&ranges[off + ((cells[0] + cells[1]) * 4U)], cells[2]);

        if ((*addr >= child) && ((*addr - child) < size)) {
            uint64_t offset = *addr - child;

            if (parent > (UINT64_MAX - offset)) {
                return -ERANGE;
            }
            *addr = parent + offset;
            return 0;
        }
    }
    return -ERANGE;
}

int fdt_ranges_check(const struct fdt *fdt, int bus)
{
    int chain[FDT_MAX_DEPTH];
    int n = fdt_ancestors(fdt, bus, chain);
    const uint8_t *ranges = NULL;
    uint32_t len = 0U;
    uint32_t cells[3];
    int rc;

    if (n < 0) {
        return n;
    }
    if (n < 2) {
        return -ENOENT;       /* the root is the CPU's address space */
    }
    rc = ranges_shape(fdt, chain, n - 1, &ranges, &len, cells);
    return (rc > 0) ? 0 : rc;
}

int fdt_reg(const struct fdt *fdt, int node, uint32_t index, uint64_t *addr, uint64_t *size)
{
    int chain[FDT_MAX_DEPTH];
    int n = fdt_ancestors(fdt, node, chain);
    int rc;

    if (n < 0) {
        return n;
    }
    if (n < 2) {
        return -ENOENT;       /* the root has no reg */
    }
    rc = reg_entry(fdt, chain, n, index, addr, size);
    /* chain[i] is the bus whose children's addresses we hold; stop at the
     * root, whose address space is the CPU's. */
    for (int i = n - 2; (rc == 0) && (i > 0); i--) {
        rc = translate_one(fdt, chain, i, addr);
    }
    return rc;
}

/* ---- Interrupts -------------------------------------------------------- */

/* The node named by the nearest "interrupt-parent" on the chain. */
static int interrupt_parent(const struct fdt *fdt, const int *chain, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        uint32_t phandle;
        int rc = fdt_getprop_u32(fdt, chain[i], "interrupt-parent", &phandle);

        if (rc == 0) {
            return fdt_node_by_phandle(fdt, phandle);
        }
        if (rc != -ENOENT) {
            return rc;
        }
    }
    return -ENOENT;
}

int fdt_irq(const struct fdt *fdt, int node, uint32_t index, uint32_t *intid, uint32_t *flags)
{
    int chain[FDT_MAX_DEPTH];
    int n = fdt_ancestors(fdt, node, chain);
    uint32_t len = 0U;
    const uint8_t *spec;
    uint32_t cells;
    int ctrl;

    if (n < 0) {
        return n;
    }
    spec = fdt_getprop(fdt, node, "interrupts", &len);
    if (spec == NULL) {
        return -ENOENT;
    }
    ctrl = interrupt_parent(fdt, chain, n);
    if (ctrl < 0) {
        return ctrl;
    }
    if (fdt_getprop(fdt, ctrl, "interrupt-controller", NULL) == NULL) {
        return -EOPNOTSUPP;   /* e.g. an interrupt-map nexus */
    }
    if (fdt_getprop_u32(fdt, ctrl, "#interrupt-cells", &cells) != 0) {
        return -EINVAL;
    }
    return arch_fdt_irq_decode(spec, len, cells, index, intid, flags);
}
