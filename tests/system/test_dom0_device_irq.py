"""dom0's devices interrupt dom0 (docs/dom0.md, "Device interrupts"): QEMU
gets a virtio-blk disk on virt's virtio-mmio transports, whose SPIs (edge)
Proxenos routes to dom0 with the other SPIs of the devices dom0's tree
keeps. Debian's kernel, as the toolstack dom0, loads virtio_mmio and
virtio_blk (modules of the cached kernel), finds /dev/vda and reads the
pattern the test wrote at its start and at 1 MiB: virtio-blk waits for its
used-buffer interrupt, so without it the read never completes. The
interrupt's count in dom0's /proc/interrupts is above 0, and the log says
how many lines were routed. The level-triggered path (the PL061) is
test_virtio_i2c_gpio.py's power button."""

import re
import secrets

import pytest

from conftest import CACHE, REPO
from toolstack import BUSYBOX, KERNEL, TOOLSTACK, dom0_qemu, run_commands

MODULES = CACHE / "sysroot-arm64" / "domu"
KO = "lib/modules/6.1.0-57-arm64/kernel/drivers"
PATTERN = "proxenos-dom0-irq-" + secrets.token_hex(8)
MIB = 1 << 20

LOAD = ("insmod /root/virtio_mmio.ko && insmod /root/virtio_blk.ko && i=0; "
        "while [ ! -b /dev/vda ]; do i=$((i + 1)); [ $i -lt 60 ] || exit 1; sleep 1; done; "
        "echo \"vda after $i s: $(cat /sys/block/vda/size) sectors\"")
READ0 = f"dd if=/dev/vda bs=512 count=1 2>/dev/null | head -c {len(PATTERN)}; echo"
READ1 = (f"dd if=/dev/vda bs=512 skip={MIB // 512} count=1 iflag=direct 2>/dev/null "
         f"| head -c {len(PATTERN)}; echo")
IRQS = "grep -E 'virtio|pl061|pl031' /proc/interrupts"
COMMANDS = [LOAD, READ0, READ1, IRQS]
BUDGET = 300
HARD = 900


@pytest.fixture(scope="module")
def run(tool, tmp_path_factory):
    for need in (KERNEL, BUSYBOX, TOOLSTACK / "usr/lib/xen-4.17/bin/xl",
                 MODULES / KO / "virtio/virtio_mmio.ko"):
        if not need.exists():
            pytest.fail(f"no {need}: run scripts/setup.sh")
    work = tmp_path_factory.mktemp("dom0-irq")
    disk = work / "disk.img"
    with open(disk, "wb") as f:
        f.truncate(4 * MIB)
        f.write(PATTERN.encode())
        f.seek(MIB)
        f.write(PATTERN[::-1].encode())
    commands = work / "commands"
    commands.write_text("".join(c + "\n" for c in COMMANDS))
    dom0 = work / "dom0.cpio.gz"
    tool("sh", REPO / "scripts" / "mkinitramfs-toolstack.sh", "--no-domu",
         "--commands", commands, "--timeout", BUDGET,
         "--add", f"{MODULES / KO / 'virtio/virtio_mmio.ko'}:/root/virtio_mmio.ko",
         "--add", f"{MODULES / KO / 'block/virtio_blk.ko'}:/root/virtio_blk.ko",
         dom0, timeout=120)
    q = dom0_qemu("proxenos", dom0, "test_dom0_device_irq", HARD,
                  extra=["--", "-device", "virtio-blk-device,drive=d0",
                         "-drive", f"if=none,id=d0,file={disk},format=raw"])
    try:
        yield run_commands(q, "proxenos", BUDGET)
    finally:
        q.close()


def test_hypervisor_routes_dom0s_device_interrupts(run):
    # QEMU virt: 32 virtio-mmio transports, the PL031 and the PL061 (the
    # PL011 is the hypervisor's console and stays the hypervisor's).
    assert re.search(r"^\(PXN\) dom0: 34 device interrupts routed\r?$", run.output, re.M), \
        run.output[:6000]
    assert "not routed" not in run.output, run.output[:6000]


def test_dom0_reads_the_disk(run):
    out = run.ok(LOAD)
    assert re.search(r"^vda after \d+ s: 8192 sectors$", out, re.M), out
    assert PATTERN in run.ok(READ0), run.ok(READ0)
    assert PATTERN[::-1] in run.ok(READ1), run.ok(READ1)


def test_dom0_counts_the_disk_interrupts(run):
    out = run.ok(IRQS)
    counts = [sum(int(n) for n in m[1].split())
              for m in re.finditer(r"^\s*\d+:((?:\s+\d+)+)\s+GICv3\s+\d+\s+Edge\s+virtio\d+",
                                   out, re.M)]
    assert counts and max(counts) > 0, out
