"""Static event channels (xen,evtchn-v1 pairs, Xen 4.17's bindings;
docs/static-config.md): bare-metal guests (guests/static_evtchn) on both
ends of a pair check EVTCHNOP_status of their port and exchange events;
a tree with bad pairs names the nodes, leaves those domains unstarted
and runs the good pair beside them. PROXENOS_XEN_REFERENCE=1 also boots
the good pair on Xen 4.17 ($PROXENOS_CACHE/xen/xen-4.17-arm64)."""

import os
import re

import pytest

from conftest import CACHE, STD_APPEND
from dom0less import Guest, boot_dtb

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


def assert_all_passed(q, d, counts):
    passed, failed = counts
    tests = dict(re.findall(rf"^\(d{d}\) TEST (\w+): (PASS|FAIL)", q.output, re.M))
    bad = sorted(t for t, r in tests.items() if r != "PASS")
    assert failed == 0 and not bad, f"d{d} failed {bad}:\n{q.output[-6000:]}"
    assert passed == TESTS, f"d{d}: {passed} tests passed, {TESTS} expected"


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
