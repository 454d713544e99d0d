/* Command-line parsing: splitting into options, matching them against a
 * table of descriptors, and the value parsers. Semantics follow Xen 4.17's
 * parse_params() and parse_size_and_unit(); see cmdline.h. */
#include <proxenos/cmdline.h>
#include <proxenos/errno.h>
#include <proxenos/printk.h>
#include <proxenos/string.h>

static bool is_separator(char c)
{
    return (c == ' ') || (c == '\t') || (c == '\n') || (c == '\r');
}

/* ---- Value parsers ----------------------------------------------------- */

static bool word_is(const char *s, size_t len, const char *word)
{
    return (strlen(word) == len) && (memcmp(s, word, len) == 0);
}

int cmdline_parse_bool(const char *s, const char *e)
{
    static const char *const yes[] = { "1", "on", "yes", "true", "enable" };
    static const char *const no[] = { "0", "no", "off", "false", "disable" };
    size_t len = (e != NULL) ? (size_t)(e - s) : strlen(s);

    for (size_t i = 0U; i < ARRAY_SIZE(yes); i++) {
        if (word_is(s, len, yes[i])) {
            return 1;
        }
    }
    for (size_t i = 0U; i < ARRAY_SIZE(no); i++) {
        if (word_is(s, len, no[i])) {
            return 0;
        }
    }
    return -EINVAL;
}

int cmdline_parse_boolean(const char *name, const char *s, const char *e)
{
    size_t len = (e != NULL) ? (size_t)(e - s) : strlen(s);
    size_t name_len = strlen(name);
    bool negated = (len >= 3U) && (memcmp(s, "no-", 3U) == 0);
    int value;

    if (negated) {
        s += 3;
        len -= 3U;
    }
    if ((len < name_len) || (memcmp(s, name, name_len) != 0)) {
        return -ENOENT;
    }
    if (len == name_len) {
        return negated ? 0 : 1;
    }
    if (s[name_len] != '=') {
        return -ENOENT;       /* a longer name that starts the same */
    }
    value = cmdline_parse_bool(&s[name_len + 1U], &s[len]);
    if ((value >= 0) && negated) {
        value = (value == 0) ? 1 : 0;
    }
    return value;
}

static int digit_value(char c)
{
    if ((c >= '0') && (c <= '9')) {
        return c - '0';
    }
    if ((c >= 'a') && (c <= 'f')) {
        return (c - 'a') + 10;
    }
    if ((c >= 'A') && (c <= 'F')) {
        return (c - 'A') + 10;
    }
    return 99;
}

int cmdline_parse_uint(const char *s, const char **end, uint64_t *out)
{
    uint64_t base = 10U;
    uint64_t v = 0U;
    const char *p = s;
    bool any = false;
    bool overflow = false;

    if ((p[0] == '0') && ((p[1] == 'x') || (p[1] == 'X')) && (digit_value(p[2]) < 16)) {
        base = 16U;
        p = &p[2];
    } else if (p[0] == '0') {
        base = 8U;    /* the '0' itself is a digit: "0" reads as zero */
    } else {
        /* decimal */
    }
    for (;;) {
        int d = digit_value(*p);

        if ((d < 0) || ((uint64_t)d >= base)) {
            break;
        }
        if (v > ((UINT64_MAX - (uint64_t)d) / base)) {
            overflow = true;
        }
        v = (v * base) + (uint64_t)d;
        any = true;
        p++;
    }
    if (end != NULL) {
        *end = p;
    }
    if (!any) {
        return -EINVAL;
    }
    if (overflow) {
        return -EOVERFLOW;
    }
    *out = v;
    return 0;
}

int cmdline_parse_size(const char *s, const char **end, uint64_t *out)
{
    const char *p = s;
    unsigned int shift;
    uint64_t v = 0U;
    int rc = cmdline_parse_uint(s, &p, &v);

    if (rc != 0) {
        if (end != NULL) {
            *end = p;
        }
        return rc;
    }
    switch (*p) {
    case 'T':
    case 't':
        shift = 40U;
        p++;
        break;
    case 'G':
    case 'g':
        shift = 30U;
        p++;
        break;
    case 'M':
    case 'm':
        shift = 20U;
        p++;
        break;
    case 'K':
    case 'k':
        shift = 10U;
        p++;
        break;
    case 'B':
    case 'b':
        shift = 0U;
        p++;
        break;
    default:
        shift = 10U;  /* no suffix: KiB, as Xen */
        break;
    }
    if (end != NULL) {
        *end = p;
    }
    if ((shift != 0U) && ((v >> (64U - shift)) != 0U)) {
        return -EOVERFLOW;
    }
    *out = v << shift;
    return 0;
}

int cmdline_strcmp(const char *frag, const char *name)
{
    size_t i = 0U;

    while (name[i] != '\0') {
        if (frag[i] != name[i]) {
            return ((unsigned char)frag[i] < (unsigned char)name[i]) ? -1 : 1;
        }
        i++;
    }
    if ((frag[i] == '\0') || (frag[i] == ',') || (frag[i] == ':') || (frag[i] == ';') ||
        (frag[i] == '=')) {
        return 0;
    }
    return 1;
}

/* ---- Storing values ----------------------------------------------------- */

/* A signed or unsigned 64-bit value into a variable of p->len bytes: it
 * must fit either as unsigned or, read as negative, as signed. */
static int store_integer(const struct cmdline_param *p, uint64_t v)
{
    uint64_t max;

    if ((p->len == 0U) || (p->len > 8U) || ((p->len & (p->len - 1U)) != 0U)) {
        return -EINVAL;   /* a descriptor not made by the macros */
    }
    if (p->len < 8U) {
        uint32_t bits = p->len * 8U;

        max = (1ULL << bits) - 1U;
        if ((v > max) && (v < (0ULL - (1ULL << (bits - 1U))))) {
            return -EOVERFLOW;
        }
    }
    switch (p->len) {
    case 1U: {
        uint8_t x = (uint8_t)v;

        memcpy(p->var, &x, sizeof(x));
        break;
    }
    case 2U: {
        uint16_t x = (uint16_t)v;

        memcpy(p->var, &x, sizeof(x));
        break;
    }
    case 4U: {
        uint32_t x = (uint32_t)v;

        memcpy(p->var, &x, sizeof(x));
        break;
    }
    default:
        memcpy(p->var, &v, sizeof(v));
        break;
    }
    return 0;
}

/* An integer option value: optional '-' (integers only), then the number,
 * then nothing. */
static int parse_integer(const char *value, bool size, uint64_t *out)
{
    const char *p = value;
    const char *end = value;
    bool negative = !size && (p[0] == '-');
    uint64_t v = 0U;
    int rc;

    if (negative) {
        p++;
    }
    rc = size ? cmdline_parse_size(p, &end, &v) : cmdline_parse_uint(p, &end, &v);
    if (rc != 0) {
        return rc;
    }
    if (*end != '\0') {
        return -EINVAL;
    }
    *out = negative ? (0U - v) : v;
    return 0;
}

/* Apply one option to one descriptor. 'negated': it was written "no-name". */
static int apply(const struct cmdline_param *p, const char *value, bool negated)
{
    uint64_t v = 0U;
    int rc = 0;

    switch (p->type) {
    case PARAM_TYPE_BOOL:
        /* A bare name and an empty value ("flag=") both mean true. */
        rc = (value[0] != '\0') ? cmdline_parse_bool(value, NULL) : 1;
        if (rc >= 0) {
            v = ((rc != 0) != negated) ? 1U : 0U;
            rc = store_integer(p, v);
        }
        break;
    case PARAM_TYPE_UINT:
    case PARAM_TYPE_SIZE:
        if (negated) {
            return -EINVAL;
        }
        rc = parse_integer(value, p->type == PARAM_TYPE_SIZE, &v);
        if (rc == 0) {
            rc = store_integer(p, v);
        }
        break;
    case PARAM_TYPE_STRING: {
        size_t len = strlen(value);

        if (negated) {
            return -EINVAL;
        }
        if (len >= p->len) {
            return -E2BIG;
        }
        memcpy(p->var, value, len + 1U);
        break;
    }
    case PARAM_TYPE_CUSTOM:
        if (negated) {
            /* "no-name" hands "no" to the parser; "no-name=x" is nonsense. */
            rc = (value[0] != '\0') ? -EINVAL : p->parse("no");
        } else {
            rc = p->parse(value);
        }
        break;
    default:  /* PARAM_TYPE_IGNORE */
        break;
    }
    return (rc > 0) ? 0 : rc;
}

/* Apply to every descriptor called 'key'. Returns how many there were;
 * *rc gets the first error. */
static unsigned int apply_all(const char *key, const char *value, bool negated,
                              const struct cmdline_param *begin,
                              const struct cmdline_param *end, int *rc)
{
    unsigned int found = 0U;

    for (const struct cmdline_param *p = begin; p < end; p++) {
        int r;

        if ((p->name == NULL) || (strcmp(p->name, key) != 0)) {
            continue;
        }
        found++;
        r = apply(p, value, negated);
        if (*rc == 0) {
            *rc = r;
        }
    }
    return found;
}

void cmdline_report_printk(const char *key, const char *value, int rc)
{
    if (value == NULL) {
        printk(LOG_WARNING, "parameter \"%s\" unknown!\n", key);
    } else {
        printk(LOG_WARNING, "parameter \"%s\" has invalid value \"%s\", rc=%d!\n", key, value,
               rc);
    }
}

/* Parse one option held in opt (modified: the '=' becomes a NUL). */
static int parse_option(char *opt, const struct cmdline_param *begin,
                        const struct cmdline_param *end, cmdline_report_fn report)
{
    char *eq = strchr(opt, '=');
    const char *value = "";
    int rc = 0;
    unsigned int found;

    if (eq != NULL) {
        *eq = '\0';
        value = &eq[1];
    }
    found = apply_all(opt, value, false, begin, end, &rc);
    if ((found == 0U) && (strncmp(opt, "no-", 3U) == 0)) {
        found = apply_all(&opt[3], value, true, begin, end, &rc);
    }
    if (found == 0U) {
        report(opt, NULL, -EINVAL);
        return -EINVAL;
    }
    if (rc != 0) {
        report(opt, value, rc);
    }
    return rc;
}

int cmdline_parse_params(const char *line, const struct cmdline_param *begin,
                         const struct cmdline_param *end, cmdline_report_fn report)
{
    char opt[CMDLINE_MAX_OPTION];
    const char *p = line;
    int final_rc = 0;

    if (report == NULL) {
        report = cmdline_report_printk;
    }
    if (p == NULL) {
        return 0;
    }
    for (;;) {
        size_t len = 0U;
        int rc;

        while (is_separator(*p)) {
            p++;
        }
        if (*p == '\0') {
            break;
        }
        while ((p[len] != '\0') && !is_separator(p[len])) {
            len++;
        }
        if (len >= sizeof(opt)) {
            /* Report its name (or as much as fits); never act on a
             * cut-off value. */
            char *eq;

            memcpy(opt, p, sizeof(opt) - 1U);
            opt[sizeof(opt) - 1U] = '\0';
            eq = strchr(opt, '=');
            if (eq != NULL) {
                *eq = '\0';
            }
            report(opt, "", -E2BIG);
            rc = -E2BIG;
        } else {
            memcpy(opt, p, len);
            opt[len] = '\0';
            rc = parse_option(opt, begin, end, report);
        }
        if (rc != 0) {
            final_rc = rc;
        }
        p = &p[len];
    }
    return final_rc;
}
