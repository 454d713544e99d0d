/*
 * /chosen/bootargs as space-separated "key=value" or bare "key" words,
 * e.g. "name=g1 count=5". Later words win over earlier ones.
 */
#ifndef GUEST_BOOTARGS_H
#define GUEST_BOOTARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copies key's value ("" for a bare key) into out; false if key is absent. */
bool bootarg_get(const char *args, const char *key, char *out, size_t out_size);

/* Decimal or 0x-hex value of key, dflt if absent or not a number. */
uint64_t bootarg_u64(const char *args, const char *key, uint64_t dflt);

/* Parses a decimal or 0x-hex number; false on anything else. */
bool parse_u64(const char *s, uint64_t *out);

#endif
