/* Reading the discovery mode's configuration (dom0less_conf.h). A line is
 * checked as far as it can be without the device: its key, and its words
 * against what any type takes; the device's type checks them again when
 * the line is matched. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "devargs.h"
#include "dom0less_conf.h"

static void bad(struct d0l_conf_entry *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void bad(struct d0l_conf_entry *e, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(e->error, sizeof(e->error), fmt, ap);
    va_end(ap);
}

/* The characters of a device-tree node name (without a unit address). */
static bool node_name(const char *s, size_t n)
{
    size_t i;

    if (n == 0 || n >= D0L_NAME_MAX)
        return false;
    for (i = 0; i < n; i++) {
        char c = s[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr(",._+-@", c)))
            return false;
    }
    return true;
}

static bool parse_key(struct d0l_conf_entry *e, const char *key)
{
    size_t n = strcspn(key, "/@");
    unsigned long long v;
    char part[D0L_NAME_MAX];

    if (key[n] == '\0' || n == 0 || n >= sizeof(part)) {
        bad(e, "\"%s\" is not DOMAIN/DEVICE, DOMAIN@BASE or DOMID@BASE", key);
        return false;
    }
    memcpy(part, key, n);
    part[n] = '\0';
    if (part[0] >= '0' && part[0] <= '9') {
        if (!devargs_number(part, 0x7fef, &v)) {
            bad(e, "\"%s\": %s is not a domid", key, part);
            return false;
        }
        e->by_domid = true;
        e->domid = (uint16_t)v;
    } else if (!node_name(part, n) || strchr(part, '@')) {
        bad(e, "\"%s\": %s is not a domain's name", key, part);
        return false;
    } else {
        strcpy(e->domain, part);
    }
    if (key[n] == '@') {
        if (!devargs_number(key + n + 1, ~0ull, &v)) {
            bad(e, "\"%s\": %s is not a base address", key, key + n + 1);
            return false;
        }
        e->by_base = true;
        e->base = v;
    } else if (!node_name(key + n + 1, strlen(key + n + 1))) {
        bad(e, "\"%s\": %s is not a device's name", key, key + n + 1);
        return false;
    } else {
        strcpy(e->device, key + n + 1);
    }
    return true;
}

static bool same_key(const struct d0l_conf_entry *a, const struct d0l_conf_entry *b)
{
    return a->key_ok && b->key_ok && a->by_domid == b->by_domid && a->by_base == b->by_base &&
           (a->by_domid ? a->domid == b->domid : strcmp(a->domain, b->domain) == 0) &&
           (a->by_base ? a->base == b->base : strcmp(a->device, b->device) == 0);
}

static void read_line(struct d0l_conf *c, unsigned lineno, char *text)
{
    struct d0l_conf_entry *e;
    char key[2 * D0L_NAME_MAX + 24];
    struct devargs scratch;
    size_t n;
    unsigned i;

    text += strspn(text, " \t");
    text[strcspn(text, "\r\n")] = '\0';
    if (*text == '\0' || *text == '#')
        return;
    if (c->n == D0L_CONF_MAX) {
        c->dropped++;
        return;
    }
    e = &c->e[c->n++];
    memset(e, 0, sizeof(*e));
    e->line = lineno;
    n = strcspn(text, " \t");
    if (n >= sizeof(key)) {
        bad(e, "a key of %zu characters", n);
        return;
    }
    memcpy(key, text, n);
    key[n] = '\0';
    text += n;
    text += strspn(text, " \t");
    /* Trailing blanks are not a word. */
    n = strlen(text);
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
        text[--n] = '\0';
    e->key_ok = parse_key(e, key);
    if (!e->key_ok)
        return;
    for (i = 0; i + 1 < c->n; i++) {
        if (same_key(&c->e[i], e)) {
            bad(e, "%s is on line %u too", key, c->e[i].line);
            return;
        }
    }
    if (strcmp(text, "-") == 0) {
        e->elsewhere = true;
        return;
    }
    if (n >= sizeof(e->words)) {
        bad(e, "%zu characters of options, more than %zu", n, sizeof(e->words) - 1);
        return;
    }
    strcpy(e->words, text);
    if (devargs_parse(e->words, NULL, &scratch, e->error, sizeof(e->error)) != 0)
        return;
}

void d0l_conf_read(FILE *f, struct d0l_conf *c)
{
    char line[1024];
    unsigned lineno = 0;
    bool cut = false;

    memset(c, 0, sizeof(*c));
    while (fgets(line, sizeof(line), f)) {
        size_t n = strlen(line);
        bool whole = n > 0 && line[n - 1] == '\n';

        /* The rest of a line too long for the buffer is skipped: its start
         * was already refused. */
        if (cut) {
            cut = !whole;
            continue;
        }
        lineno++;
        if (!whole && !feof(f)) {
            cut = true;
            if (c->n < D0L_CONF_MAX) {
                struct d0l_conf_entry *e = &c->e[c->n++];

                memset(e, 0, sizeof(*e));
                e->line = lineno;
                bad(e, "a line over %zu characters", sizeof(line) - 2);
            }
            continue;
        }
        read_line(c, lineno, line);
    }
}

bool d0l_conf_matches(const struct d0l_conf_entry *e, const struct d0l_dev *d)
{
    if (!e->key_ok)
        return false;
    if (e->by_domid ? e->domid != d->domid : strcmp(e->domain, d->domain) != 0)
        return false;
    return e->by_base ? e->base == d->base : strcmp(e->device, d->device) == 0;
}
