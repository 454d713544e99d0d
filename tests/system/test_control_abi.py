"""The toolstack's interface (sysctl, domctl) as dom0 sees it: the ctlabi
guest runs as dom0, booted with Xen 4.17's QEMU command shape (hypervisor
as -kernel, the guest as a guest-loader kernel module), and checks every
answer it can against the machine (docs/guests.md). The same binary passes
every TEST line on Debian's Xen 4.17; with PROXENOS_XEN_REFERENCE=1 the
test runs it there too, to check the expectations themselves."""

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
TESTS = 79      # what the guest runs on Xen 4.17

HYPERVISORS = [
    pytest.param("proxenos", id="proxenos"),
    pytest.param("xen", id="xen-4.17", marks=pytest.mark.skipif(
        os.environ.get("PROXENOS_XEN_REFERENCE") != "1",
        reason="the Xen 4.17 reference run needs PROXENOS_XEN_REFERENCE=1")),
]


@pytest.mark.parametrize("which", HYPERVISORS)
def test_ctlabi_as_dom0(qemu, which):
    """physinfo, cputopoinfo, numainfo, getcpuinfo, sched_id, cpupool_op,
    getdomaininfolist, getdomaininfo, getvcpuinfo, getvcpuaffinity,
    scheduler_op, pause refusals, setdomainhandle (seen again through
    XENVER_guest_handle), settimeoffset, max_mem, set_address_size,
    cacheflush, the paging pool, vuart_op, readconsole, and the version,
    fault and unknown-command answers."""
    image = XEN if which == "xen" else IMAGE
    if not image.is_file():
        pytest.fail(f"no hypervisor at {image}")
    if not CTLABI.is_file():
        pytest.fail(f"no {CTLABI}: run `make guests`")
    q = qemu("--image", image, "--smp", SMP, "--mem", f"{HOST_MIB}M", "--append", APPEND,
             "--guest-kernel", CTLABI, "--guest-args", f"host_mib={HOST_MIB} pmu=1",
             label=which, hard_timeout=120)
    m = q.wait_for(DONE, timeout=90)
    passed, failed = int(m.group(1)), int(m.group(2))
    bad = sorted(t for t, r in re.findall(r"^TEST (\w+): (PASS|FAIL)", q.output, re.M)
                 if r != "PASS")
    assert failed == 0 and not bad, f"failed {bad}:\n{q.output[-6000:]}"
    assert passed >= TESTS, f"only {passed} tests ran (expected {TESTS})"
