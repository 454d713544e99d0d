/* Deciding each device's fate (dom0less_plan.h). The configuration file
 * wins over the boot tree's proxenos,backend-args: dom0's administrator
 * knows dom0's disks and interfaces, the boot tree's author may not. A
 * device two lines name is refused rather than served by a guess. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dom0less_plan.h"
#include "virtio_abi.h"

static void say(struct d0l_plan *p, enum d0l_action a, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(struct d0l_plan *p, enum d0l_action a, const char *fmt, ...)
{
    va_list ap;

    p->action = a;
    va_start(ap, fmt);
    vsnprintf(p->why, sizeof(p->why), fmt, ap);
    va_end(ap);
}

static void plan_one(const struct d0l_dev *d, struct d0l_conf *conf, struct d0l_plan *p)
{
    struct d0l_conf_entry *line = NULL;
    char why[192];
    unsigned i;

    memset(p, 0, sizeof(*p));
    for (i = 0; conf && i < conf->n; i++) {
        struct d0l_conf_entry *e = &conf->e[i];

        if (!d0l_conf_matches(e, d))
            continue;
        e->used = true;
        if (line) {
            say(p, D0L_REFUSED, "configuration lines %u and %u both name it", line->line,
                e->line);
            return;
        }
        line = e;
    }
    if (d->error[0]) {
        say(p, D0L_REFUSED, "%s", d->error);
        return;
    }
    if (!devargs_type_known(d->type)) {
        say(p, D0L_REFUSED, "this back end serves no %s device", d->type);
        return;
    }
    /* Our register file is one window of this size (xen_glue claims
     * exactly it); a larger range would stay partly unclaimed, and the
     * domU held for ever. */
    if (d->size != VMMIO_WINDOW) {
        say(p, D0L_REFUSED, "a window of %#llx bytes; this back end serves %#x",
            (unsigned long long)d->size, VMMIO_WINDOW);
        return;
    }
    if (line && line->error[0]) {
        say(p, D0L_REFUSED, "configuration line %u: %s", line->line, line->error);
        return;
    }
    if (line && line->elsewhere) {
        say(p, D0L_ELSEWHERE, "configuration line %u leaves it to another back end",
            line->line);
        return;
    }
    if (line) {
        if (devargs_parse(line->words, d->type, &p->args, why, sizeof(why)) != 0) {
            say(p, D0L_REFUSED, "configuration line %u: %s", line->line, why);
            return;
        }
        p->conf_line = line->line;
        p->action = D0L_SERVE;
        return;
    }
    if (!d->has_args) {
        say(p, D0L_UNCONFIGURED, "no configuration line and no proxenos,backend-args");
        return;
    }
    if (devargs_parse(d->args, d->type, &p->args, why, sizeof(why)) != 0) {
        say(p, D0L_REFUSED, "proxenos,backend-args \"%s\": %s", d->args, why);
        return;
    }
    p->action = D0L_SERVE;
}

void d0l_plan(const struct d0l_dev *devs, unsigned n, struct d0l_conf *conf,
              struct d0l_plan *plans)
{
    unsigned i;

    for (i = 0; i < n; i++)
        plan_one(&devs[i], conf, &plans[i]);
}
