/* Static event channels: the xen,evtchn-v1 children of xen,domain nodes
 * and, for dom0's ends, of /chosen itself, bound once every domain is
 * built and before any runs (common/boot/dom0less_evtchn.c), and bound
 * again when a dom0less domain is rebuilt after a reboot
 * (common/boot/dom0less_evtchn_rebind.c; docs/static-config.md). */
#ifndef PROXENOS_DOM0LESS_EVTCHN_H
#define PROXENOS_DOM0LESS_EVTCHN_H

#include <proxenos/domain.h>
#include <proxenos/evtchn.h>
#include <proxenos/fdt.h>

/* Channels remembered for the rebuilds: the boot's xen,evtchn-v1 pairs
 * hold at most this many (each end a node, each domain 1023 ports). */
#define DOM0LESS_EVTCHN_MAX_LINKS 64U

/* A built domain and its node: a xen,domain node, or /chosen for dom0
 * (whose d is NULL when dom0 was meant but could not be built). */
struct dom0less_evtchn_domain {
    int node;
    struct domain *d;
    bool failed;        /* out: one of its static channels is not bound */
};

/* One channel bound at boot, as a rebuild needs it: both ends' domain ids
 * and ports. */
struct dom0less_evtchn_link {
    domid_t dom[2];
    evtchn_port_t port[2];
};

struct dom0less_evtchn_links {
    struct dom0less_evtchn_link link[DOM0LESS_EVTCHN_MAX_LINKS];
    unsigned int n;
};

/* Bind every xen,evtchn-v1 pair among doms[0..n-1], in Xen 4.17's order
 * (alloc_static_evtchn: /chosen's children in turn, dom0's own nodes
 * directly under it, each xen,domain node's children after it). Where Xen
 * panics, the pair is reported naming both nodes and its domUs are marked
 * failed; so is every domU with a channel to a failed one, so that no
 * domU starts with a static channel whose peer never runs. dom0 is never
 * marked: it starts whatever its channels; with dom0's entry at NULL (its
 * build failed) the channels to it are reported and left unbound, their
 * domUs unmarked. Returns the number of channels bound (those of failed
 * domains included); each is recorded in links when links is not NULL. */
unsigned int dom0less_evtchn_bind(const struct fdt *fdt, struct dom0less_evtchn_domain *doms,
                                  unsigned int n, struct dom0less_evtchn_links *links);

/* d was rebuilt after a reboot: bind each of its channels in links again,
 * to the same peer port (docs/static-config.md says what the peer sees).
 * Each end that cannot be bound is reported; d starts without it. Returns
 * the number of d's channels reconnected or left waiting for a peer that
 * is being rebuilt too. */
unsigned int dom0less_evtchn_rebind(const struct dom0less_evtchn_links *links, struct domain *d);

#endif
