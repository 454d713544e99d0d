/* virtio-blk-backend: a VirtIO-MMIO block device for Xen guests on Arm,
 * served from dom0 through the IOREQ server (docs/virtio.md, "Our
 * virtio-blk back end").
 *
 *   virtio-blk-backend [--queues N]
 *       xenstore mode: serve every disk xl gives this domain as the back end
 *       of (backendtype=standalone, specification=virtio), each in a
 *       process of its own, until killed.
 *   virtio-blk-backend --domid D --base ADDR --irq SPI [--ro] [--queues N] IMAGE
 *       one device, no xenstore: the guest must already have the
 *       virtio,mmio node at ADDR with interrupt SPI; served until the guest
 *       goes or a signal comes.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "serve.h"
#include "xs_backend.h"

static void usage(FILE *f)
{
    fputs("usage: virtio-blk-backend [--queues N]\n"
          "       virtio-blk-backend --domid D --base ADDR --irq SPI [--ro] [--queues N] IMAGE\n"
          "The first waits on xenstore for the disks xl describes; the second serves one\n"
          "device of domain D at guest address ADDR with interrupt SPI (INTID, e.g. 33).\n",
          f);
}

static bool number(const char *s, unsigned long long max, unsigned long long *v)
{
    char *end;

    *v = strtoull(s, &end, 0);
    return *s && *end == '\0' && *v <= max;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "domid", required_argument, NULL, 'd' },
        { "base", required_argument, NULL, 'b' },
        { "irq", required_argument, NULL, 'i' },
        { "ro", no_argument, NULL, 'r' },
        { "queues", required_argument, NULL, 'q' },
        { "serve-xs", no_argument, NULL, 'x' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct serve_params p = { 0 };
    bool have_dom = false, have_base = false, have_irq = false, serve_xs = false;
    unsigned long long v;
    int c;

    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (!number(optarg, 0x7fef, &v))
                goto bad;
            p.domid = (uint16_t)v;
            have_dom = true;
            break;
        case 'b':
            if (!number(optarg, ~0ull, &v))
                goto bad;
            p.base = v;
            have_base = true;
            break;
        case 'i':
            if (!number(optarg, 1019, &v) || v < 32)
                goto bad;
            p.irq = (unsigned)v;
            have_irq = true;
            break;
        case 'r':
            p.ro = true;
            break;
        case 'q':
            if (!number(optarg, 16, &v))
                goto bad;
            p.queues = (unsigned)v;
            break;
        case 'x':
            serve_xs = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            goto bad;
        }
    }
    if (serve_xs) {
        unsigned long long dom, dev;

        /* Internal: what the xenstore mode runs per device. */
        if (argc - optind != 2 || !number(argv[optind], 0x7fef, &dom) ||
            !number(argv[optind + 1], 0xffffffffull, &dev))
            goto bad;
        return xs_backend_serve((uint16_t)dom, (unsigned)dev, p.queues);
    }
    if (!have_dom && !have_base && !have_irq && !p.ro && optind == argc) {
        char self[4096];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

        /* The children run this very program, under its own name. */
        if (n <= 0)
            return 1;
        self[n] = '\0';
        return xs_backend_watch(self, p.queues);
    }
    if (!have_dom || !have_base || !have_irq || argc - optind != 1) {
        fputs("virtio-blk-backend: --domid, --base, --irq and one IMAGE go together\n", stderr);
        goto bad;
    }
    p.image = argv[optind];
    log_set_prefix("virtio-blk dom%u", p.domid);
    serve_catch_signals();
    return serve_device(&p, NULL) == 0 ? 0 : 1;
bad:
    usage(stderr);
    return 2;
}
