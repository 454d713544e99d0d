/*
 * static_evtchn: one end of a static event channel (a xen,evtchn-v1 pair
 * in the boot device tree), bound by the hypervisor before the guest
 * starts. The guest knows its port only by convention, here from bootargs:
 *
 *   port=<local port> peer=<peer's domid> peer_port=<peer's port> events=<n>
 *   [linger_ms=<ms>] [runs=<guest address>] [peer_runs=<guest address>]
 *   [hold_ms=<ms>]
 *
 * It checks that EVTCHNOP_status calls the port interdomain to the peer's
 * domid and port, then sends to the peer until it has received n events
 * itself, and keeps sending a while longer so that the peer, which may
 * have started later, reaches its n too: until the peer's end closes, or
 * linger_ms (3000) have passed. Xen 4.17 leaves one end of each pair
 * pending at boot (its boot-time bind_interdomain raises the new port), so
 * one of the n may come from the hypervisor: with n >= 2 at least one came
 * from the peer. It runs as a dom0less domU or as dom0 (its end a node
 * directly under /chosen); as dom0 it is given a longer linger_ms, so that
 * it outlives its domU peer (Xen 4.17 halts the machine when dom0 stops).
 *
 * A reboot (Proxenos's own, docs/static-config.md): with runs=<address>
 * (a word of static shared memory, which a rebuild maps again unchanged)
 * the guest counts its boots there, and after its first exchange asks for
 * PSCI SYSTEM_RESET; booted again, it checks its port as at first and
 * exchanges again. Its peer, given peer_runs=<the same word, mapped in it
 * too>, waits after its own exchange for the second boot to begin, then
 * checks the status again (the same remote domid and port) and exchanges
 * again, never rebinding anything itself. (The peer's end is unbound
 * only while the domain is rebuilt, too short a time to be sure to see.)
 *
 * hold_ms=<ms>: once all is done, the guest stays up that long before it
 * ends, so that a test can still ask the hypervisor about a machine whose
 * domains have all finished their work (it powers off when they stop).
 */
#include "guest.h"
#include "evtchn.h"
#include "hypercall.h"
#include "sysreg.h"

#define RECEIVE_MS  20000U      /* for all n events */
#define ANSWER_MS   100U        /* between two sends */
#define LINGER_MS   3000U       /* sending on for the peer once done: default */
#define AWAY_MS     30000U      /* for a rebooting peer to go and come back */

static bool setup(const struct platform *p)
{
    if (!test_check("static_hypervisor_node", p->has_hypervisor && (p->evtchn_intid != 0U),
                    "no /hypervisor node") ||
        !test_check("static_gic", gic_init(p) == 0, "GIC init failed")) {
        return false;
    }
    irq_enable();
    return xen_expect("static_shared_info", evtchn_setup(p), 0);
}

static bool check_status(uint32_t port, uint16_t peer, uint32_t peer_port)
{
    struct evtchn_status st;
    long rc;

    memset(&st, 0, sizeof(st));
    rc = evtchn_get_status(XEN_DOMID_SELF, port, &st);
    printf("static_evtchn: port %u: status %u, remote dom%u port %u\n", port, st.status,
           st.u.interdomain.dom, st.u.interdomain.port);
    return test_check("static_status", (rc == 0) && (st.status == EVTCHNSTAT_interdomain) &&
                      (st.u.interdomain.dom == peer) && (st.u.interdomain.port == peer_port),
                      "rc %ld status %u dom %u port %u", rc, st.status, st.u.interdomain.dom,
                      st.u.interdomain.port);
}

/* Whether the peer still holds its end (it closes with its death). */
static bool peer_bound(uint32_t port)
{
    struct evtchn_status st;

    memset(&st, 0, sizeof(st));
    return (evtchn_get_status(XEN_DOMID_SELF, port, &st) == 0) &&
           (st.status == EVTCHNSTAT_interdomain);
}

static uint64_t linger_ms = LINGER_MS;

/* Until n more events than now have arrived, then a while longer. */
static void exchange(uint32_t port, uint32_t n)
{
    uint64_t t0 = timer_now();
    uint32_t sends = 0U;
    uint32_t bad_sends = 0U;
    uint32_t events = evtchn_count(port) + n;

    xen_expect("static_unmask", evtchn_unmask(port), 0);
    while ((evtchn_count(port) < events) &&
           (timer_now() - t0 < timer_us_to_ticks(RECEIVE_MS * 1000U))) {
        uint32_t before = evtchn_count(port);

        sends++;
        if (evtchn_send(port) != 0) {
            bad_sends++;
        }
        (void)evtchn_wait(port, before + 1U, ANSWER_MS);
    }
    test_check("static_received", evtchn_count(port) >= events, "%u of %u events after %u sends",
               evtchn_count(port), events, sends);
    t0 = timer_now();
    while (peer_bound(port) && (timer_now() - t0 < timer_us_to_ticks(linger_ms * 1000U))) {
        sends++;
        if (evtchn_send(port) != 0) {
            bad_sends++;
        }
        delay_ms(ANSWER_MS / 2U);
    }
    test_check("static_sends", bad_sends == 0U, "%u of %u sends failed", bad_sends, sends);
    printf("static_evtchn: port %u: %u events received, %u sent\n", port, evtchn_count(port),
           sends);
}

/* peer_runs=<address>: the peer reboots once; when its second boot has
 * begun, our end must be connected to it again as it was. */
static void await_peer_reboot(uint64_t at, uint32_t port, uint16_t peer, uint32_t peer_port,
                              uint32_t events)
{
    const volatile uint32_t *runs = (const volatile uint32_t *)(uintptr_t)at;
    uint64_t t0 = timer_now();

    while ((*runs < 2U) && (timer_now() - t0 < timer_us_to_ticks(AWAY_MS * 1000U))) {
        delay_ms(10U);
    }
    if (!test_check("static_peer_back", *runs >= 2U, "the peer's boot count is %u", *runs)) {
        return;
    }
    printf("static_evtchn: dom%u booted again\n", peer);
    if (check_status(port, peer, peer_port)) {
        exchange(port, events);
    }
}

/* runs=<address>: this boot's number (1, 2, ...), counted in the word. */
static uint32_t count_boot(uint64_t at)
{
    volatile uint32_t *runs = (volatile uint32_t *)(uintptr_t)at;
    uint32_t boot = *runs + 1U;

    *runs = boot;
    dsb_sy();
    printf("static_evtchn: boot %u\n", boot);
    return boot;
}

void guest_main(const struct platform *p)
{
    uint32_t port = (uint32_t)bootarg_u64(p->bootargs, "port", 0U);
    uint16_t peer = (uint16_t)bootarg_u64(p->bootargs, "peer", 0U);
    uint32_t peer_port = (uint32_t)bootarg_u64(p->bootargs, "peer_port", 0U);
    uint32_t events = (uint32_t)bootarg_u64(p->bootargs, "events", 5U);
    uint64_t runs_at = bootarg_u64(p->bootargs, "runs", 0U);
    uint32_t boot = (runs_at != 0U) ? count_boot(runs_at) : 1U;

    linger_ms = bootarg_u64(p->bootargs, "linger_ms", LINGER_MS);

    printf("static_evtchn: port %u to dom%u port %u, %u events\n", port, peer, peer_port, events);
    if (!test_check("static_args", (port != 0U) && (port < EVTCHN_TRACKED_PORTS) &&
                    (peer_port != 0U) && (events >= 2U), "bootargs: port, peer, peer_port, events >= 2")) {
        return;
    }
    if (!setup(p) || !check_status(port, peer, peer_port)) {
        return;
    }
    exchange(port, events);
    if ((runs_at != 0U) && (boot == 1U)) {
        int32_t rc = psci_system_reset();

        test_fail("static_reboot", "SYSTEM_RESET returned %d", (int)rc);
        return;
    }
    if (runs_at != 0U) {
        test_check("static_rebooted", boot == 2U, "boot %u", boot);
    }
    if (bootarg_u64(p->bootargs, "peer_runs", 0U) != 0U) {
        await_peer_reboot(bootarg_u64(p->bootargs, "peer_runs", 0U), port, peer, peer_port,
                          events);
    }
    delay_ms(bootarg_u64(p->bootargs, "hold_ms", 0U));
}
