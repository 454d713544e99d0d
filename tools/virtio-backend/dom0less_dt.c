/* Reading /chosen/proxenos-virtio from dom0's /proc/device-tree. The
 * properties come from the hypervisor, but a back end that takes them on
 * trust would start a server on whatever a damaged or hand-made tree says:
 * each is checked for its exact length and form, and a device with any
 * doubt is refused as a whole. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dom0less_dt.h"

#define COMPAT "proxenos,virtio-mmio-device-v1"
#define DOMID_FIRST_RESERVED 0x7ff0u
/* GIC INTIDs of SPIs: 32 up to 1019. */
#define SPI_FIRST 32u
#define SPI_LAST 1019u

/* The whole property into buf (cap bytes); its length, -1 when absent, -2
 * when longer than cap. */
static long read_prop(int dirfd, const char *name, unsigned char *buf, size_t cap)
{
    int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
    size_t got = 0;
    unsigned char more;

    if (fd < 0)
        return -1;
    for (;;) {
        /* Once buf is full, one byte more says the property is too long. */
        ssize_t n = got < cap ? read(fd, buf + got, cap - got) : read(fd, &more, 1);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            close(fd);
            return n < 0 ? -1 : (long)got;
        }
        if (got == cap) {
            close(fd);
            return -2;
        }
        got += (size_t)n;
    }
}

static bool bad(struct d0l_dev *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool bad(struct d0l_dev *d, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(d->error, sizeof(d->error), fmt, ap);
    va_end(ap);
    return false;
}

/* A big-endian number of exactly len bytes (4 or 8). */
static bool get_be(struct d0l_dev *d, int dirfd, const char *name, size_t len, uint64_t *v)
{
    unsigned char b[8] = { 0 };
    long n = read_prop(dirfd, name, b, sizeof(b));
    size_t i;

    if (n == -1)
        return bad(d, "no %s", name);
    if (n != (long)len)
        return bad(d, "%s is not %zu bytes", name, len);
    *v = 0;
    for (i = 0; i < len; i++)
        *v = (*v << 8) | b[i];
    return true;
}

/* One NUL-terminated string, not empty, nothing after its NUL. */
static bool get_string(struct d0l_dev *d, int dirfd, const char *name, char *out, size_t cap,
                       bool may_be_empty)
{
    long n = read_prop(dirfd, name, (unsigned char *)out, cap);

    if (n == -1)
        return bad(d, "no %s", name);
    if (n == -2)
        return bad(d, "%s is longer than %zu bytes", name, cap - 1);
    if (n == 0 || out[n - 1] != '\0' || strlen(out) != (size_t)n - 1)
        return bad(d, "%s is not one NUL-terminated string", name);
    if (!may_be_empty && out[0] == '\0')
        return bad(d, "%s is empty", name);
    return true;
}

/* compatible is a list of strings; ours must be one of them. */
static bool compatible(struct d0l_dev *d, int dirfd)
{
    char buf[256];
    long n = read_prop(dirfd, "compatible", (unsigned char *)buf, sizeof(buf));
    long i = 0;

    if (n == -1)
        return bad(d, "no compatible");
    if (n <= 0 || buf[n - 1] != '\0')
        return bad(d, "compatible is not a list of strings");
    while (i < n) {
        if (strcmp(buf + i, COMPAT) == 0)
            return true;
        i += (long)strlen(buf + i) + 1;
    }
    return bad(d, "compatible is not \"" COMPAT "\"");
}

static bool read_device(struct d0l_dev *d, int dirfd)
{
    uint64_t v = 0;

    if (!compatible(d, dirfd))
        return false;
    if (!get_be(d, dirfd, "proxenos,domid", 4, &v))
        return false;
    if (v >= DOMID_FIRST_RESERVED)
        return bad(d, "proxenos,domid %llu is not a domain's", (unsigned long long)v);
    d->domid = (uint16_t)v;
    if (!get_string(d, dirfd, "proxenos,domain", d->domain, sizeof(d->domain), false) ||
        !get_string(d, dirfd, "proxenos,device", d->device, sizeof(d->device), false) ||
        !get_string(d, dirfd, "proxenos,device-type", d->type, sizeof(d->type), false) ||
        !get_be(d, dirfd, "proxenos,base", 8, &d->base) ||
        !get_be(d, dirfd, "proxenos,size", 8, &d->size) ||
        !get_be(d, dirfd, "proxenos,irq", 4, &v))
        return false;
    if (d->size == 0 || d->base + d->size < d->base)
        return bad(d, "proxenos,base %#llx and proxenos,size %#llx make no window",
                   (unsigned long long)d->base, (unsigned long long)d->size);
    if (v < SPI_FIRST || v > SPI_LAST)
        return bad(d, "proxenos,irq %llu is not an SPI", (unsigned long long)v);
    d->irq = (unsigned)v;
    if (faccessat(dirfd, "proxenos,backend-args", F_OK, 0) != 0) {
        d->has_args = false;
        return true;
    }
    d->has_args = true;
    return get_string(d, dirfd, "proxenos,backend-args", d->args, sizeof(d->args), true);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct d0l_dev *)a)->node, ((const struct d0l_dev *)b)->node);
}

int d0l_read_dir(const char *dir, struct d0l_dev *devs, unsigned max, unsigned *dropped)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    unsigned n = 0;

    *dropped = 0;
    if (!dp)
        return -1;
    while ((e = readdir(dp)) != NULL) {
        struct d0l_dev *d;
        int fd;

        /* Properties of the list node itself are files; devices are
         * directories. */
        if (e->d_name[0] == '.')
            continue;
        fd = openat(dirfd(dp), e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            continue;
        if (n == max) {
            (*dropped)++;
            close(fd);
            continue;
        }
        d = &devs[n++];
        memset(d, 0, sizeof(*d));
        if (strlen(e->d_name) >= sizeof(d->node)) {
            memcpy(d->node, e->d_name, sizeof(d->node) - 1);
            bad(d, "a node name over %zu characters", sizeof(d->node) - 1);
        } else {
            strcpy(d->node, e->d_name);
            read_device(d, fd);
        }
        close(fd);
    }
    closedir(dp);
    qsort(devs, n, sizeof(devs[0]), by_name);
    d0l_mark_duplicates(devs, n);
    return (int)n;
}

static bool overlap(const struct d0l_dev *a, const struct d0l_dev *b)
{
    return a->base < b->base + b->size && b->base < a->base + a->size;
}

/* Why a and b cannot both be served, or NULL. */
static const char *conflict(const struct d0l_dev *a, const struct d0l_dev *b)
{
    bool same_dom = a->domid == b->domid;
    bool same_name = strcmp(a->domain, b->domain) == 0;

    if (same_dom && !same_name)
        return "the same domid under another domain name";
    if (!same_dom && same_name)
        return "the same domain name on another domid";
    if (same_dom && strcmp(a->device, b->device) == 0)
        return "the same device";
    if (same_dom && overlap(a, b))
        return "an overlapping window";
    return NULL;
}

void d0l_mark_duplicates(struct d0l_dev *devs, unsigned n)
{
    bool twice[D0L_MAX_DEVICES] = { false };
    const char *why[D0L_MAX_DEVICES] = { NULL };
    unsigned other[D0L_MAX_DEVICES] = { 0 };
    unsigned i, j;

    /* Found first, marked after: a device refused for one clash must
     * still refuse its partner. */
    for (i = 0; i < n && i < D0L_MAX_DEVICES; i++) {
        for (j = 0; j < n && j < D0L_MAX_DEVICES; j++) {
            const char *w;

            if (i == j || devs[i].error[0] || devs[j].error[0] || twice[i])
                continue;
            w = conflict(&devs[i], &devs[j]);
            if (w) {
                twice[i] = true;
                why[i] = w;
                other[i] = j;
            }
        }
    }
    for (i = 0; i < n && i < D0L_MAX_DEVICES; i++) {
        if (twice[i])
            bad(&devs[i], "%s as %s: both refused", why[i], devs[other[i]].node);
    }
}
