/* virtio-backend: VirtIO-MMIO devices for Xen guests on Arm, served from
 * dom0 through the IOREQ server (docs/virtio.md, "Our virtio-blk back end"
 * and "Our virtio-net back end").
 *
 * One program for every device type; installed as virtio-<type>-backend
 * (virtio-blk-backend, virtio-net-backend) it serves that type without
 * --type.
 *
 *   virtio-blk-backend [--queues N]
 *       xenstore mode (blk only): serve every disk xl gives this domain as
 *       the back end of (backendtype=standalone, specification=virtio),
 *       each in a process of its own, until killed.
 *   virtio-backend --type T --domid D --base ADDR --irq SPI [options] [PATH]
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
#include "vdev_types.h"
#include "xs_backend.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: virtio-blk-backend [--queues N]\n"
            "       virtio-backend --type %s --domid D --base ADDR --irq SPI [options] [PATH]\n"
            "The first waits on xenstore for the disks xl describes; the second serves one\n"
            "device of domain D at guest address ADDR with interrupt SPI (INTID, e.g. 33).\n"
            "Installed as virtio-<type>-backend the program needs no --type.\n"
            "  blk: IMAGE (a file or block device) [--ro] [--queues N]\n"
            "  net: [--tap NAME] [--mac XX:XX:XX:XX:XX:XX] [--mtu N]\n",
            vdev_type_names());
}

static bool number(const char *s, unsigned long long max, unsigned long long *v)
{
    char *end;

    *v = strtoull(s, &end, 0);
    return *s && *end == '\0' && *v <= max;
}

static bool parse_mac(const char *s, uint8_t mac[6])
{
    unsigned b[6];
    char tail;
    int i;

    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
               &tail) != 6)
        return false;
    for (i = 0; i < 6; i++)
        mac[i] = (uint8_t)b[i];
    /* A multicast address cannot be a station's. */
    return (mac[0] & 1u) == 0;
}

/* The type the program's name says (virtio-<type>-backend), or NULL. */
static const struct vdev_type *type_of_name(const char *argv0)
{
    const char *base = strrchr(argv0, '/');
    char name[32];
    size_t n;

    base = base ? base + 1 : argv0;
    n = strlen(base);
    if (strncmp(base, "virtio-", 7) != 0 || n < 7 + 8 ||
        strcmp(base + n - 8, "-backend") != 0 || n - 15 >= sizeof(name))
        return NULL;
    memcpy(name, base + 7, n - 15);
    name[n - 15] = '\0';
    return vdev_type_find(name);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "type", required_argument, NULL, 't' },
        { "domid", required_argument, NULL, 'd' },
        { "base", required_argument, NULL, 'b' },
        { "irq", required_argument, NULL, 'i' },
        { "ro", no_argument, NULL, 'r' },
        { "queues", required_argument, NULL, 'q' },
        { "tap", required_argument, NULL, 'T' },
        { "mac", required_argument, NULL, 'm' },
        { "mtu", required_argument, NULL, 'M' },
        { "serve-xs", no_argument, NULL, 'x' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct serve_params p = { 0 };
    bool have_dom = false, have_base = false, have_irq = false, serve_xs = false;
    unsigned long long v;
    int c;

    p.type = type_of_name(argv[0]);
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 't':
            p.type = vdev_type_find(optarg);
            if (!p.type) {
                fprintf(stderr, "virtio-backend: no device type %s\n", optarg);
                goto bad;
            }
            break;
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
            p.opts.ro = true;
            break;
        case 'q':
            if (!number(optarg, 16, &v))
                goto bad;
            p.opts.queues = (unsigned)v;
            break;
        case 'T':
            /* IFNAMSIZ is 16 with the NUL. */
            if (strlen(optarg) == 0 || strlen(optarg) > 15)
                goto bad;
            p.opts.tap = optarg;
            break;
        case 'm':
            if (!parse_mac(optarg, p.opts.mac))
                goto bad;
            p.opts.have_mac = true;
            break;
        case 'M':
            if (!number(optarg, 65535, &v) || v < 68)
                goto bad;
            p.opts.mtu = (unsigned)v;
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
        return xs_backend_serve((uint16_t)dom, (unsigned)dev, p.opts.queues);
    }
    if (!have_dom && !have_base && !have_irq && !p.opts.ro && optind == argc &&
        (!p.type || p.type == &vdev_blk)) {
        char self[4096];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

        /* The children run this very program, under its own name. */
        if (n <= 0)
            return 1;
        self[n] = '\0';
        return xs_backend_watch(self, p.opts.queues);
    }
    if (!p.type) {
        fputs("virtio-backend: which device? --type is needed\n", stderr);
        goto bad;
    }
    if (!have_dom || !have_base || !have_irq || argc - optind > 1) {
        fputs("virtio-backend: --domid, --base and --irq go together, with at most one PATH\n",
              stderr);
        goto bad;
    }
    if (optind < argc)
        p.opts.path = argv[optind];
    log_set_prefix("virtio-%s dom%u", p.type->name, p.domid);
    serve_catch_signals();
    return serve_device(&p, NULL) == 0 ? 0 : 1;
bad:
    usage(stderr);
    return 2;
}
