#include "bootargs.h"
#include "string.h"

bool bootarg_get(const char *args, const char *key, char *out, size_t out_size)
{
    size_t klen = strlen(key);
    size_t i = 0U;
    bool found = false;

    while (args[i] != '\0') {
        size_t start;
        size_t end;

        while (args[i] == ' ') {
            i++;
        }
        start = i;
        while ((args[i] != '\0') && (args[i] != ' ')) {
            i++;
        }
        end = i;
        if (((end - start) < klen) || (strncmp(&args[start], key, klen) != 0)) {
            continue;
        }
        if ((end - start) == klen) {
            if (out_size > 0U) {
                out[0] = '\0';
            }
            found = true;
        } else if (args[start + klen] == '=') {
            size_t vlen = end - (start + klen + 1U);
            size_t n = (vlen < out_size) ? vlen : ((out_size > 0U) ? (out_size - 1U) : 0U);

            if (out_size > 0U) {
                memcpy(out, &args[start + klen + 1U], n);
                out[n] = '\0';
            }
            found = true;
        } else {
            /* a longer key that starts with ours */
        }
    }
    return found;
}

bool parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0U;
    uint64_t base = 10U;
    size_t i = 0U;

    if ((s[0] == '0') && ((s[1] == 'x') || (s[1] == 'X'))) {
        base = 16U;
        i = 2U;
    }
    if (s[i] == '\0') {
        return false;
    }
    for (; s[i] != '\0'; i++) {
        char c = s[i];
        uint64_t d;

        if ((c >= '0') && (c <= '9')) {
            d = (uint64_t)(c - '0');
        } else if ((base == 16U) && (c >= 'a') && (c <= 'f')) {
            d = (uint64_t)(c - 'a') + 10U;
        } else if ((base == 16U) && (c >= 'A') && (c <= 'F')) {
            d = (uint64_t)(c - 'A') + 10U;
        } else {
            return false;
        }
        v = (v * base) + d;
    }
    *out = v;
    return true;
}

uint64_t bootarg_u64(const char *args, const char *key, uint64_t dflt)
{
    char buf[24];
    uint64_t v;

    if (!bootarg_get(args, key, buf, sizeof(buf)) || !parse_u64(buf, &v)) {
        return dflt;
    }
    return v;
}
