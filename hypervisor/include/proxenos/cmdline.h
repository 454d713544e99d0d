/* The hypervisor command line, parsed as Xen 4.17 does.
 *
 * Syntax: options separated by spaces (tabs and line breaks also separate),
 * each "name" or "name=value"; no quoting. Kinds of value:
 *   boolean  yes/on/true/enable/1 and no/off/false/disable/0; a bare "name"
 *            means true and "no-name" false ("no-name=X" inverts X).
 *   integer  decimal, 0x-prefixed hex or 0-prefixed octal, optionally
 *            negative; it must fit the variable (a negative value must fit
 *            its signed counterpart).
 *   size     an integer with one suffix: T/t, G/g, M/m, K/k (binary
 *            multiples) or B/b (bytes). No suffix means KiB: that is Xen's
 *            parse_size_and_unit() rule ("dom0_mem=512" is 512 KiB).
 *   string   copied into the variable's buffer with its NUL; a value that
 *            does not fit is rejected, not cut.
 *   custom   a function gets the value text ("" for a bare name, "no" for
 *            "no-name") and returns 0 or a negative error.
 * Option names match exactly ('-' and '_' differ, as in Xen 4.17).
 *
 * Options are declared next to the variable they set, anywhere in the
 * hypervisor, with the PARAM_* macros below; each puts a descriptor in the
 * ".data.param" section, which the linker script gathers between
 * __param_start and __param_end. The parser takes the table as two
 * pointers, so tests pass their own arrays.
 *
 * Problems are reported, never fatal: an unknown name gives
 *     parameter "x" unknown!
 * and a bad value
 *     parameter "x" has invalid value "v", rc=-22!
 * and leaves the variable unchanged.
 */
#ifndef PROXENOS_CMDLINE_H
#define PROXENOS_CMDLINE_H

#include <proxenos/types.h>
#include <proxenos/lib.h>

enum cmdline_param_type {
    PARAM_TYPE_BOOL,
    PARAM_TYPE_UINT,
    PARAM_TYPE_SIZE,
    PARAM_TYPE_STRING,
    PARAM_TYPE_CUSTOM,
    PARAM_TYPE_IGNORE,       /* accepted and dropped (options for others) */
};

struct cmdline_param {
    const char *name;
    enum cmdline_param_type type;
    uint32_t len;            /* bytes of the variable: 1, 2, 4 or 8 for
                                integers and booleans, the buffer size for
                                strings */
    void *var;
    int (*parse)(const char *value);   /* PARAM_TYPE_CUSTOM only */
};

/* Longest option ("name=value") the parser handles; longer ones are
 * reported as invalid (-E2BIG). */
#define CMDLINE_MAX_OPTION 256U

#define PARAM_SECTION_ __used __section(".data.param") __aligned(8)

#define PARAM_INT_SIZE_OK_(v) \
    ((sizeof(v) == 1U) || (sizeof(v) == 2U) || (sizeof(v) == 4U) || (sizeof(v) == 8U))

#define PARAM_CAT2_(a, b) a##b
#define PARAM_CAT_(a, b) PARAM_CAT2_(a, b)

/* The descriptor is called cmdline_param_<ident>. */
#define PARAM_DESC_(ident, nm, ty, ln, vr, fn) \
    static const struct cmdline_param PARAM_CAT_(cmdline_param_, ident) PARAM_SECTION_ = { \
        .name = (nm), .type = (ty), .len = (ln), .var = (vr), .parse = (fn) }

/* 'var' must be a plain identifier (it names the descriptor too). */
#define PARAM_BOOL(name, var) \
    _Static_assert(PARAM_INT_SIZE_OK_(var), "boolean option variable size"); \
    PARAM_DESC_(var, name, PARAM_TYPE_BOOL, (uint32_t)sizeof(var), &(var), NULL)

#define PARAM_UINT(name, var) \
    _Static_assert(PARAM_INT_SIZE_OK_(var), "integer option variable size"); \
    PARAM_DESC_(var, name, PARAM_TYPE_UINT, (uint32_t)sizeof(var), &(var), NULL)

#define PARAM_SIZE(name, var) \
    _Static_assert(PARAM_INT_SIZE_OK_(var), "size option variable size"); \
    PARAM_DESC_(var, name, PARAM_TYPE_SIZE, (uint32_t)sizeof(var), &(var), NULL)

/* 'buf' must be a char array: its size bounds the copy. */
#define PARAM_STRING(name, buf) \
    _Static_assert(_Generic(&(buf), char (*)[sizeof(buf)]: 1, default: 0), \
                   "string option needs a char array"); \
    PARAM_DESC_(buf, name, PARAM_TYPE_STRING, (uint32_t)sizeof(buf), (buf), NULL)

/* fn: int fn(const char *value). The value text lives only for the call. */
#define PARAM_CUSTOM(name, fn) \
    PARAM_DESC_(fn, name, PARAM_TYPE_CUSTOM, 0U, NULL, (fn))

#define PARAM_IGNORE(name) \
    PARAM_DESC_(PARAM_CAT_(ignore_, __LINE__), name, PARAM_TYPE_IGNORE, 0U, NULL, NULL)

/* How the parser tells about a problem: 'value' is NULL for an unknown
 * option, else the rejected value, and rc the error. */
typedef void (*cmdline_report_fn)(const char *key, const char *value, int rc);

/* Prints the two Xen messages above with printk. */
void cmdline_report_printk(const char *key, const char *value, int rc);

/* Apply every option of 'line' (may be NULL) to the table [begin, end).
 * Every entry with the option's name is applied. Returns 0, or the error of
 * the last problem (-EINVAL for an unknown option); each problem is passed
 * to 'report' (NULL: cmdline_report_printk). */
int cmdline_parse_params(const char *line, const struct cmdline_param *begin,
                         const struct cmdline_param *end, cmdline_report_fn report);

/* The table the linker script builds from every PARAM_* in the image. */
extern const struct cmdline_param __param_start[];
extern const struct cmdline_param __param_end[];

static inline int cmdline_parse(const char *line)
{
    return cmdline_parse_params(line, __param_start, __param_end, NULL);
}

/* ---- Helpers for custom option parsers -------------------------------- */

/* s[0..e) (e NULL: to the NUL) as a boolean word: 1, 0, or -EINVAL. */
int cmdline_parse_bool(const char *s, const char *e);

/* s[0..e) as "[no-]name[=bool]" (Xen's parse_boolean, for list items such
 * as "iommu=verbose,no-debug"): 1 or 0, -ENOENT if it is not about 'name',
 * -EINVAL if the value is not a boolean. */
int cmdline_parse_boolean(const char *name, const char *s, const char *e);

/* An unsigned integer (decimal, 0x hex, 0 octal) at s. *end (may be NULL)
 * gets the first character not used. -EINVAL without digits, -EOVERFLOW
 * beyond 64 bits. */
int cmdline_parse_uint(const char *s, const char **end, uint64_t *out);

/* A size with Xen's suffix rules (see above) at s, in bytes. */
int cmdline_parse_size(const char *s, const char **end, uint64_t *out);

/* 0 if 'frag' starts with 'name' followed by NUL, ',', ':', ';' or '=',
 * else non-zero: for picking names out of "a,b:c" option values. */
int cmdline_strcmp(const char *frag, const char *name);

#endif
