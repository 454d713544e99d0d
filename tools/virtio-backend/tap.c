/* tap interfaces through /dev/net/tun. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tap.h"

int tap_open(const char *name, char got[16])
{
    struct ifreq ifr;
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

    if (fd < 0)
        return -1;
    memset(&ifr, 0, sizeof(ifr));
    /* Ethernet frames, without the 4-byte flags and protocol prefix: what
     * the guest sends after its virtio header is exactly what goes in. */
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    if (name)
        strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &ifr) != 0) {
        int e = errno;

        close(fd);
        errno = e;
        return -1;
    }
    memcpy(got, ifr.ifr_name, IFNAMSIZ);
    got[IFNAMSIZ - 1] = '\0';
    return fd;
}
