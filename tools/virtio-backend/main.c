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
 *   virtio-backend --dom0less [--config FILE] [--dt-dir DIR]
 *       discovery: every dom0less device the hypervisor listed in dom0's
 *       device tree, each in a process of its own, until their domains
 *       are gone (dom0less.c).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devargs.h"
#include "dom0less.h"
#include "dom0less_conf.h"
#include "log.h"
#include "serve.h"
#include "vdev_types.h"
#include "xs_backend.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: virtio-blk-backend [--queues N]\n"
            "       virtio-backend --type %s --domid D --base ADDR --irq SPI [options] [PATH]\n"
            "       virtio-backend --dom0less [--config FILE] [--dt-dir DIR]\n"
            "The first waits on xenstore for the disks xl describes; the second serves one\n"
            "device of domain D at guest address ADDR with interrupt SPI (INTID, e.g. 33);\n"
            "the third serves the dom0less devices listed in DIR (default " D0L_DIR "),\n"
            "backed as FILE (default %s, if there) or their proxenos,backend-args say.\n"
            "Installed as virtio-<type>-backend the program needs no --type.\n"
            "  blk: IMAGE (a file or block device) [--ro] [--queues N]\n"
            "  net: [--tap NAME] [--mac XX:XX:XX:XX:XX:XX] [--mtu N]\n",
            vdev_type_names(), D0L_CONF_DEFAULT);
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
        { "dom0less", no_argument, NULL, 'D' },
        { "config", required_argument, NULL, 'C' },
        { "dt-dir", required_argument, NULL, 'R' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct serve_params p = { 0 };
    bool have_dom = false, have_base = false, have_irq = false, serve_xs = false;
    bool dom0less = false, have_type = false, device_opts = false;
    const char *conf = NULL, *dt_dir = NULL;
    unsigned long long v;
    int c;

    p.type = type_of_name(argv[0]);
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 't':
            p.type = vdev_type_find(optarg);
            have_type = true;
            if (!p.type) {
                fprintf(stderr, "virtio-backend: no device type %s\n", optarg);
                goto bad;
            }
            break;
        case 'd':
            if (!devargs_number(optarg, 0x7fef, &v))
                goto bad;
            p.domid = (uint16_t)v;
            have_dom = true;
            break;
        case 'b':
            if (!devargs_number(optarg, ~0ull, &v))
                goto bad;
            p.base = v;
            have_base = true;
            break;
        case 'i':
            if (!devargs_number(optarg, 1019, &v) || v < 32)
                goto bad;
            p.irq = (unsigned)v;
            have_irq = true;
            break;
        case 'r':
            p.opts.ro = true;
            break;
        case 'q':
            if (!devargs_number(optarg, 16, &v))
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
            if (!devargs_mac(optarg, p.opts.mac))
                goto bad;
            p.opts.have_mac = true;
            break;
        case 'M':
            if (!devargs_number(optarg, 65535, &v) || v < 68)
                goto bad;
            p.opts.mtu = (unsigned)v;
            break;
        case 'x':
            serve_xs = true;
            break;
        case 'D':
            dom0less = true;
            break;
        case 'C':
            conf = optarg;
            break;
        case 'R':
            dt_dir = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            goto bad;
        }
    }
    device_opts = have_type || have_dom || have_base || have_irq || serve_xs || p.opts.ro ||
                  p.opts.queues || p.opts.tap || p.opts.have_mac || p.opts.mtu;
    if (dom0less || conf || dt_dir) {
        /* Each device's options come from its configuration, not from
         * this command line, and the program's name chooses no type. */
        if (!dom0less || device_opts || optind != argc) {
            fputs("virtio-backend: --dom0less takes only --config and --dt-dir\n", stderr);
            goto bad;
        }
        return dom0less_run(dt_dir ? dt_dir : D0L_DIR, conf);
    }
    if (serve_xs) {
        unsigned long long dom, dev;

        /* Internal: what the xenstore mode runs per device. */
        if (argc - optind != 2 || !devargs_number(argv[optind], 0x7fef, &dom) ||
            !devargs_number(argv[optind + 1], 0xffffffffull, &dev))
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
