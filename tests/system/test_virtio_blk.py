"""Our own virtio-blk back end (tools/virtio-backend, issue 17 point 4) in
the toolstack dom0, started as xl expects a `backendtype=standalone,
specification=virtio` disk's back end to be: in the background, waiting on
xenstore. `xl create` of a 2-vCPU Debian Linux domU with such a disk makes
libxl write the device's entries; the back end serves it on the IOREQ server
with one queue per vCPU. The domU (tools/domu/virtio-init) reads the line
dom0 wrote at sector 0, writes a pattern of its own and reads it back, then
has two writers and two readers at once, one pinned to each vCPU; dom0 finds
each pattern in the image file, and the back end's log shows both queues
used; it then discards 64 KiB and reads zeroes back, and shows the serial
number the device gave. A second domU on the same back end, its disk the
same image as a block device (a loop device), destroyed while it runs,
checks the teardown and that the back end serves the next domain. One boot
per hypervisor; each test reads its part of it. With
PROXENOS_XEN_REFERENCE=1 the same runs on the full-config Xen 4.17
(scripts/build-xen-reference.sh): the back end uses nothing of Proxenos's
own.
"""

import re
import secrets

import pytest

from conftest import BUILD, CACHE, REPO
from toolstack import (BUSYBOX, KERNEL, ON_PROXENOS, TOOLSTACK, XEN_ONLY, dom0_qemu, list_rows,
                       run_commands)

BACKEND = BUILD / "tools" / "virtio-blk-backend"
DOMU_MODULES = CACHE / "sysroot-arm64" / "domu"
XEN_FULL = CACHE / "xen-full" / "xen-4.17-full-arm64"

IMAGES = "/var/lib/xen/images/vblk"
CFG = "/etc/xen/vblk-domu.cfg"
DISK = "/tmp/vblk.img"
KNOWN = "dom0-wrote-this-" + secrets.token_hex(6)
SEEK, SEEK2, KIB, PAR = 2048, 4096, 256, 2
DISCARD = 30720     # 64 KiB written, discarded, read back as zeroes
DOMU_CFG = f"""\
name = "vblk"
type = "pvh"
kernel = "{IMAGES}/Image"
ramdisk = "{IMAGES}/initramfs.cpio.gz"
extra = "console=hvc0 quiet vd.seek={SEEK} vd.kib={KIB} vd.par={PAR} vd.discard={DISCARD} vd.wait=300"
memory = 128
vcpus = 2
disk = [ 'format=raw, vdev=xvda, access=rw, backendtype=standalone, specification=virtio, target={DISK}' ]
"""

FREE = "xl info | grep -E '^free_memory'"
MAKE_DISK = (f"dd if=/dev/zero of={DISK} bs=1M count=16 2>/dev/null && "
             f"echo {KNOWN} | dd of={DISK} conv=notrunc 2>/dev/null && ls -l {DISK}")
BACKEND_START = ("setsid virtio-blk-backend >/tmp/vblk.log 2>&1 </dev/null & sleep 2; "
                 "pidof virtio-blk-backend && cat /tmp/vblk.log")
CREATE = f"xl create -c {CFG}"
GONE = ("i=0; while xl list | awk 'NR > 1 { print $1 }' | grep -qv '^Domain-0$'; "
        "do i=$((i + 1)); [ $i -lt 60 ] || break; sleep 1; done; xl list")


def region(seek):
    """dom0's md5 of the KIB KiB at sector seek of the image."""
    return f"dd if={DISK} bs=512 skip={seek} count={KIB * 2} 2>/dev/null | md5sum"


PAR_SEEKS = [SEEK + 8192 * k for k in range(1, PAR + 1)]
# The second domU's disk is the same image as a block device (a loop device).
LOOP = f"losetup /dev/loop0 {DISK} && losetup /dev/loop0"
BDEV = "/dev/loop0"
CREATE2 = (f"xl create {CFG} 'name=\"vblk2\"' "
           f"'extra=\"console=hvc0 quiet vd.seek={SEEK2} vd.kib={KIB} vd.wait=300 vd.stay=1\"' "
           "'disk=[ \"format=raw, vdev=xvda, access=rw, backendtype=standalone, "
           f"specification=virtio, target={BDEV}\" ]'")
WRITTEN2 = (f"z=$(dd if=/dev/zero bs=1024 count={KIB} 2>/dev/null | md5sum); i=0; "
            f"until [ \"$({region(SEEK2)})\" != \"$z\" ]; do i=$((i + 1)); "
            "[ $i -lt 240 ] || exit 1; sleep 1; done; "
            "timeout 10 xl console vblk2 </dev/null; echo; " + region(SEEK2))
LOG = "sleep 2; cat /tmp/vblk.log"
COMMANDS = [
    MAKE_DISK,
    BACKEND_START,
    CREATE,
    GONE,
    region(SEEK),
    *[region(s) for s in PAR_SEEKS],
    f"dd if={DISK} bs=512 skip={DISCARD} count=128 2>/dev/null | md5sum",
    FREE,
    LOOP,
    CREATE2,
    WRITTEN2,
    "xl destroy vblk2 && " + GONE,
    LOG,
    "pidof virtio-blk-backend",
    FREE,
]
STEP_TIMEOUT = 300
BUDGET = 300
HARD = 1500

DOMU = r"^domu-virtio: (.*)$"


@pytest.fixture(scope="module")
def dom0_image(tool, tmp_path_factory):
    for need in (KERNEL, BUSYBOX, TOOLSTACK / "usr/lib/xen-4.17/bin/xl",
                 DOMU_MODULES / "etc/proxenos/modules"):
        if not need.exists():
            pytest.fail(f"no {need}: run scripts/setup.sh")
    if not BACKEND.is_file():
        pytest.fail(f"no back end at {BACKEND}: run `make O={BUILD} tools`")
    work = tmp_path_factory.mktemp("virtio-blk")
    domu = work / "domu.cpio.gz"
    tool("sh", REPO / "scripts" / "mkinitramfs.sh", "--busybox", BUSYBOX,
         "--init", REPO / "tools" / "domu" / "virtio-init", "--tree", DOMU_MODULES, domu,
         timeout=120)
    cfg = work / "vblk-domu.cfg"
    cfg.write_text(DOMU_CFG)
    commands = work / "commands"
    commands.write_text("".join(c + "\n" for c in COMMANDS))
    dom0 = work / "dom0.cpio.gz"
    tool("sh", REPO / "scripts" / "mkinitramfs-toolstack.sh", "--no-domu",
         "--commands", commands, "--timeout", STEP_TIMEOUT,
         "--add", f"{BACKEND}:/usr/bin/virtio-blk-backend",
         "--add", f"{KERNEL}:{IMAGES}/Image",
         "--add", f"{domu}:{IMAGES}/initramfs.cpio.gz",
         "--add", f"{cfg}:{CFG}", dom0, timeout=120)
    return dom0


# The reference: Xen 4.17 built with the IOREQ server (Debian's Xen has
# none), scripts/build-xen-reference.sh's, run with PROXENOS_XEN_REFERENCE=1.
ON_XEN = pytest.param("xen", id="xen-4.17-full", marks=[
    XEN_ONLY, pytest.mark.skipif(not XEN_FULL.is_file(),
                                 reason=f"no full-config Xen 4.17 at {XEN_FULL}: build it with "
                                        "scripts/build-xen-reference.sh")])
BOTH = [ON_PROXENOS, ON_XEN]


@pytest.fixture(scope="module")
def run(request, dom0_image):
    """The boot of request.param ("proxenos" or "xen"), once per module."""
    which = request.param
    q = dom0_qemu(which, dom0_image, "test_virtio_blk", HARD,
                  image=XEN_FULL if which == "xen" else None)
    try:
        yield run_commands(q, which, BUDGET)
    finally:
        q.close()


def domu_lines(text):
    return re.findall(DOMU, text, re.M)


def md5_of(text):
    m = re.search(r"^([0-9a-f]{32})\s+-$", text, re.M)
    assert m, text
    return m[1]


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_backend_waits_on_xenstore(run):
    assert "ready" in run.steps(), run.steps()
    out = run.ok(BACKEND_START)
    assert re.search(r"^\d+$", out, re.M), out
    assert "virtio-blk: backend domain 0; waiting for virtio_disk devices" in out, out


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_domu_reads_what_dom0_wrote(run):
    lines = domu_lines(run.ok(CREATE))
    assert "modules loaded: virtio_mmio virtio_blk" in lines, lines
    assert any(re.fullmatch(r"vda after \d+ s: 32768 sectors", x) for x in lines), lines
    assert f"read sector 0: {KNOWN}" in lines, lines


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_domu_writes_and_dom0_reads(run):
    lines = domu_lines(run.ok(CREATE))
    wrote = [m[1] for m in (re.fullmatch(rf"wrote {KIB} KiB at sector {SEEK}: md5 (\w+)", x)
                            for x in lines) if m]
    assert wrote, lines
    assert f"read back {KIB} KiB at sector {SEEK}: md5 {wrote[0]}, match" in lines, lines
    assert "done" in lines, lines
    assert md5_of(run.ok(region(SEEK))) == wrote[0]


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_two_vcpus_at_once(run):
    """Two writers, then two readers, one on each vCPU; each pattern is in
    the image, and the back end took requests on both queues."""
    lines = domu_lines(run.ok(CREATE))
    for k, seek in enumerate(PAR_SEEKS, 1):
        m = [re.fullmatch(rf"parallel {k}/{PAR}: {KIB} KiB at sector {seek} on 2 CPUs: "
                          r"md5 (\w+), match", x) for x in lines]
        m = [x[1] for x in m if x]
        assert m, lines
        assert md5_of(run.ok(region(seek))) == m[0]
    log = run.ok(LOG)
    first = log.split("virtio-blk dom2")[0]
    counts = [int(n) for n in re.findall(r"^virtio-blk dom1: queue \d: (\d+) requests", first,
                                         re.M)]
    assert len(counts) == 2 and all(n > 0 for n in counts), log


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_discard_and_serial(run):
    """blkdiscard in the domU punches a hole in dom0's image: zeroes on both
    sides; the serial number Linux shows is the device's GET_ID answer."""
    lines = domu_lines(run.ok(CREATE))
    assert f"discarded 64 KiB at sector {DISCARD}: reads back as zeroes" in lines, lines
    assert any(re.fullmatch(r"serial: pxn-[0-9a-f]+-[0-9a-f]+", x) for x in lines), lines
    out = run.ok(f"dd if={DISK} bs=512 skip={DISCARD} count=128 2>/dev/null | md5sum")
    assert md5_of(out) == "fcd6bcb56c1689fcef28b57c22475bad", out   # 64 KiB of zeroes


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_domain_gone_after_power_off(run):
    rows = list_rows(run.ok(GONE))
    assert [r[0] for r in rows] == ["Domain-0"], rows


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_backend_serves_a_second_domain(run):
    out = run.ok(WRITTEN2)
    lines = domu_lines(out)
    assert f"read sector 0: {KNOWN}" in lines, out
    wrote = [m[1] for m in (re.fullmatch(rf"wrote {KIB} KiB at sector {SEEK2}: md5 (\w+)", x)
                            for x in lines) if m]
    assert wrote, out
    assert f"read back {KIB} KiB at sector {SEEK2}: md5 {wrote[0]}, match" in lines, out
    assert md5_of(out) == wrote[0]


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_destroy_tears_the_backend_down(run):
    rows = list_rows(run.ok("xl destroy vblk2 && " + GONE))
    assert [r[0] for r in rows] == ["Domain-0"], rows
    log = run.ok(LOG)
    for dom, target in ((1, DISK), (2, BDEV)):
        assert (f"virtio-blk dom{dom}: serving {target} (32768 sectors, rw) at 0x2000000, "
                f"SPI 33: 2 vCPU(s), 2 queue(s)") in log, log
        assert f"virtio-blk dom{dom}: disconnected" in log, log
        assert re.search(rf"^virtio-blk: dom{dom} device 51712: process \d+ ended \(status 0\)$",
                         log, re.M), log
    assert " 0 malformed" in log and not re.search(r"[1-9]\d* malformed", log), log
    assert re.search(r"^\d+$", run.ok("pidof virtio-blk-backend"), re.M)


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_no_memory_lost(run):
    before, after = (int(run.ok(FREE, nth=n).split(":")[-1]) for n in (0, 1))
    assert 0 <= before - after <= 1, (before, after)
