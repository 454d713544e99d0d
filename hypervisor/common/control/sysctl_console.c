/* The hypervisor's console as the toolstack uses it: XEN_SYSCTL_readconsole
 * (its ring, as xenconsoled and "xl dmesg" read it from Xen 4.17) and
 * XEN_SYSCTL_debug_keys ("xl debug-keys": keys pressed as if typed on the
 * hypervisor's console).
 *
 * Indexes count every byte ever written, modulo 2^32. A read starts at the
 * oldest byte still offered or, with "incremental", at the caller's index
 * if that lies between the oldest offered byte (exclusive) and the newest
 * (inclusive); it copies up to count bytes and returns where it stopped in
 * index and how much it copied in count. "clear" makes what was read
 * disappear from later reads. */
#include "control.h"
#include <proxenos/console.h>
#include <proxenos/errno.h>
#include <proxenos/guest_access.h>
#include <proxenos/keyhandler.h>

/* Ring bytes are staged here, so the console lock is never held while
 * guest memory is written. */
#define CHUNK 256U

/* Whether idx lies in (cons, prod], counting round the 2^32 wrap. */
static bool in_window(uint32_t idx, uint32_t cons, uint32_t prod)
{
    return (cons <= prod) ? ((cons < idx) && (idx <= prod)) : ((cons < idx) || (idx <= prod));
}

long sysctl_readconsole(struct xen_sysctl *op, const struct control_caller *c)
{
    struct xen_sysctl_readconsole *rc = &op->u.readconsole;
    char buf[CHUNK];
    uint32_t cons;
    uint32_t prod;
    uint32_t done = 0U;

    (void)c;
    console_ring_indexes(&cons, &prod);
    if ((rc->incremental != 0U) && in_window(rc->index, cons, prod)) {
        cons = rc->index;
    }
    while ((cons != prod) && (done < rc->count)) {
        size_t want = MIN((size_t)(rc->count - done), MIN((size_t)(prod - cons), sizeof(buf)));
        size_t got = console_ring_copy(cons, buf, want);

        if (got == 0U) {
            /* Overwritten since we looked: stop here; the next read
             * starts from what the ring still holds. */
            break;
        }
        if (copy_to_guest(rc->buffer + done, buf, got) != 0) {
            return -EFAULT;
        }
        done += (uint32_t)got;
        cons += (uint32_t)got;
    }
    if (rc->clear != 0U) {
        console_ring_clear(cons, prod);
    }
    rc->count = done;
    rc->index = cons;
    return 0;
}

long sysctl_debug_keys(struct xen_sysctl *op, const struct control_caller *c)
{
    const struct xen_sysctl_debug_keys *dk = &op->u.debug_keys;

    (void)c;
    /* A key at a time, as Xen: the keys before an unreadable one have
     * been handled when -EFAULT comes back. */
    for (uint32_t i = 0U; i < dk->nr_keys; i++) {
        char key;

        if (copy_from_guest(&key, dk->keys + i, 1U) != 0) {
            return -EFAULT;
        }
        handle_keypress(key);
    }
    return 0;
}
