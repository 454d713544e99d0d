/* Shared stand-in for the event channels' interface: see fake_evtchn.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <proxenos/domain.h>
#include <public/xen.h>
#include "fake_evtchn.h"

static unsigned int sent[FAKE_EVTCHN_DOMS][NR_VIRQS];
static unsigned int nr_ports;
static bool pending[FAKE_EVTCHN_PORTS];
static unsigned int max_port_sets;
static struct domain *max_port_dom;
static uint32_t max_port_value;

void fake_evtchn_reset(void)
{
    memset(sent, 0, sizeof(sent));
    nr_ports = 0U;
    memset(pending, 0, sizeof(pending));
    max_port_sets = 0U;
    max_port_dom = NULL;
    max_port_value = 0U;
}

unsigned int fake_virqs_sent(domid_t id, unsigned int virq)
{
    assert_true(id < FAKE_EVTCHN_DOMS);
    assert_true(virq < NR_VIRQS);
    return sent[id][virq];
}

void fake_evtchn_set_ports(unsigned int n)
{
    assert_true(n <= FAKE_EVTCHN_PORTS);
    nr_ports = n;
}

void fake_evtchn_set_pending(evtchn_port_t port, bool is_pending)
{
    assert_true(port < nr_ports);
    pending[port] = is_pending;
}

unsigned int fake_max_port_sets(struct domain **d, uint32_t *max_port)
{
    if (d != NULL) {
        *d = max_port_dom;
    }
    if (max_port != NULL) {
        *max_port = max_port_value;
    }
    return max_port_sets;
}

static void count_virq(const struct domain *d, unsigned int virq)
{
    assert_non_null(d);
    assert_true(d->domain_id < FAKE_EVTCHN_DOMS);
    assert_true(virq < NR_VIRQS);
    sent[d->domain_id][virq]++;
}

__attribute__((weak)) void send_guest_global_virq(struct domain *d, unsigned int virq)
{
    count_virq(d, virq);
}

__attribute__((weak)) void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq)
{
    assert_non_null(v);
    count_virq(v->domain, virq);
}

__attribute__((weak)) bool evtchn_port_is_valid(struct domain *d, evtchn_port_t port)
{
    (void)d;
    return port < nr_ports;
}

__attribute__((weak)) bool evtchn_port_is_pending(struct domain *d, evtchn_port_t port)
{
    return evtchn_port_is_valid(d, port) && pending[port];
}

__attribute__((weak)) void evtchn_set_max_port(struct domain *d, uint32_t max_port)
{
    max_port_sets++;
    max_port_dom = d;
    max_port_value = max_port;
}
