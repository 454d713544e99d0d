/*
 * ioreq_backend's parts: the dm_op and acquire_resource calls (dmop.c),
 * the emulated register file and the serving of requests (device.c), the
 * refusals Xen 4.17 gives (hostile.c), and the flow (main.c).
 */
#ifndef IOREQ_BACKEND_H
#define IOREQ_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include <public/dm_op.h>
#include <public/ioreq.h>
#include "ioreq_device.h"

/* The target vCPUs we serve: one slot and one local port each. */
#define BACKEND_MAX_VCPUS 8U

struct regfile {
    uint8_t bytes[IOREQ_DEV_SIZE];
    bool done;                  /* the frontend wrote IOREQ_REG_DONE */
    uint32_t doorbells;
    uint32_t acks;
    uint32_t irq_errors;        /* set_irq_level calls that failed */
};

struct backend {
    uint16_t target;            /* the domain we emulate for */
    uint32_t vcpus;             /* its vCPUs (XEN_DMOP_nr_vcpus) */
    ioservid_t id;
    volatile struct ioreq *page;        /* the synchronous ioreq page, mapped */
    uint32_t local_port[BACKEND_MAX_VCPUS];
    struct regfile dev;
    uint32_t served[BACKEND_MAX_VCPUS]; /* requests completed per target vCPU */
    uint32_t reads;
    uint32_t writes;
    uint32_t malformed;         /* requests outside the contract (answered with ~0) */
    uint32_t trace;             /* requests still to print (bootarg trace=) */
};

/* ---- dmop.c: each returns 0 or a negative Xen errno ---------------------- */
long dm_op_bufs(uint16_t domid, uint32_t nr_bufs, struct xen_dm_op_buf *bufs);
long dm_op_call(uint16_t domid, struct xen_dm_op *op);
long dmop_nr_vcpus(uint16_t domid, uint32_t *vcpus);
long dmop_create_server(uint16_t domid, uint8_t handle_bufioreq, ioservid_t *id);
long dmop_io_range(uint16_t domid, ioservid_t id, bool map, uint32_t type, uint64_t start,
                   uint64_t end);
long dmop_set_state(uint16_t domid, ioservid_t id, bool enabled);
long dmop_destroy_server(uint16_t domid, ioservid_t id);
long dmop_set_irq_level(uint16_t domid, uint32_t irq, uint8_t level);
/* XENMEM_acquire_resource of one frame of server id's resource, mapped at our gfn. */
long acquire_ioreq_frame(uint16_t domid, ioservid_t id, uint64_t frame, uint64_t gfn);

/* ---- device.c ---------------------------------------------------------- */
void regfile_init(struct regfile *r);
/* Serves every slot in STATE_IOREQ_READY; returns how many it served. */
uint32_t serve_ready(struct backend *b);

/* ---- devtree.c: fromdt=1, the target and device from our device tree ---- */
struct platform;
bool backend_from_dt(const struct platform *p, struct backend *b);

/* ---- hostile.c ---------------------------------------------------------- */
/* What needs no server (bad domain, op, buffers, create flags). */
void hostile_without_server(uint16_t target);
/* What needs a server: frames, ranges, interrupt lines. */
void hostile_with_server(const struct backend *b, uint64_t spare_gfn);
/* After the destroy: the id is gone. */
void hostile_after_destroy(const struct backend *b);

#endif
