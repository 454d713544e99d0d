"""Our virtio-blk back end (tools/virtio-backend) finding and serving a
dom0less domU's device by itself (`--dom0less`, Proxenos's
proxenos,virtio-mmio-v1 binding, docs/virtio.md): QEMU's tree gets a
2-vCPU Debian Linux domU with one blk device and nothing else said
(libxl's layout: 0x2000000, SPI 33) but a proxenos,backend-args naming an
image that does not exist; the hypervisor holds it paused until dom0
claims the window. In the toolstack dom0, a configuration line
(/etc/proxenos/virtio-backend.conf) names the real image, which wins over
the boot tree's words, and `virtio-blk-backend --dom0less` reads
/proc/device-tree/chosen/proxenos-virtio and starts a serving process for
the device, no xenstore involved (dom0 also reads the list itself, to
check what the hypervisor wrote). The domU (tools/domu/virtio-init on its
vpl011) reads the line dom0 wrote at sector 0, writes and reads back a
pattern, then two writers and two readers at once, and powers off; the
serving process sees the domain gone and ends, its log showing both
queues used, and the discovery process ends with it; dom0 finds the
patterns in the image. The command-line mode (--domid, --base, --irq) is
test_virtio_net_dom0less's and test_virtio_blk_hostile's.
"""

import re
import secrets

import pytest

from conftest import BUILD, CACHE, REPO
from toolstack import BUSYBOX, KERNEL, TOOLSTACK, dom0_qemu, run_commands

BACKEND = BUILD / "tools" / "virtio-blk-backend"
DOMU_MODULES = CACHE / "sysroot-arm64" / "domu"

DISK = "/tmp/vblk.img"
KNOWN = "dom0-wrote-this-" + secrets.token_hex(6)
SEEK, KIB, PAR = 2048, 256, 2
PAR_SEEKS = [SEEK + 8192 * k for k in range(1, PAR + 1)]
DOMU_ARGS = f"console=ttyAMA0 quiet vd.seek={SEEK} vd.kib={KIB} vd.par={PAR} vd.wait=120"
VDISK = """\t\t\tvdisk {
\t\t\t\tcompatible = "proxenos,virtio-mmio-v1";
\t\t\t\tproxenos,device-type = "blk";
\t\t\t\tproxenos,backend-args = "target=/tmp/not-this.img";
\t\t\t};"""

MAKE_DISK = (f"dd if=/dev/zero of={DISK} bs=1M count=16 2>/dev/null && "
             f"echo {KNOWN} | dd of={DISK} conv=notrunc 2>/dev/null && ls -l {DISK}")
# The device as dom0 is told of it, in numbers the command line takes.
FIND = ("cd /proc/device-tree/chosen/proxenos-virtio/*/ && "
        "hex() { od -An -tx1 \"$1\" | tr -d ' \\n'; } && "
        "echo \"type $(cat proxenos,device-type) dom $((0x$(hex proxenos,domid))) "
        "base 0x$(hex proxenos,base) irq $((0x$(hex proxenos,irq)))\" | tee /tmp/dev")
# What backs the device, said by dom0's administrator.
CONF = ("mkdir -p /etc/proxenos && "
        f"printf '# dom0 disks\\ndomU1/vdisk target={DISK} access=rw\\n' "
        ">/etc/proxenos/virtio-backend.conf && cat /etc/proxenos/virtio-backend.conf")
START = ("setsid virtio-blk-backend --dom0less >/tmp/vblk.log 2>&1 </dev/null & sleep 2; "
         "pidof virtio-blk-backend && cat /tmp/vblk.log")
# The command-line mode, with the numbers FIND read (test_virtio_blk_hostile's).
START_BY_HAND = ("set -- $(cat /tmp/dev); setsid virtio-blk-backend --domid $4 --base $6 "
                 f"--irq $8 {DISK} >/tmp/vblk.log 2>&1 </dev/null & sleep 2; "
                 "pidof virtio-blk-backend && cat /tmp/vblk.log")
# The domU powers off when done and, with no toolstack of its own, is
# gone; the back end notices (once a second) and ends by itself.
BACKEND_ENDS = ("i=0; while pidof virtio-blk-backend >/dev/null; do i=$((i + 1)); "
                "[ $i -lt 240 ] || exit 1; sleep 1; done; cat /tmp/vblk.log")


def region(seek):
    return f"dd if={DISK} bs=512 skip={seek} count={KIB * 2} 2>/dev/null | md5sum"


COMMANDS = [MAKE_DISK, FIND, CONF, START, BACKEND_ENDS, region(SEEK),
            *[region(s) for s in PAR_SEEKS]]
BUDGET = 300
HARD = 1200

# The domU's lines on the shared UART.
DOMU = r"^\(d1\) domu-virtio: (.*?)\r?$"


@pytest.fixture(scope="module")
def run(tool, tmp_path_factory):
    for need in (KERNEL, BUSYBOX, TOOLSTACK / "usr/lib/xen-4.17/bin/xl",
                 DOMU_MODULES / "etc/proxenos/modules"):
        if not need.exists():
            pytest.fail(f"no {need}: run scripts/setup.sh")
    if not BACKEND.is_file():
        pytest.fail(f"no back end at {BACKEND}: run `make O={BUILD} tools`")
    work = tmp_path_factory.mktemp("virtio-blk-dom0less")
    domu = work / "domu.cpio.gz"
    tool("sh", REPO / "scripts" / "mkinitramfs.sh", "--busybox", BUSYBOX,
         "--init", REPO / "tools" / "domu" / "virtio-init", "--tree", DOMU_MODULES, domu,
         timeout=120)
    commands = work / "commands"
    commands.write_text("".join(c + "\n" for c in COMMANDS))
    dom0 = work / "dom0.cpio.gz"
    tool("sh", REPO / "scripts" / "mkinitramfs-toolstack.sh", "--no-domu",
         "--commands", commands, "--timeout", BUDGET,
         "--add", f"{BACKEND}:/usr/bin/virtio-blk-backend", dom0, timeout=120)
    q = dom0_qemu("proxenos", dom0, "test_virtio_blk_dom0less", HARD,
                  extra=["--domu", KERNEL, "--domu-args", DOMU_ARGS, "--domu-initrd", domu,
                         "--domu-mem", 128, "--domu-cpus", 2, "--domu-node", VDISK])
    try:
        yield run_commands(q, "proxenos", BUDGET)
    finally:
        q.close()


def domu_lines(run):
    return re.findall(DOMU, run.output, re.M)


def md5_of(text):
    m = re.search(r"^([0-9a-f]{32})\s+-$", text, re.M)
    assert m, text
    return m[1]


def test_dom0_finds_the_device(run):
    assert "type blk dom 1 base 0x0000000002000000 irq 33" in run.ok(FIND)
    assert f"domU1/vdisk target={DISK} access=rw" in run.ok(CONF)
    out = run.ok(START)
    # The discovery process and the device's own.
    assert re.search(r"^\d+ \d+$", out, re.M), out
    assert ("virtio-backend dom0less: configuration /etc/proxenos/virtio-backend.conf: "
            "1 line(s)") in out, out
    assert re.search(r"^virtio-backend dom0less: d1-2000000 \(domU1/vdisk, blk at 0x2000000, "
                     r"SPI 33\): served by process \d+, as configuration line 2 says$", out,
                     re.M), out
    assert ("virtio-blk dom1: serving /tmp/vblk.img (32768 sectors, rw) at 0x2000000, SPI 33: "
            "2 vCPU(s), 2 queue(s)") in out, out


def test_domu_held_then_reads_and_writes(run):
    out = run.output
    held = out.find("held paused until dom0 claims its 1 virtio device(s)")
    released = out.find("its virtio devices are claimed: unpaused")
    assert 0 <= held < released, out[-4000:]
    lines = domu_lines(run)
    assert "modules loaded: virtio_mmio virtio_blk" in lines, lines
    assert f"read sector 0: {KNOWN}" in lines, lines
    wrote = [m[1] for m in (re.fullmatch(rf"wrote {KIB} KiB at sector {SEEK}: md5 (\w+)", x)
                            for x in lines) if m]
    assert wrote, lines
    assert f"read back {KIB} KiB at sector {SEEK}: md5 {wrote[0]}, match" in lines, lines
    assert md5_of(run.ok(region(SEEK))) == wrote[0]


def test_two_vcpus_at_once(run):
    lines = domu_lines(run)
    for k, seek in enumerate(PAR_SEEKS, 1):
        m = [re.fullmatch(rf"parallel {k}/{PAR}: {KIB} KiB at sector {seek} on 2 CPUs: "
                          r"md5 (\w+), match", x) for x in lines]
        m = [x[1] for x in m if x]
        assert m, lines
        assert md5_of(run.ok(region(seek))) == m[0]


def test_backend_ends_with_the_guest(run):
    log = run.ok(BACKEND_ENDS)
    counts = [int(n) for n in re.findall(r"^virtio-blk dom1: queue \d: (\d+) requests, 0 failed, "
                                         r"0 malformed$", log, re.M)]
    assert len(counts) == 2 and all(n > 0 for n in counts), log
    assert "virtio-blk dom1: the guest is gone" in log, log
    assert "virtio-blk dom1: disconnected" in log, log
    assert re.search(r"^virtio-backend dom0less: d1-2000000: process \d+ ended \(status 0\)$",
                     log, re.M), log
    assert log.rstrip().endswith(
        "virtio-backend dom0less: every served device's process has ended"), log
