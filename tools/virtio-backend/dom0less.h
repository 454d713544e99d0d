/* The discovery mode: serve the dom0less VirtIO devices the hypervisor
 * listed in dom0's device tree, each in a process of its own, until all
 * their domains are gone (docs/virtio.md, "Finding dom0less devices"). */
#ifndef VBE_DOM0LESS_H
#define VBE_DOM0LESS_H

#include <stdbool.h>

/* dir: the list (D0L_DIR); conf: the configuration file, or NULL for
 * D0L_CONF_DEFAULT when it exists. The exit status: 0 when every listed
 * device was served and its process ended cleanly, 1 otherwise, 2 when
 * the configuration cannot be read. */
int dom0less_run(const char *dir, const char *conf);

#endif
