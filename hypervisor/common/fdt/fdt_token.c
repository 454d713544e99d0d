/* Flattened device tree: the bytes of a blob. Big-endian cells, the tokens
 * of the structure block and the names in the strings block; every other
 * part of the reader (fdt_check.c, fdt.c) reads the blob through these.
 *
 * Layout facts used here (devicetree spec v0.4, chapter 5): a 40-byte
 * big-endian header (36 bytes before version 17), a memory reservation block
 * of (u64 address, u64 size) pairs ended by (0, 0), a structure block of
 * 4-byte aligned tokens and a strings block holding property names.
 */
#include <proxenos/fdt.h>
#include <proxenos/fdt_format.h>
#include <proxenos/string.h>

#include "fdt_token.h"

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

uint32_t fdt_struct_end(const struct fdt *fdt)
{
    return fdt->struct_off + fdt->struct_size;
}

const char *fdt_token_read(const struct fdt *fdt, uint32_t off, struct fdt_token *t)
{
    uint32_t end = fdt_struct_end(fdt);
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

const char *fdt_string_at(const struct fdt *fdt, uint32_t nameoff)
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
