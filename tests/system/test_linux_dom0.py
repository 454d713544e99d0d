"""Unmodified Debian Linux on the Xen guest ABI: as dom0, booted with Xen
4.17's QEMU command shape (hypervisor as -kernel, Linux and its initramfs
as guest-loader modules, console=hvc0), and as a dom0less domU with
xen,enhanced = "no-xenstore". What is asserted is what the same kernel
prints on Xen 4.17 itself: the ABI it found, the event-channel and grant
table layouts it chose, the balloon driver, /sys/hypervisor/type and the
CPU count from its init script, and a clean power-off.

Every test runs on Proxenos; with PROXENOS_XEN_REFERENCE=1 each also runs
the identical scenario on Debian's Xen 4.17 (cached by scripts/setup.sh at
$PROXENOS_CACHE/xen/xen-4.17-arm64), to check the expectations themselves.
"""

import os
import re

import pytest

from conftest import CACHE, IMAGE, REPO, STD_APPEND
from dom0less import Guest, boot_dtb

KERNEL = CACHE / "linux" / "Image"
BUSYBOX = CACHE / "busybox" / "busybox"
XEN = CACHE / "xen" / "xen-4.17-arm64"

# Xen 4.17's QEMU command shape for dom0 (docs/dom0.md).
DOM0_APPEND = "dom0_mem=512M console=dtuart dtuart=/pl011@9000000"
DOM0_BOOTARGS = "console=hvc0 earlycon=xen"
DOM0_SMP = 4
MARKER = "PXN-LINUX-INIT"

# A guest's console line may carry a prefix: none for dom0's hvc0 on Xen,
# "(XEN) DOM1: " for a domU's vpl011 on Xen, "(dN) " on Proxenos.
PREFIX = r"^(?:\(XEN\) DOM\d+: |\(d\d+\) )?"
STAMP = r"\[ *(?P<t>[0-9]+\.[0-9]+)\] "

# What Linux prints once it has found Xen and set up its interfaces, in the
# order it prints them (checked on Xen 4.17, see the module docstring).
XEN_FOUND = PREFIX + STAMP + r"Xen 4\.17 support found$"
GNTTAB_V1 = PREFIX + STAMP + r"xen:grant_table: Grant tables using version 1 layout$"
FIFO = PREFIX + STAMP + r"xen:events: Using FIFO-based ABI$"
CPU0 = PREFIX + STAMP + r"Xen: initializing cpu0$"
BALLOON = PREFIX + STAMP + r"xen:balloon: Initialising balloon driver$"
RUN_INIT = PREFIX + STAMP + r"Run /init as init process$"
INIT = PREFIX + re.escape(MARKER) + r"$"
# These two end at the newline: "$" would also match a line not yet complete.
HYP_TYPE = PREFIX + r"hypervisor type: (?P<type>.*)\n"
CPUS = PREFIX + r"cpus online: (?P<n>\d+)\n"
POWER_DOWN = PREFIX + STAMP + r"reboot: Power down$"

# The init script's work after the marker (mkinitramfs.sh --run).
INIT_RUN = ('echo "hypervisor type: $(cat /sys/hypervisor/type)"; '
            'echo "cpus online: $(grep -c ^processor /proc/cpuinfo)"')

# Linux under TCG reaches /init in ~30 s of its own time on an idle host
# (Xen 4.17, 4 vCPUs); a loaded or small host needs several times that, so
# each step may take BUDGET s and the whole run HARD s (both scaled by
# PROXENOS_TIMEOUT_SCALE).
BUDGET = 150
HARD = 600

HYPERVISORS = [
    pytest.param("proxenos", id="proxenos"),
    pytest.param("xen", id="xen-4.17", marks=pytest.mark.skipif(
        os.environ.get("PROXENOS_XEN_REFERENCE") != "1",
        reason="the Xen 4.17 reference run needs PROXENOS_XEN_REFERENCE=1")),
]


def image_for(which):
    if which == "xen":
        if not XEN.is_file():
            pytest.fail(f"no Xen 4.17 at {XEN}: run scripts/setup.sh")
        return XEN
    if not IMAGE.is_file():
        pytest.fail(f"no hypervisor image at {IMAGE}: run `make`")
    return IMAGE


def initramfs(tool, tmp_path):
    if not KERNEL.is_file() or not BUSYBOX.is_file():
        pytest.fail(f"no cached Debian kernel/busybox under {CACHE}: run scripts/setup.sh")
    out = tmp_path / "initramfs.cpio.gz"
    tool("sh", REPO / "scripts" / "mkinitramfs.sh", "--busybox", BUSYBOX,
         "--marker", MARKER, "--run", INIT_RUN, out, timeout=60)
    return out


def linux_finds_xen(q, budget):
    """Wait for the ABI lines every Linux on Xen prints; return the kernel
    time at which /init ran."""
    q.wait_for(XEN_FOUND, timeout=budget)
    q.wait_for(GNTTAB_V1, timeout=budget)
    q.wait_for(FIFO, timeout=budget)
    q.wait_for(CPU0, timeout=budget)
    q.wait_for(BALLOON, timeout=budget)
    return float(q.wait_for(RUN_INIT, timeout=budget)["t"])


def init_reports(q, cpus, budget):
    q.wait_for(INIT, timeout=budget)
    assert q.wait_for(HYP_TYPE, timeout=budget)["type"] == "xen"
    assert int(q.wait_for(CPUS, timeout=budget)["n"]) == cpus
    q.wait_for(POWER_DOWN, timeout=budget)


@pytest.mark.parametrize("which", HYPERVISORS)
def test_debian_linux_as_dom0(qemu, tool, tmp_path, which):
    """dom0 as Xen 4.17 is booted on QEMU: Linux finds Xen 4.17, uses FIFO
    event channels, grant tables v1 and the balloon driver on hvc0, sees
    all four CPUs and powers the machine off. (Xen 4.17 under TCG: /init
    at ~28 s of kernel time, ~45 s in all.)"""
    image = image_for(which)
    initrd = initramfs(tool, tmp_path)
    q = qemu("--image", image, "--smp", DOM0_SMP, "--mem", "1G", "--append", DOM0_APPEND,
             "--guest-kernel", KERNEL, "--guest-args", DOM0_BOOTARGS,
             "--guest-initrd", initrd, label=which, hard_timeout=HARD)
    linux_finds_xen(q, BUDGET)
    init_reports(q, DOM0_SMP, BUDGET)
    # dom0 powering off stops the machine, on Xen as here.
    assert q.expect_exit(timeout=BUDGET) == 0


@pytest.mark.parametrize("which", HYPERVISORS)
def test_debian_linux_as_enhanced_domu(qemu, tool, dumpdtb, tmp_path, which):
    """A dom0less domU with xen,enhanced = "no-xenstore" (console on its
    vpl011): the /hypervisor node makes Linux find Xen 4.17 and set up
    grant tables, FIFO event channels on PPI 31 and the balloon driver."""
    image = image_for(which)
    initrd = initramfs(tool, tmp_path)
    guest = Guest("linux", str(KERNEL), memory_kib=256 * 1024, cpus=2,
                  bootargs="console=ttyAMA0", ramdisk=initrd,
                  extra=['xen,enhanced = "no-xenstore";'])
    dtb, loaders = boot_dtb(tool, dumpdtb, tmp_path, [guest], 2, "1G", STD_APPEND)
    q = qemu("--image", image, "--smp", 2, "--mem", "1G", "--append", "", "--dtb", dtb,
             "--", *loaders, label=which, hard_timeout=HARD)
    if which == "proxenos":
        # The guest layout's windows, as Xen 4.17 describes them.
        q.wait_for(r"^\(PXN\) Domain 1: extended region 0: 0x50000000->0x100000000$",
                   timeout=60)
    linux_finds_xen(q, BUDGET)
    init_reports(q, 2, BUDGET)
    # Xen 4.17 keeps running after its last domU; Proxenos stops.
    if which == "proxenos":
        q.wait_for(r"^\(PXN\) All domains have stopped: 1 powered off, 0 crashed, 0 reboots\.",
                   timeout=BUDGET)
