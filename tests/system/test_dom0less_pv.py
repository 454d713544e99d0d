"""dom0less PV (issue 12, point 3): a dom0less domU with xen,enhanced =
"enabled" (Debian's arm64 kernel and a busybox initramfs, tools/domu/pv-init)
boots beside a Linux dom0 carrying Debian's xen-utils-4.17. In dom0,
oxenstored and xenconsoled start (tools/dom0/init), init-dom0less introduces
the domU to xenstore, the domU's Linux connects, and `xl block-attach` (a
file-backed ext2 image through a loop device and blkback) and `xl
network-attach` (netback, bridged to dom0's xenbr0) give it a disk and a
NIC whose front ends reach Connected; the domU reads a file from the disk,
writes a sector dom0 then reads back, and pings dom0. One boot per
hypervisor; each test reads its part of that boot's console.

What is asserted is what Xen 4.17 itself does (PROXENOS_XEN_REFERENCE=1 runs
the same boot on Debian's Xen 4.17). The domU stays up until dom0 has pinged
it and read its sector back; then it powers off, and, init-dom0less having
handed it to the toolstack, stays shut down for the control domain as on Xen.
"""

import re
import secrets

import pytest

from conftest import CACHE, REPO
from toolstack import (BUSYBOX, KERNEL, ON_PROXENOS, ON_XEN, TOOLSTACK, dom0_qemu, list_rows,
                       run_commands)

DOMU_MODULES = CACHE / "toolstack" / "domu"

DOMU_MEM_MIB = 256

# The disk: an ext2 file system of 4 MiB holding FILE, in an 8 MiB image
# whose sector SEEK (6 MiB in) the domU overwrites with the run's TOKEN.
DISK = "/var/lib/xen/images/dom0less-pv/disk.img"
FILE = "hello.txt"
FILE_TEXT = "hello from a file on dom0's disk image"
SEEK = 12288
TOKEN = "written-by-the-domU-" + secrets.token_hex(4)
DOM0_IP, DOMU_IP = "10.0.0.1", "10.0.0.2"
# Kernel messages stay off the shared UART (quiet): the domU's own lines
# ("domu-pv: ...") are what the tests read.
DOMU_ARGS = (f"console=ttyAMA0 quiet pv.file={FILE} pv.token={TOKEN} pv.seek={SEEK} "
             f"pv.ip={DOMU_IP}/24 pv.peer={DOM0_IP} pv.wait=600 pv.echoes=3")

INIT_DOM0LESS = "/usr/lib/xen-4.17/bin/init-dom0less"
BRIDGE = (f"brctl addbr xenbr0 && ip addr add {DOM0_IP}/24 dev xenbr0 && "
          "ip link set xenbr0 up && ip addr show xenbr0")
BLOCK_ATTACH = f"xl block-attach 1 'format=raw, vdev=xvda, access=rw, target={DISK}'"
NETWORK_ATTACH = "xl network-attach 1 bridge=xenbr0"
# Front ends (the domU's) and back ends (dom0's) in xenstore; 4 = Connected.
PATHS = ["/local/domain/1/device/vbd/51712", "/local/domain/0/backend/vbd/1/51712",
         "/local/domain/1/device/vif/0", "/local/domain/0/backend/vif/1/0"]
# Waits end early when what they wait on cannot come: no back end in
# xenstore (the attach failed), no answer from the domU (it will not stop).
CONNECTED = ("i=0; until [ \"$(xenstore-read /local/domain/1/device/vbd/51712/state)\" = 4 ] && "
             "[ \"$(xenstore-read /local/domain/1/device/vif/0/state)\" = 4 ]; "
             "do xenstore-exists /local/domain/0/backend/vbd/1/51712 && "
             "xenstore-exists /local/domain/0/backend/vif/1/0 || break; "
             "i=$((i + 1)); [ $i -lt 180 ] || break; sleep 1; done 2>/dev/null; "
             f"for p in {' '.join(PATHS)}; do "
             "echo \"$p/state = $(xenstore-read $p/state 2>&1)\"; done; "
             # Not connected: the hypervisor's view of domains, ports and
             # CPUs goes to the log (the same keys on Xen).
             "[ \"$(xenstore-read /local/domain/1/device/vbd/51712/state)\" = 4 ] || "
             "xl debug-keys qer")
LISTS = "xl block-list 1 && xl network-list 1"
# dom0 pings the domU (which waits for that before it powers off).
PING = ("xenstore-exists /local/domain/0/backend/vif/1/0 || exit 1; "
        f"i=0; until ping -c 3 -W 3 {DOMU_IP} >/tmp/ping.out 2>&1; "
        "do i=$((i + 1)); [ $i -lt 20 ] || break; done; cat /tmp/ping.out; "
        "grep -q ' 3 packets received' /tmp/ping.out && touch /tmp/pinged")
# The domU powers off once dom0 pinged it: wait for xl list to show it
# shut down (or gone).
SHUT_DOWN = ("[ -e /tmp/pinged ] && i=0 && until ! xl domname 1 >/dev/null 2>&1 || "
             "xl list 1 | awk 'NR == 2 { print $5 }' | grep -q s; "
             "do i=$((i + 1)); [ $i -lt 120 ] || break; sleep 1; done; xl list")
# The domU's sector in dom0's image file, once it is there (while the domU
# still runs: it waits for dom0's pings).
SECTOR = f"dd if={DISK} bs=512 skip={SEEK} count=1 2>/dev/null | head -n 1"
READ_BACK = (f"i=0; until {SECTOR} | grep -q '^{TOKEN}$'; do i=$((i + 1)); "
             f"[ $i -lt 120 ] || break; sleep 1; done; {SECTOR}")
COMMANDS = [
    "xl list",
    INIT_DOM0LESS,
    "xl list",
    BRIDGE,
    BLOCK_ATTACH,
    NETWORK_ATTACH,
    CONNECTED,
    LISTS,
    READ_BACK,
    PING,
    SHUT_DOWN,
    "cat /var/log/xen/xen-hotplug.log",
]
STEP_TIMEOUT = 300

# A domU's console line: "(XEN) DOM1: " or "(d1) " before it on Xen's UART
# (see test_linux_dom0.py), "(d1) " on Proxenos.
DOMU = r"^(?:\(XEN\) DOM1: |\(d1\) )(?:\(XEN\) )?domu-pv: "

# Under TCG on a loaded 2-core host dom0 reaches its tools in 1 to 3
# minutes; the domU's work after the attaches takes well under one more.
BUDGET = 300
HARD = 1200

BOTH = [ON_PROXENOS, ON_XEN]


@pytest.fixture(scope="module")
def images(tool, tmp_path_factory):
    """(dom0 initramfs with the disk image, domU initramfs)."""
    for need in (KERNEL, BUSYBOX, TOOLSTACK / "usr/lib/xen-4.17/bin/init-dom0less",
                 TOOLSTACK / "bin/bash", DOMU_MODULES / "etc/proxenos/modules"):
        if not need.exists():
            pytest.fail(f"no {need}: run scripts/setup.sh")
    work = tmp_path_factory.mktemp("dom0less-pv")
    content = work / "content"
    content.mkdir()
    (content / FILE).write_text(FILE_TEXT + "\n")
    disk = work / "disk.img"
    tool("mke2fs", "-q", "-F", "-t", "ext2", "-d", content, disk, "4M", timeout=60)
    with open(disk, "r+b") as f:
        f.truncate(8 << 20)
    commands = work / "commands"
    commands.write_text("".join(c + "\n" for c in COMMANDS))
    dom0 = work / "dom0.cpio.gz"
    tool("sh", REPO / "scripts" / "mkinitramfs-toolstack.sh", "--no-domu",
         "--commands", commands, "--timeout", STEP_TIMEOUT, "--add", f"{disk}:{DISK}",
         dom0, timeout=120)
    domu = work / "domu.cpio.gz"
    tool("sh", REPO / "scripts" / "mkinitramfs.sh", "--busybox", BUSYBOX,
         "--init", REPO / "tools" / "domu" / "pv-init", "--tree", DOMU_MODULES, domu,
         timeout=120)
    return dom0, domu


@pytest.fixture(scope="module")
def run(request, images):
    """The boot of request.param ("proxenos" or "xen"), once per module."""
    which = request.param
    dom0, domu = images
    q = dom0_qemu(which, dom0, "test_dom0less_pv", HARD,
                  ["--domu", KERNEL, "--domu-args", DOMU_ARGS, "--domu-initrd", domu,
                   "--domu-mem", DOMU_MEM_MIB, "--domu-cpus", 1, "--domu-enhanced", "enabled"])
    try:
        yield run_commands(q, which, BUDGET)
    finally:
        q.close()


def domu_lines(run):
    """The domU's "domu-pv: " lines, without their prefixes."""
    return [m[1] for m in re.finditer(DOMU + r"(.*)$", run.output, re.M)]


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_tools_start_beside_the_domu(run):
    """dom0's tools start as on a plain dom0 (oxenstored, xen-init-dom0,
    xenconsoled) while the domU boots and waits for xenstore."""
    steps = run.steps()
    assert "ready" in steps, steps
    assert "init running (hypervisor: xen)" in domu_lines(run), run.output[-3000:]


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_init_dom0less_introduces_the_domu(run):
    """init-dom0less gives the domU its xenstore page and introduces it:
    xl list then shows it (domain 1, its 256 MiB, 1 vCPU) beside
    Domain-0."""
    run.ok(INIT_DOM0LESS)
    rows = list_rows(run.ok("xl list", nth=1))
    assert [r[0] for r in rows][:1] == ["Domain-0"], rows
    domu = [r for r in rows if r[1] == "1"]
    assert len(domu) == 1, rows
    name, _, mem, vcpus, _ = domu[0]
    assert name == "dom0less-1", rows
    assert (mem, vcpus) == (str(DOMU_MEM_MIB), "1"), rows


def states(run):
    out = run.ok(CONNECTED)
    return dict(re.findall(r"^(\S+)/state = (\S*)$", out, re.M)), out


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_block_attach_connects(run):
    """xl block-attach of a file in dom0: the block hotplug script (bash)
    sets up a loop device, blkback serves it, and the domU's blkfront
    reaches Connected (4), as does the back end."""
    run.ok(BLOCK_ATTACH)
    found, out = states(run)
    assert found.get(PATHS[0]) == "4" and found.get(PATHS[1]) == "4", out
    lists = run.ok(LISTS)
    # Vdev, back-end domain, front-end domain, state, ..., back-end path
    assert re.search(r"^51712\s+0\s+1\s+4\s.*\s/local/domain/0/backend/vbd/1/51712\s*$",
                     lists, re.M), lists


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_network_attach_connects(run):
    """xl network-attach to dom0's bridge: vif-bridge (bash) adds the
    vif to xenbr0, and the domU's netfront reaches Connected (4)."""
    run.ok(BRIDGE)
    run.ok(NETWORK_ATTACH)
    found, out = states(run)
    assert found.get(PATHS[2]) == "4" and found.get(PATHS[3]) == "4", out
    lists = run.ok(LISTS)
    # Index, back-end domain, MAC, handle (the index), state, ..., back-end path
    assert re.search(r"^0\s+0\s+\S+\s+0\s+4\s.*\s/local/domain/0/backend/vif/1/0\s*$",
                     lists, re.M), lists


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_domu_reads_a_file_from_the_disk(run):
    """The domU sees xvda (8 MiB), mounts the ext2 file system on it and
    reads the file the test put there."""
    lines = domu_lines(run)
    assert f"xvda: {8 << 11} sectors" in lines, lines
    assert f"read {FILE}: {FILE_TEXT}" in lines, lines


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_domu_writes_to_the_disk(run):
    """The sector the domU wrote through blkfront (and synced) is in dom0's
    image file behind the loop device."""
    assert f"wrote the token at sector {SEEK}" in domu_lines(run)
    assert run.ok(READ_BACK).strip() == TOKEN


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_powered_off_domu_stays_shut_down(run):
    """When the domU powers off, Xen 4.17 keeps it, shut down ("s"), for
    the control domain to destroy: xl list still shows it, and dom0 (whose
    back ends still map the domU's rings) goes on to the end."""
    assert "done" in domu_lines(run), domu_lines(run)
    down = run.ok(SHUT_DOWN)
    row = [r for r in list_rows(down) if r[1] == "1"]
    assert row and "s" in row[0][4], down
    assert run.complete, "dom0's commands did not all run"


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_domu_pings_dom0(run):
    """The domU's eth0 (netfront) reaches dom0's bridge: every ping of a
    round is answered."""
    lines = domu_lines(run)
    pings = [line for line in lines if line.startswith(f"ping {DOM0_IP}: ")]
    assert pings and re.match(rf"ping {re.escape(DOM0_IP)}: 3 of 3 answered", pings[0]), lines


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_dom0_pings_the_domu(run):
    """dom0 reaches the domU through its bridge and netback: a round of
    three pings is answered, and the domU counted the echo requests."""
    out = run.ok(PING)
    assert re.search(r"^3 packets transmitted, 3 packets received", out, re.M), out
    counts = [int(m[1]) for m in re.finditer(r"^echo requests received: (\d+)$",
                                             "\n".join(domu_lines(run)), re.M)]
    assert counts and counts[0] >= 3, domu_lines(run)
