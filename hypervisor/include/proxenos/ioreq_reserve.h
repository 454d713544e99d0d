/* Guest ranges kept for one back end (common/ioreq/ioreq_reserve.c): a
 * dom0less domain's virtio-mmio devices are reserved for the domain that
 * serves them, which alone may claim them with
 * map_io_range_to_ioreq_server, and the domain may be held paused until
 * every one is claimed by an enabled server of its back end.
 * docs/virtio.md, "dom0less VirtIO devices". */
#ifndef PROXENOS_IOREQ_RESERVE_H
#define PROXENOS_IOREQ_RESERVE_H

#include <proxenos/types.h>

struct domain;

/* The most ranges a domain keeps (dom0less: DOM0LESS_VIRTIO_MAX devices). */
#define IOREQ_MAX_RESERVED 8U

struct ioreq_reservation {
    uint64_t start;
    uint64_t end;               /* inclusive, as dm_op's ranges */
    uint16_t backend;           /* a domid_t: domain.h includes this header */
};

/* Keep r[0..nr) of d for their back ends (at most IOREQ_MAX_RESERVED;
 * -EINVAL else, or for an empty or wrapping range), before d first runs.
 * hold: also pause d (domain_pause) until all are claimed; the release
 * prints "Domain N (name): its virtio devices are claimed: unpaused". */
int ioreq_reserve(struct domain *d, const struct ioreq_reservation *r, unsigned int nr,
                  bool hold);

/* Whether `cur` may claim [start, end] of d: no range of d reserved for
 * another domain overlaps it. */
bool ioreq_reserved_for(const struct domain *d, uint16_t cur, uint64_t start, uint64_t end);

/* Whether d is still held paused for its back ends. */
bool ioreq_held(const struct domain *d);

#endif
