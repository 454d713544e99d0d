"""Static event channels (xen,evtchn-v1 pairs, Xen 4.17's bindings;
docs/static-config.md): bare-metal guests (guests/static_evtchn) on both
ends of a pair check EVTCHNOP_status of their port and exchange events;
a tree with bad pairs names the nodes, leaves those domains unstarted
and runs the good pair beside them. dom0 (the same guest, Xen 4.17's
command shape) holds one end of a pair through a node directly under
/chosen. A domU that reboots (PSCI SYSTEM_RESET) gets its channel back
to the same peer port, which its peer never rebinds, and the rebuild
allocates nothing in static mode. PROXENOS_XEN_REFERENCE=1 also boots
the good pair and the dom0 pair on Xen 4.17
($PROXENOS_CACHE/xen/xen-4.17-arm64), which has no dom0less reboot."""

import os
import re

import pytest

from conftest import BUILD, CACHE, STD_APPEND
from dom0less import Guest, boot_dtb, dom0_module
import pxn

XEN = CACHE / "xen" / "xen-4.17-arm64"
# Xen prints a domU's console_io lines only with guest_loglvl=all.
XEN_APPEND = STD_APPEND + " guest_loglvl=all"

DONE = r"^\(d{id}\) GUEST DONE (\d+) passed (\d+) failed$"
TESTS = 8           # the guest's TEST lines when all goes well


def evtchn_node(label, port, peer_label, compatible="xen,evtchn-v1"):
    return (f'{label}: evtchn@{port:x} {{ compatible = "{compatible}"; '
            f'xen,evtchn = <{port} &{peer_label}>; }};')


def end(name, port, peer, peer_port, nodes):
    """A no-xenstore domU running static_evtchn on port, its evtchn nodes
    given as dts lines."""
    args = f"port={port} peer={peer} peer_port={peer_port} events=5"
    return Guest(name, "static_evtchn", vpl011=False, bootargs=args,
                 extra=['xen,enhanced = "no-xenstore";'] + nodes)


def good_pair():
    return [end("ping", 10, 2, 21, [evtchn_node("ping_ec", 10, "pong_ec")]),
            end("pong", 21, 1, 10, [evtchn_node("pong_ec", 21, "ping_ec")])]


def boot(hypervisor, tool, dumpdtb, tmp_path, guests, timeout=120):
    dtb, loaders = boot_dtb(tool, dumpdtb, tmp_path, guests, 2, "1G", STD_APPEND)
    return hypervisor(smp=2, mem="1G", append="", args=["--dtb", dtb], qemu_args=loaders,
                      hard_timeout=timeout + 30)


def wait_done(q, ids, timeout=90):
    """Wait for these domains' GUEST DONE lines, in any order; return
    {domid: (passed, failed)}."""
    done = q.wait_for_all([DONE.format(id=d) for d in ids], timeout=timeout)
    return {d: (int(m.group(1)), int(m.group(2))) for d, m in zip(ids, done)}


def assert_all_passed(q, d, counts, tests_expected=TESTS):
    """d's TEST lines all PASS (d None: dom0's, which have no prefix)."""
    passed, failed = counts
    prefix = "" if d is None else rf"\(d{d}\) "
    tests = dict(re.findall(rf"^{prefix}TEST (\w+): (PASS|FAIL)", q.output, re.M))
    bad = sorted(t for t, r in tests.items() if r != "PASS")
    assert failed == 0 and not bad, f"d{d} failed {bad}:\n{q.output[-6000:]}"
    assert passed == tests_expected, f"d{d}: {passed} tests passed, {tests_expected} expected"


def test_pair_bound_before_start(hypervisor, tool, dumpdtb, tmp_path):
    """dom1 port 10 <-> dom2 port 21: each guest finds its port interdomain
    to the other's domid and port, and both receive the other's events."""
    q = boot(hypervisor, tool, dumpdtb, tmp_path, good_pair())
    q.wait_for(r"^\(PXN\) dom0less: static event channel: ping port 10 <-> pong port 21$")
    q.wait_for(r"^\(PXN\) dom0less: 2 of 2 domains started$")
    check_good_pair(q)


def check_good_pair(q):
    done = wait_done(q, [1, 2])
    assert_all_passed(q, 1, done[1])
    assert_all_passed(q, 2, done[2])
    assert re.search(r"^\(d1\) static_evtchn: port 10: status 2, remote dom2 port 21$",
                     q.output, re.M)
    assert re.search(r"^\(d2\) static_evtchn: port 21: status 2, remote dom1 port 10$",
                     q.output, re.M)


@pytest.mark.skipif(os.environ.get("PROXENOS_XEN_REFERENCE") != "1",
                    reason="the Xen 4.17 reference run needs PROXENOS_XEN_REFERENCE=1")
def test_pair_on_xen_417(qemu, tool, dumpdtb, tmp_path):
    """The same tree and guests on Xen 4.17: what the guests check is what
    Xen does."""
    if not XEN.is_file():
        pytest.fail(f"no Xen 4.17 at {XEN}: run scripts/setup.sh")
    dtb, loaders = boot_dtb(tool, dumpdtb, tmp_path, good_pair(), 2, "1G", XEN_APPEND)
    q = qemu("--image", XEN, "--smp", 2, "--mem", "1G", "--append", "", "--dtb", dtb,
             "--", *loaders, label="xen", hard_timeout=150)
    check_good_pair(q)


def test_bad_pairs_named_and_skipped(hypervisor, tool, dumpdtb, tmp_path):
    """A one-sided pair (dom3 names dom4's node, which names another) and a
    port beyond a domU's limit 1023 (dom5 <-> dom6): each is refused naming
    both nodes, its domains are not started, the good pair runs."""
    guests = good_pair() + [
        end("lone", 5, 4, 6, [evtchn_node("lone_ec", 5, "loop_a")]),
        end("loop", 6, 3, 5, [evtchn_node("loop_a", 6, "loop_b"),
                              evtchn_node("loop_b", 7, "loop_a")]),
        end("high", 1024, 6, 8, [evtchn_node("high_ec", 1024, "low_ec")]),
        end("low", 8, 5, 1024, [evtchn_node("low_ec", 8, "high_ec")]),
        # not a static channel: skipped as Xen skips it
        end("other", 9, 0, 9, [evtchn_node("other_ec", 9, "other_ec", "xen,evtchn")]),
    ]
    q = boot(hypervisor, tool, dumpdtb, tmp_path, guests)
    skipped = [rf"^\(PXN\) dom0less: {name}: a static event channel is not bound: "
               r"domain skipped$" for name in ("lone", "loop", "high", "low")]
    q.wait_for_all([
        r"^\(PXN\) dom0less: static event channel /chosen/lone/evtchn@5 -> "
        r"/chosen/loop/evtchn@6: the peer's xen,evtchn names another node$",
        r"^\(PXN\) dom0less: static event channel /chosen/high/evtchn@400 -> "
        r"/chosen/low/evtchn@8: port 1024 of high is beyond its limit 1023$",
        r"^\(PXN\) dom0less: static event channel: ping port 10 <-> pong port 21$",
        r"^\(PXN\) dom0less: static event channel: loop port 6 <-> loop port 7$",
    ] + skipped, timeout=60)
    q.wait_for(r"^\(PXN\) dom0less: 3 of 7 domains started$")
    done = wait_done(q, [1, 2, 7])
    assert_all_passed(q, 1, done[1])
    assert_all_passed(q, 2, done[2])
    # the domain with only a node of another compatible starts, its port unbound
    assert re.search(r"^\(d7\) TEST static_status: FAIL rc 0 status 0 ", q.output, re.M)
    for d in (3, 4, 5, 6):
        assert not re.search(rf"^\(d{d}\)", q.output, re.M), f"d{d} ran"


# ---- dom0's end: a node directly under /chosen --------------------------------

DOM0_APPEND = " dom0_mem=128M"
DOM0_DONE = r"^GUEST DONE (\d+) passed (\d+) failed$"     # dom0's lines: no prefix


def dom0_tree(tool, dumpdtb, tmp_path, xen_append, image=BUILD / "guests" / "static_evtchn.bin"):
    """dom0 runs static_evtchn on port 10, its end the /chosen node dom0_ec;
    the domU ping (domid 1) on port 20, its node naming dom0_ec. dom0's
    node comes first in /chosen: its end is met first, as Xen walks. dom0
    keeps sending until the domU's end closes: Xen 4.17 halts the machine
    when dom0 stops."""
    module, loader = dom0_module(image, "port=10 peer=1 peer_port=20 events=5 linger_ms=30000")
    chosen = f"""
        {module}
        {evtchn_node("dom0_ec", 10, "ping_ec")}"""
    guests = [end("ping", 20, 0, 10, [evtchn_node("ping_ec", 20, "dom0_ec")])]
    dtb, loaders = boot_dtb(tool, dumpdtb, tmp_path, guests, 2, "1G", xen_append + DOM0_APPEND,
                            chosen)
    return dtb, loaders + loader


def check_dom0_pair(q):
    dom0, domu = q.wait_for_all([DOM0_DONE, DONE.format(id=1)], timeout=90)
    assert_all_passed(q, None, (int(dom0.group(1)), int(dom0.group(2))))
    assert_all_passed(q, 1, (int(domu.group(1)), int(domu.group(2))))
    assert re.search(r"^static_evtchn: port 10: status 2, remote dom1 port 20$", q.output, re.M)
    assert re.search(r"^\(d1\) static_evtchn: port 20: status 2, remote dom0 port 10$",
                     q.output, re.M)


def test_dom0_end(hypervisor, tool, dumpdtb, tmp_path):
    """dom0 port 10 <-> ping port 20: dom0 is built first (domid 0), the
    domU after it, the channel bound before either runs; each finds its port
    interdomain to the other's domid and port, and events go both ways."""
    dtb, loaders = dom0_tree(tool, dumpdtb, tmp_path, "")
    q = hypervisor(smp=2, mem="1G", append="", args=["--dtb", dtb], qemu_args=loaders,
                   hard_timeout=150)
    q.wait_for(r"^\(PXN\) dom0less: static event channel: dom0 port 10 <-> ping port 20$",
               timeout=60)
    q.wait_for(r"^\(PXN\) dom0less: 1 of 1 domains started$")
    q.wait_for(pxn.BOOT_COMPLETE)
    check_dom0_pair(q)
    out = q.output
    # Xen's order: dom0 built, then the domU, then the channel, then both run.
    built0 = out.index("(PXN) dom0: kernel at ")
    built1 = out.index("(PXN) Domain 1 (ping): ")
    bound = out.index("(PXN) dom0less: static event channel: dom0 port 10")
    assert built0 < built1 < bound, out[:6000]
    assert not re.search(r"^\(PXN\) Static mode", out, re.M)


def test_dom0_end_when_dom0_fails(hypervisor, tool, dumpdtb, tmp_path):
    """dom0 cannot be built (its kernel module is not an arm64 Image): the
    domU runs, its channel to dom0 reported naming both nodes and left
    unbound."""
    junk = tmp_path / "not-an-image.bin"
    junk.write_bytes(bytes(64 * 1024))
    dtb, loaders = dom0_tree(tool, dumpdtb, tmp_path, "", junk)
    q = hypervisor(smp=2, mem="1G", append="", args=["--dtb", dtb], qemu_args=loaders,
                   hard_timeout=120)
    q.wait_for(r"^\(PXN\) dom0: kernel: not an arm64 Image", timeout=60)
    q.wait_for(r"^\(PXN\) dom0less: static event channel /chosen/ping/evtchn@14 -> "
               r"/chosen/evtchn@a: dom0 was not built: the channel is left unbound$")
    q.wait_for(r"^\(PXN\) dom0less: 1 of 1 domains started$")
    # It runs: its status check fails (the port is closed), reported.
    q.wait_for(r"^\(d1\) TEST static_status: FAIL rc 0 status 0 ", timeout=60)


@pytest.mark.skipif(os.environ.get("PROXENOS_XEN_REFERENCE") != "1",
                    reason="the Xen 4.17 reference run needs PROXENOS_XEN_REFERENCE=1")
def test_dom0_end_on_xen_417(qemu, tool, dumpdtb, tmp_path):
    """The same tree and guests on Xen 4.17."""
    if not XEN.is_file():
        pytest.fail(f"no Xen 4.17 at {XEN}: run scripts/setup.sh")
    dtb, loaders = dom0_tree(tool, dumpdtb, tmp_path, " guest_loglvl=all")
    q = qemu("--image", XEN, "--smp", 2, "--mem", "1G", "--append", "", "--dtb", dtb,
             "--", *loaders, label="xen", hard_timeout=150)
    check_dom0_pair(q)


# ---- A reboot: the channel bound again ---------------------------------------

RUNS_GADDR = 0x50000000         # pong's boot count: static shared memory
RUNS_PADDR = 0x70600000


def test_rebound_after_reboot(hypervisor, tool, dumpdtb, tmp_path):
    """pong (dom2) reboots once after its exchange (it counts its boots in
    static shared memory, which ping reads too); rebuilt, its port 21 is
    bound again to ping's port 10, which waited for it meanwhile and was
    never rebound by ping: both check the status again and exchange again.
    Static mode: the reboot allocated nothing."""
    runs = (f'runs@{RUNS_GADDR:x} {{ compatible = "xen,domain-shared-memory-v1"; '
            f'xen,shm-id = "evtchn-runs"; '
            f'xen,shared-mem = <0x0 {RUNS_PADDR:#x} 0x0 {RUNS_GADDR:#x} 0x0 0x10000>; }};')
    ping = end("ping", 10, 2, 21, [evtchn_node("ping_ec", 10, "pong_ec"), runs])
    # ping stays up a while after both are done, so that the 'b' key below
    # finds the machine running however late this test gets to ask.
    ping.bootargs += f" peer_runs={RUNS_GADDR:#x} hold_ms=8000"
    pong = end("pong", 21, 1, 10, [evtchn_node("pong_ec", 21, "ping_ec"), runs])
    pong.bootargs += f" runs={RUNS_GADDR:#x}"
    q = boot(hypervisor, tool, dumpdtb, tmp_path, [ping, pong], timeout=180)
    q.wait_for(r"^\(PXN\) Static mode: dom0less domains only, nothing allocated after boot$",
               timeout=30)
    q.wait_for(r"^\(d2\) static_evtchn: boot 1$", timeout=60)
    q.wait_for(r"^\(PXN\) Domain 2 \(pong\) shut down: reboot$", timeout=60)
    q.wait_for(r"^\(PXN\) dom0less: pong: static event channel port 21 bound again to "
               r"domain 1 port 10$", timeout=30)
    q.wait_for(r"^\(d2\) static_evtchn: boot 2$", timeout=30)
    q.wait_for(r"^\(d1\) static_evtchn: dom2 booted again$", timeout=30)
    # Asked while ping still runs (once both stop, the machine is off).
    q.send(b"b")
    counts = pxn.after_boot_counts(q.wait_for(pxn.AFTER_BOOT, timeout=20))
    assert counts["static"]
    assert counts["pages"] == 0 and counts["xmalloc"] == 0, q.output[-3000:]
    done = wait_done(q, [1, 2], timeout=120)
    # ping: its 8, then the peer back, and a second status check and
    # exchange; pong's second boot: its 8 and that it is the second.
    assert_all_passed(q, 1, done[1], TESTS + 5)
    assert_all_passed(q, 2, done[2], TESTS + 1)
    statuses = re.findall(r"^\(d(\d)\) static_evtchn: port (\d+): status 2, remote dom(\d) "
                          r"port (\d+)$", q.output, re.M)
    assert statuses.count(("1", "10", "2", "21")) == 2, statuses
    assert statuses.count(("2", "21", "1", "10")) == 2, statuses
