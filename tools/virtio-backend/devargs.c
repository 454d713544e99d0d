/* Option words (devargs.h) to the options a device type is created with.
 * Checked here, before any process is started for the device, so that a
 * typing error in a boot tree or a configuration file is one clear line
 * and not a device that half starts. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devargs.h"

enum {
    K_TARGET = 1u << 0,
    K_ACCESS = 1u << 1,
    K_QUEUES = 1u << 2,
    K_TAP = 1u << 3,
    K_MAC = 1u << 4,
    K_MTU = 1u << 5,
};

struct type_words {
    const char *type;
    unsigned keys;          /* the keys that mean something to it */
    bool needs_path;
};

/* What main.c's command line takes for each type, as words. */
static const struct type_words types[] = {
    { "blk", K_TARGET | K_ACCESS | K_QUEUES, true },
    { "net", K_TAP | K_MAC | K_MTU, false },
    { "i2c", K_TARGET, true },
    { "gpio", K_TARGET, true },
};

static const struct {
    const char *name;
    unsigned key;
} keys[] = {
    { "target", K_TARGET }, { "access", K_ACCESS }, { "queues", K_QUEUES },
    { "tap", K_TAP },       { "mac", K_MAC },       { "mtu", K_MTU },
};

bool devargs_number(const char *s, unsigned long long max, unsigned long long *v)
{
    char *end;

    if (*s == '-' || *s == '+' || *s == ' ')
        return false;
    errno = 0;
    *v = strtoull(s, &end, 0);
    return *s && *end == '\0' && errno == 0 && *v <= max;
}

bool devargs_mac(const char *s, uint8_t mac[6])
{
    unsigned b[6];
    char tail;
    int i;

    if (strlen(s) != 17 || sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
                                  &b[4], &b[5], &tail) != 6)
        return false;
    for (i = 0; i < 6; i++)
        mac[i] = (uint8_t)b[i];
    /* A multicast address cannot be a station's. */
    return (mac[0] & 1u) == 0;
}

static const struct type_words *find_type(const char *type)
{
    size_t i;

    for (i = 0; type && i < sizeof(types) / sizeof(types[0]); i++) {
        if (strcmp(types[i].type, type) == 0)
            return &types[i];
    }
    return NULL;
}

bool devargs_type_known(const char *type)
{
    return find_type(type) != NULL;
}

static int fail(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *why, size_t len, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
    return -1;
}

static int set_path(struct devargs *a, const char *p, char *why, size_t len)
{
    if (a->path[0])
        return fail(why, len, "two paths (%s and %s)", a->path, p);
    if (!*p)
        return fail(why, len, "an empty path");
    if (strlen(p) >= sizeof(a->path))
        return fail(why, len, "a path of %zu characters, over %zu", strlen(p),
                    sizeof(a->path) - 1);
    strcpy(a->path, p);
    return 0;
}

/* One key=value word; unsigned key already known. */
static int one_option(struct devargs *a, unsigned key, const char *word, const char *val,
                      char *why, size_t len)
{
    unsigned long long v;

    switch (key) {
    case K_TARGET:
        return set_path(a, val, why, len);
    case K_ACCESS:
        if (strcmp(val, "ro") != 0 && strcmp(val, "rw") != 0)
            return fail(why, len, "%s: access is ro or rw", word);
        a->ro = strcmp(val, "ro") == 0;
        return 0;
    case K_QUEUES:
        if (!devargs_number(val, 16, &v) || v == 0)
            return fail(why, len, "%s: queues is 1 to 16", word);
        a->queues = (unsigned)v;
        return 0;
    case K_TAP:
        /* IFNAMSIZ is 16 with the NUL; a '/' would make a path of it. */
        if (!*val || strlen(val) >= sizeof(a->tap) || strchr(val, '/'))
            return fail(why, len, "%s: a tap name is 1 to 15 characters", word);
        strcpy(a->tap, val);
        return 0;
    case K_MAC:
        if (!devargs_mac(val, a->mac))
            return fail(why, len, "%s: not a unicast XX:XX:XX:XX:XX:XX", word);
        a->have_mac = true;
        return 0;
    default:
        if (!devargs_number(val, 65535, &v) || v < 68)
            return fail(why, len, "%s: mtu is 68 to 65535", word);
        a->mtu = (unsigned)v;
        return 0;
    }
}

static int one_word(struct devargs *a, const struct type_words *t, const char *type,
                    const char *word, unsigned *seen, char *why, size_t len)
{
    const char *eq = strchr(word, '=');
    size_t i, klen = eq ? (size_t)(eq - word) : 0;

    /* A word is an option only when it starts with a lowercase name and
     * '=': a path (even one holding '=') starts otherwise. */
    for (i = 0; i < klen && word[i] >= 'a' && word[i] <= 'z'; i++)
        ;
    if (!eq || klen == 0 || i != klen) {
        if (t && !t->needs_path)
            return fail(why, len, "%s: a device of type %s takes no path", word, type);
        return set_path(a, word, why, len);
    }
    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        if (strlen(keys[i].name) == klen && strncmp(keys[i].name, word, klen) == 0)
            break;
    }
    if (i == sizeof(keys) / sizeof(keys[0]))
        return fail(why, len, "%s: no option %.*s", word, (int)klen, word);
    if (t && !(t->keys & keys[i].key))
        return fail(why, len, "%s: a device of type %s has no option %s", word, type, keys[i].name);
    if (*seen & keys[i].key)
        return fail(why, len, "%s: %s given twice", word, keys[i].name);
    *seen |= keys[i].key;
    return one_option(a, keys[i].key, word, eq + 1, why, len);
}

int devargs_parse(const char *words, const char *type, struct devargs *a, char *why,
                  size_t why_len)
{
    const struct type_words *t = NULL;
    const char *p = words;
    unsigned seen = 0;

    memset(a, 0, sizeof(*a));
    if (why_len)
        why[0] = '\0';
    if (type) {
        t = find_type(type);
        if (!t)
            return fail(why, why_len, "this back end serves no %s device", type);
    }
    for (;;) {
        char word[300];
        size_t n;

        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        n = strcspn(p, " \t");
        if (n >= sizeof(word))
            return fail(why, why_len, "a word of %zu characters", n);
        memcpy(word, p, n);
        word[n] = '\0';
        p += n;
        if (one_word(a, t, type, word, &seen, why, why_len) != 0)
            return -1;
    }
    if (t && t->needs_path && !a->path[0])
        return fail(why, why_len, "a device of type %s needs a path (PATH or target=PATH)", type);
    return 0;
}

void devargs_to_opts(const struct devargs *a, struct vdev_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->path = a->path[0] ? a->path : NULL;
    o->ro = a->ro;
    o->queues = a->queues;
    o->tap = a->tap[0] ? a->tap : NULL;
    o->have_mac = a->have_mac;
    memcpy(o->mac, a->mac, sizeof(o->mac));
    o->mtu = a->mtu;
}
