"""The toolstack's interface (sysctl, domctl) as dom0 sees it: the ctlabi
guest runs as dom0, booted with Xen 4.17's QEMU command shape (hypervisor
as -kernel, the guest as a guest-loader kernel module), alone or beside a
dom0less domU (hello) on which it tries the commands on another domain,
pausing included, and checks every answer it can against the machine
(docs/guests.md). The same binary passes every TEST line on Debian's Xen
4.17; with PROXENOS_XEN_REFERENCE=1 the test runs it there too, to check
the expectations themselves."""

import os
import re

import pytest

from conftest import BUILD, CACHE, IMAGE

XEN = CACHE / "xen" / "xen-4.17-arm64"
CTLABI = BUILD / "guests" / "ctlabi.bin"
APPEND = "dom0_mem=256M console=dtuart dtuart=/pl011@9000000"
SMP = 2
HOST_MIB = 2048
# dom0's own console lines have no prefix on either hypervisor.
DONE = r"^GUEST DONE (\d+) passed (\d+) failed$"
TESTS = 79      # what the guest runs on Xen 4.17, dom0 alone
TESTS_WITH_DOMU = 119
DOMU_MIB = 64
HELLO = BUILD / "guests" / "hello.bin"

HYPERVISORS = [
    pytest.param("proxenos", id="proxenos"),
    pytest.param("xen", id="xen-4.17", marks=pytest.mark.skipif(
        os.environ.get("PROXENOS_XEN_REFERENCE") != "1",
        reason="the Xen 4.17 reference run needs PROXENOS_XEN_REFERENCE=1")),
]


def run_ctlabi(qemu, which, guest_args, extra=(), tests=TESTS):
    image = XEN if which == "xen" else IMAGE
    if not image.is_file():
        pytest.fail(f"no hypervisor at {image}")
    if not CTLABI.is_file() or not HELLO.is_file():
        pytest.fail(f"no {CTLABI} or {HELLO}: run `make guests`")
    q = qemu("--image", image, "--smp", SMP, "--mem", f"{HOST_MIB}M", "--append", APPEND,
             "--guest-kernel", CTLABI, "--guest-args", guest_args, *extra,
             label=which, hard_timeout=120)
    m = q.wait_for(DONE, timeout=90)
    passed, failed = int(m.group(1)), int(m.group(2))
    bad = sorted(t for t, r in re.findall(r"^TEST (\w+): (PASS|FAIL)", q.output, re.M)
                 if r != "PASS")
    assert failed == 0 and not bad, f"failed {bad}:\n{q.output[-6000:]}"
    assert passed >= tests, f"only {passed} tests ran (expected {tests})"


@pytest.mark.parametrize("which", HYPERVISORS)
def test_ctlabi_as_dom0(qemu, which):
    """physinfo, cputopoinfo, numainfo, getcpuinfo, sched_id, cpupool_op,
    getdomaininfolist, getdomaininfo, getvcpuinfo, getvcpuaffinity,
    scheduler_op, pause refusals, setdomainhandle (seen again through
    XENVER_guest_handle), settimeoffset, max_mem, set_address_size,
    cacheflush, the paging pool, vuart_op, readconsole, and the version,
    fault and unknown-command answers."""
    run_ctlabi(qemu, which, f"host_mib={HOST_MIB} pmu=1")


@pytest.mark.parametrize("which", HYPERVISORS)
def test_ctlabi_beside_a_domu(qemu, which):
    """The same with a dom0less domU (hello, 64 MiB, printing a line a
    second): two domains in the lists and pool, and on the domU its
    getdomaininfo fields, pausing (the paused flag, its vCPU off every CPU,
    nesting, unpausing once too often), credit2 weight and cap, affinity,
    node affinity, max_vcpus, address size, time offset, max_mem, cacheflush, its paging
    pool, granting and revoking an MMIO frame, vuart_op."""
    run_ctlabi(qemu, which, f"host_mib={HOST_MIB} pmu=1 domu_mib={DOMU_MIB}",
               extra=("--domu", HELLO, "--domu-args", "name=du count=1000 interval_ms=1000",
                      "--domu-mem", DOMU_MIB), tests=TESTS_WITH_DOMU)
