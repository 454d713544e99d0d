/* Between the three files of the device-tree reader: fdt_token.c decodes
 * the structure block's tokens and the strings block, fdt_check.c validates
 * a blob with them, and fdt.c walks nodes and properties with them. Calls
 * go one way: fdt_check.c uses fdt.c, and both use fdt_token.c. */
#ifndef PROXENOS_COMMON_FDT_TOKEN_H
#define PROXENOS_COMMON_FDT_TOKEN_H

#include <proxenos/fdt.h>

/* One token of the structure block. */
struct fdt_token {
    uint32_t type;
    uint32_t off;      /* where the token starts */
    uint32_t next;     /* where the token after it starts */
};

/* The first byte past the structure block. */
uint32_t fdt_struct_end(const struct fdt *fdt);

/* Decode the token at 'off'. Returns NULL, or why the token is bad. Every
 * byte the token covers is checked to lie in the structure block. */
const char *fdt_token_read(const struct fdt *fdt, uint32_t off, struct fdt_token *t);

/* The NUL-terminated string at 'nameoff' in the strings block, or NULL. */
const char *fdt_string_at(const struct fdt *fdt, uint32_t nameoff);

#endif
