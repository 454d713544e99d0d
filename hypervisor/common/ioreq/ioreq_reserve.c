/* Ranges of a guest kept for their back end, and a guest held paused
 * until its back end has claimed them (dom0less virtio devices,
 * <proxenos/ioreq_reserve.h>).
 *
 * Why hold the guest: its device tree promises a virtio-mmio device from
 * its first instruction, and Linux probes such a device once, at boot. An
 * access before the back end is up would get a data abort (nobody claims
 * the range), which Linux's virtio_mmio takes as a fatal fault in its
 * probe. dom0 and its back end start after the domU, so without the hold
 * the device would be lost on nearly every boot; with it, the domU starts
 * where it would have, only later. The hold ends once: a back end that
 * goes away later leaves the guest running, whose accesses then abort as
 * any unclaimed access does (docs/virtio.md). */
#include "ioreq_internal.h"
#include <proxenos/domain.h>
#include <proxenos/errno.h>
#include <proxenos/printk.h>

int ioreq_reserve(struct domain *d, const struct ioreq_reservation *r, unsigned int nr,
                  bool hold)
{
    if (nr > IOREQ_MAX_RESERVED) {
        return -EINVAL;
    }
    for (unsigned int i = 0U; i < nr; i++) {
        if (r[i].start > r[i].end) {
            return -EINVAL;
        }
    }
    for (unsigned int i = 0U; i < nr; i++) {
        d->ioreq_reserved[i] = r[i];
    }
    d->nr_ioreq_reserved = nr;
    if (hold && (nr != 0U)) {
        __atomic_store_n(&d->ioreq_held, true, __ATOMIC_RELEASE);
        domain_pause(d);
    }
    return 0;
}

bool ioreq_reserved_for(const struct domain *d, uint16_t cur, uint64_t start, uint64_t end)
{
    for (unsigned int i = 0U; i < d->nr_ioreq_reserved; i++) {
        const struct ioreq_reservation *r = &d->ioreq_reserved[i];

        if ((r->backend != cur) && (start <= r->end) && (r->start <= end)) {
            return false;
        }
    }
    return true;
}

bool ioreq_held(const struct domain *d)
{
    return __atomic_load_n(&d->ioreq_held, __ATOMIC_ACQUIRE);
}

/* Whether an enabled server of r's back end claims all of r. */
static bool claimed(struct ioreq_domain *io, const struct ioreq_reservation *r)
{
    for (unsigned int i = 0U; i < IOREQ_MAX_SERVERS; i++) {
        struct ioreq_server *s = io->server[i];

        if ((s != NULL) && s->enabled && (s->emulator == r->backend) &&
            rangeset_contains(&s->range[XEN_DMOP_IO_RANGE_MEMORY], r->start, r->end)) {
            return true;
        }
    }
    return false;
}

void ioreq_release_if_claimed(struct domain *d)
{
    struct ioreq_domain *io = __atomic_load_n(&d->ioreq, __ATOMIC_ACQUIRE);
    unsigned long flags;
    bool all = true;

    if (!ioreq_held(d) || (io == NULL)) {
        return;
    }
    flags = spin_lock_irqsave(&io->lock);
    for (unsigned int i = 0U; all && (i < d->nr_ioreq_reserved); i++) {
        all = claimed(io, &d->ioreq_reserved[i]);
    }
    spin_unlock_irqrestore(&io->lock, flags);
    /* Two back ends finishing at once: only one takes the hold away. */
    if (all && __atomic_exchange_n(&d->ioreq_held, false, __ATOMIC_ACQ_REL)) {
        pr_info("Domain %u (%s): its virtio devices are claimed: unpaused\n", d->domain_id,
                d->name);
        domain_unpause(d);
    }
}
