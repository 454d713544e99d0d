/* The discovery mode's processes. The parent reads and decides
 * (dom0less_plan.c), then forks one child per device to serve; the child
 * is the command-line mode's serve_device() with the planned options, so
 * one guest's device cannot take another's down. The parent holds no Xen
 * handle and no thread, so a plain fork is a clean start for the child. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dom0less.h"
#include "dom0less_plan.h"
#include "log.h"
#include "serve.h"
#include "vdev_types.h"

static volatile sig_atomic_t quit;

static void on_quit(int sig)
{
    quit = sig;
}

struct child {
    pid_t pid;
    const struct d0l_dev *dev;
};

static int load_conf(const char *path, struct d0l_conf *c)
{
    FILE *f = fopen(path ? path : D0L_CONF_DEFAULT, "r");
    unsigned i;

    memset(c, 0, sizeof(*c));
    if (!f) {
        if (!path && errno == ENOENT)
            return 0;
        log_msg("cannot read %s: %s", path ? path : D0L_CONF_DEFAULT, strerror(errno));
        return -1;
    }
    d0l_conf_read(f, c);
    fclose(f);
    log_msg("configuration %s: %u line(s)", path ? path : D0L_CONF_DEFAULT, c->n);
    for (i = 0; i < c->n; i++) {
        if (c->e[i].error[0])
            log_msg("configuration line %u: %s", c->e[i].line, c->e[i].error);
    }
    if (c->dropped)
        log_msg("configuration: %u line(s) past the first %u ignored", c->dropped,
                D0L_CONF_MAX);
    return 0;
}

static pid_t start(const struct d0l_dev *d, const struct d0l_plan *p)
{
    struct serve_params sp = {
        .domid = d->domid, .base = d->base, .irq = d->irq, .type = vdev_type_find(d->type),
    };
    pid_t pid;

    if (!sp.type) {
        log_msg("%s: no device type %s", d->node, d->type);
        return -1;
    }
    devargs_to_opts(&p->args, &sp.opts);
    pid = fork();
    if (pid < 0) {
        log_msg("%s: fork: %s", d->node, strerror(errno));
        return -1;
    }
    if (pid == 0) {
        log_set_prefix("virtio-%s dom%u", d->type, d->domid);
        serve_catch_signals();
        _exit(serve_device(&sp, NULL) == 0 ? 0 : 1);
    }
    return pid;
}

static void describe(const struct d0l_dev *d, const struct d0l_plan *p, pid_t pid)
{
    char from[48];

    /* A bad node's other fields are not to be believed. */
    if (d->error[0]) {
        log_msg("%s: not served: %s; its domain stays held paused until something claims "
                "the device", d->node, p->why);
        return;
    }
    if (p->action != D0L_SERVE) {
        log_msg("%s (%s/%s, %s at %#llx, SPI %u): not served: %s; %s stays held paused "
                "until something claims it",
                d->node, d->domain, d->device, d->type, (unsigned long long)d->base, d->irq,
                p->why, d->domain);
        return;
    }
    if (p->conf_line)
        snprintf(from, sizeof(from), "configuration line %u", p->conf_line);
    else
        snprintf(from, sizeof(from), "proxenos,backend-args");
    log_msg("%s (%s/%s, %s at %#llx, SPI %u): served by process %d, as %s says", d->node,
            d->domain, d->device, d->type, (unsigned long long)d->base, d->irq, (int)pid, from);
}

/* Wait for every child; a signal to us is passed on to them once. */
static bool wait_all(struct child *ch, unsigned n, unsigned live)
{
    bool clean = true, passed_on = false;
    unsigned i;

    while (live > 0) {
        int status;
        pid_t pid;

        if (quit && !passed_on) {
            log_msg("signal %d: passed on to the %u serving process(es)", (int)quit, live);
            for (i = 0; i < n; i++) {
                if (ch[i].pid > 0)
                    kill(ch[i].pid, SIGTERM);
            }
            passed_on = true;
        }
        pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno != EINTR)
                break;
            continue;
        }
        for (i = 0; i < n; i++) {
            int code;

            if (ch[i].pid != pid)
                continue;
            code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            log_msg("%s: process %d ended (status %d)", ch[i].dev->node, (int)pid, code);
            clean = clean && code == 0;
            ch[i].pid = 0;
            live--;
        }
    }
    return clean;
}

int dom0less_run(const char *dir, const char *conf_path)
{
    static struct d0l_dev devs[D0L_MAX_DEVICES];
    static struct d0l_plan plans[D0L_MAX_DEVICES];
    static struct child ch[D0L_MAX_DEVICES];
    static struct d0l_conf conf;
    struct sigaction sa;
    unsigned dropped, i, live = 0;
    bool all = true;
    int n;

    log_set_prefix("virtio-backend dom0less");
    memset(ch, 0, sizeof(ch));
    if (load_conf(conf_path, &conf) != 0)
        return 2;
    n = d0l_read_dir(dir, devs, D0L_MAX_DEVICES, &dropped);
    if (n < 0) {
        log_msg("%s: %s: no dom0less VirtIO devices to serve", dir, strerror(errno));
        return errno == ENOENT ? 0 : 1;
    }
    log_msg("%s: %d device(s)", dir, n);
    if (dropped) {
        log_msg("%u device(s) past the first %u not served", dropped, D0L_MAX_DEVICES);
        all = false;
    }
    d0l_plan(devs, (unsigned)n, &conf, plans);
    for (i = 0; i < conf.n; i++) {
        if (conf.e[i].key_ok && !conf.e[i].used)
            log_msg("configuration line %u names no listed device", conf.e[i].line);
    }
    /* Before the first fork: a signal between two starts still reaches
     * the children already started. */
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_quit;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    for (i = 0; i < (unsigned)n; i++) {
        pid_t pid = -1;

        if (plans[i].action == D0L_SERVE && !quit)
            pid = start(&devs[i], &plans[i]);
        if (pid > 0) {
            ch[i].pid = pid;
            ch[i].dev = &devs[i];
            live++;
        } else {
            all = false;
        }
        if (pid > 0 || plans[i].action != D0L_SERVE)
            describe(&devs[i], &plans[i], pid);
    }
    if (live == 0) {
        log_msg("nothing to serve");
        return 1;
    }
    if (!wait_all(ch, (unsigned)n, live))
        all = false;
    log_msg("every served device's process has ended");
    return all ? 0 : 1;
}
