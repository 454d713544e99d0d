/* Flattened device tree: validation. fdt_check() reads an untrusted blob
 * once, header, block layout and every token, so that the rest of the
 * reader (fdt.c) may rely on what it found.
 */
#include <proxenos/fdt.h>
#include <proxenos/fdt_format.h>
#include <proxenos/errno.h>
#include <proxenos/string.h>

#include "fdt_token.h"

/* Oldest format with the header in fdt_format.h, and newest we can read. */
#define FDT_FIRST_VERSION  16U
#define FDT_LAST_VERSION   17U

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
    struct fdt_token t;

    fdt->nr_nodes = 0U;
    for (;;) {
        const char *why = fdt_token_read(fdt, off, &t);

        if (why != NULL) {
            return fail(fdt, -EINVAL,
                        (off >= fdt_struct_end(fdt)) ? "missing FDT_END" : why, off);
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
            name = fdt_string_at(fdt, nameoff);
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
            } else if (t.next != fdt_struct_end(fdt)) {
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

