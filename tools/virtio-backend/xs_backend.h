/* The xenstore mode: devices that xl describes for a "standalone" back end
 * of specification virtio (Xen 4.17's libxl, docs/virtio.md). */
#ifndef VBE_XS_BACKEND_H
#define VBE_XS_BACKEND_H

#include <stdint.h>

/* Watch this domain's backend/virtio_disk and serve each new device in a
 * process of its own (self re-executed with --serve-xs); runs until a
 * signal. queues is passed on (0: one per guest vCPU). */
int xs_backend_watch(const char *self, unsigned queues);

/* One device (frontend domain, device id) described in xenstore, served
 * until it goes; what a --serve-xs process runs. */
int xs_backend_serve(uint16_t domid, unsigned devid, unsigned queues);

#endif
