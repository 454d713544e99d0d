/* Static event channels of dom0less domains: the xen,evtchn-v1 children
 * of xen,domain nodes, bound once every domain is built and before any
 * runs (common/boot/dom0less_evtchn.c, docs/static-config.md). */
#ifndef PROXENOS_DOM0LESS_EVTCHN_H
#define PROXENOS_DOM0LESS_EVTCHN_H

#include <proxenos/domain.h>
#include <proxenos/fdt.h>

/* A built dom0less domain and its xen,domain node. */
struct dom0less_evtchn_domain {
    int node;
    struct domain *d;
    bool failed;        /* out: one of its static channels is not bound */
};

/* Bind every xen,evtchn-v1 pair among doms[0..n-1], in device-tree order
 * as Xen 4.17's alloc_static_evtchn does. Where Xen panics, the pair is
 * reported naming both nodes and its domains are marked failed; so is
 * every domain with a channel to a failed one, so that no domain starts
 * with a static channel whose peer never runs. Returns the number of
 * channels bound (those of failed domains included). */
unsigned int dom0less_evtchn_bind(const struct fdt *fdt, struct dom0less_evtchn_domain *doms,
                                  unsigned int n);

#endif
