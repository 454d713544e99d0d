/* Sequential writer of flattened device trees (DTB, devicetree spec v0.4
 * chapter 5) into a buffer the caller provides.
 *
 * Calls come in document order:
 *
 *     fdt_writer_init(&w, buf, size);
 *     fdt_writer_add_reservation(&w, addr, size);    any number, optional
 *     fdt_writer_begin_node(&w, "");                 the root
 *         fdt_writer_prop_u32(&w, "#address-cells", 2);
 *         fdt_writer_begin_node(&w, "chosen");       properties of a node
 *         fdt_writer_end_node(&w);                   come before its children
 *     fdt_writer_end_node(&w);
 *     fdt_writer_finish(&w);                         then fdt_writer_size(&w)
 *
 * The result is a version 17 blob (last compatible version 16): header,
 * memory reservation block, structure block, strings block, with no gaps;
 * property names are stored once (a name that is the tail of one already
 * stored, "phandle" after "linux,phandle", shares it), newest first, as
 * libfdt's sequential writer stores them.
 *
 * Every call checks its bounds and never writes outside [buf, buf + size).
 * The first failure sticks: every later call returns the same error, so a
 * builder may make all its calls and look at the result of the last one.
 * Errors: -ENOSPC (the buffer is too small), -EINVAL (calls out of order:
 * a property outside a node or after a child node, unbalanced nodes, a
 * second root, a bad name, anything after finish), -ERANGE (a value that
 * does not fit the cells asked for).
 *
 * Space: the finished blob needs exactly what it holds; a buffer of at least
 * that size always succeeds, any smaller one fails with -ENOSPC. While
 * writing, the strings are kept at the top of the buffer and moved down
 * behind the structure block by fdt_writer_finish().
 *
 * Names: a node name is "" for the root and otherwise 1..FDT_WRITER_NAME_MAX
 * printable ASCII characters without '/'; a property name the same, '/'
 * allowed. Stricter rules (the spec's character sets) are the caller's.
 */
#ifndef PROXENOS_FDT_WRITE_H
#define PROXENOS_FDT_WRITE_H

#include <proxenos/types.h>

/* Longest node or property name accepted (bytes, without the NUL). */
#define FDT_WRITER_NAME_MAX 255U

/* Smallest buffer that can hold any blob: header, reservation terminator,
 * an empty root node and FDT_END. */
#define FDT_WRITER_MIN_SIZE (40U + 16U + 8U + 4U + 4U)

/* The writer's state; fields are private to fdt_write.c. */
struct fdt_writer {
    uint8_t *buf;
    uint32_t size;          /* usable bytes of buf */
    uint32_t rsv_end;       /* next memory reservation entry */
    uint32_t struct_off;    /* start of the structure block (0 until the root) */
    uint32_t pos;           /* end of the structure block written so far */
    uint32_t strings_len;   /* strings at [size - strings_len, size) until finish */
    uint32_t prop_off;      /* FDT_PROP token of the open property */
    uint32_t total;         /* blob size after finish */
    uint32_t depth;         /* open nodes */
    uint32_t boot_cpuid;
    uint32_t phase;         /* enum in fdt_write.c */
    bool root_done;         /* the root was closed */
    bool after_child;       /* the innermost open node already has a child */
    int error;              /* first failure, 0 if none */
};

/* Start a blob in buf[0..size). Sizes above INT32_MAX are used only up to
 * INT32_MAX (what readers accept). -EINVAL for a NULL buffer, -ENOSPC when
 * size < FDT_WRITER_MIN_SIZE. */
int fdt_writer_init(struct fdt_writer *w, void *buf, size_t size);

/* Add a /memreserve/ entry. Only before the root node; size must not be 0
 * (a zero entry ends the block) and addr + size must fit in 64 bits. */
int fdt_writer_add_reservation(struct fdt_writer *w, uint64_t addr, uint64_t size);

/* The "boot_cpuid_phys" header field (default 0). Only before finish. */
int fdt_writer_set_boot_cpuid(struct fdt_writer *w, uint32_t cpuid);

/* Open a node: the root ("") first, then children of the open node. */
int fdt_writer_begin_node(struct fdt_writer *w, const char *name);

/* Close the innermost open node. */
int fdt_writer_end_node(struct fdt_writer *w);

/* ---- Properties of the innermost open node ------------------------------ */

/* A property with len raw bytes (value may be NULL when len is 0). */
int fdt_writer_prop(struct fdt_writer *w, const char *name, const void *value, uint32_t len);
/* A property without a value ("interrupt-controller;"). */
int fdt_writer_prop_empty(struct fdt_writer *w, const char *name);
/* One cell, and two cells (most significant first). */
int fdt_writer_prop_u32(struct fdt_writer *w, const char *name, uint32_t value);
int fdt_writer_prop_u64(struct fdt_writer *w, const char *name, uint64_t value);
/* n cells. */
int fdt_writer_prop_cells(struct fdt_writer *w, const char *name, const uint32_t *cells,
                          uint32_t n);
/* A NUL-terminated string, stored with its NUL. */
int fdt_writer_prop_string(struct fdt_writer *w, const char *name, const char *str);
/* n strings stored one after the other, each with its NUL. */
int fdt_writer_prop_stringlist(struct fdt_writer *w, const char *name,
                               const char *const *strs, uint32_t n);

/* A property built piece by piece (for values of unknown length, such as a
 * "reg" with one entry per bank): begin, any number of appends, end. No
 * other call may come between begin and end. */
int fdt_writer_prop_begin(struct fdt_writer *w, const char *name);
int fdt_writer_prop_append(struct fdt_writer *w, const void *data, uint32_t len);
/* value as 'cells' big-endian cells (0, 1 or 2): -ERANGE if it does not fit
 * (a value for 0 cells must be 0, for 1 cell below 2^32). */
int fdt_writer_prop_append_cells(struct fdt_writer *w, uint64_t value, uint32_t cells);
int fdt_writer_prop_end(struct fdt_writer *w);

/* ---- Result --------------------------------------------------------------- */

/* Close the blob: every node must be closed. Writes FDT_END, moves the
 * strings behind the structure block and fills in the header. */
int fdt_writer_finish(struct fdt_writer *w);

/* The blob's total size after a successful finish, else 0. */
uint32_t fdt_writer_size(const struct fdt_writer *w);

/* The first error (0 if none). */
int fdt_writer_error(const struct fdt_writer *w);

#endif
