"""The Xen ABI guests (xenabi, evtchn_ping, badargs) on Proxenos as
dom0less domUs with xen,enhanced = "no-xenstore" (their /hypervisor node).
The same binaries pass every TEST line on Debian's Xen 4.17 (see
docs/guests.md), so every line must pass here too."""

import re

from conftest import STD_APPEND
from dom0less import Guest, boot_dtb

DONE = r"^\(d{id}\) GUEST DONE (\d+) passed (\d+) failed$"
ENHANCED = ['xen,enhanced = "no-xenstore";']


def xen_guest(name, image, bootargs="", cpus=1):
    # no vpl011: the console is console_io, as on Xen with the /hypervisor node
    return Guest(name, image, cpus=cpus, vpl011=False, bootargs=bootargs, extra=list(ENHANCED))


def run(hypervisor, tool, dumpdtb, tmp_path, guests, smp=2, timeout=120):
    dtb, loaders = boot_dtb(tool, dumpdtb, tmp_path, guests, smp, "1G", STD_APPEND)
    return hypervisor(smp=smp, mem="1G", append="", args=["--dtb", dtb], qemu_args=loaders,
                      hard_timeout=timeout + 30)


def assert_all_pass(q, minimum, timeout=90):
    """Wait for every domain's GUEST DONE (minimum: {domid: tests expected at
    least}), in whatever order the domains finish, then check each one's
    TEST lines."""
    ids = sorted(minimum)
    done = q.wait_for_all([DONE.format(id=d) for d in ids], timeout=timeout)
    for d, m in zip(ids, done):
        passed, failed = int(m.group(1)), int(m.group(2))
        tests = dict(re.findall(rf"^\(d{d}\) TEST (\w+): (PASS|FAIL)", q.output, re.M))
        bad = sorted(t for t, r in tests.items() if r != "PASS")
        assert failed == 0 and not bad, f"d{d} failed {bad}:\n{q.output[-6000:]}"
        assert passed >= minimum[d], f"d{d}: only {passed} tests ran (expected {minimum[d]}+)"


def test_xenabi_every_family(hypervisor, tool, dumpdtb, tmp_path):
    """xen_version, console_io, vm_assist, memory_op, vcpu_op, event channels
    (2-level then FIFO), grant table v1, hvm_op, sched_op, multicall, and the
    error answers of platform_op/physdev_op/unknown numbers: 143 tests on Xen 4.17."""
    q = run(hypervisor, tool, dumpdtb, tmp_path, [xen_guest("xenabi", "xenabi")])
    assert_all_pass(q, {1: 143})


def test_evtchn_ping_between_two_domains(hypervisor, tool, dumpdtb, tmp_path):
    """Interdomain event channel and a granted page (map, copy, unmap) between
    dom1 (role a) and dom2 (role b): 13 and 14 tests on Xen 4.17."""
    guests = [xen_guest("ping_a", "evtchn_ping", "role=a peer=2 rounds=10"),
              xen_guest("ping_b", "evtchn_ping", "role=b peer=1 rounds=10")]
    q = run(hypervisor, tool, dumpdtb, tmp_path, guests)
    assert_all_pass(q, {1: 13, 2: 14})


def test_badargs_survives_and_neighbour_finishes(hypervisor, tool, dumpdtb, tmp_path):
    """Hostile arguments to every family get Xen 4.17's errors (70 tests); a
    well-behaved hello beside it finishes normally."""
    guests = [xen_guest("badargs", "badargs"),
              Guest("good", "hello", bootargs="name=good count=3")]
    q = run(hypervisor, tool, dumpdtb, tmp_path, guests)
    assert_all_pass(q, {1: 70, 2: 2})
    assert "Proxenos panic" not in q.output and "PANIC" not in q.output
