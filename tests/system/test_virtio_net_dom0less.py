"""Our virtio-net back end (tools/virtio-backend, --type net) in its
command-line mode, serving a dom0less domU's network card (Proxenos's
proxenos,virtio-mmio-v1 binding, device type "net", docs/virtio.md): QEMU's
tree gets a 1-vCPU Debian Linux domU with one net device at libxl's
layout (0x2000000, SPI 33), held paused until dom0 claims the window. The
toolstack dom0 loads tun, starts the back end on tap vtap0 with the domid,
base and SPI read from /proc/device-tree/chosen/proxenos-virtio, puts the
tap in a Linux bridge with 10.0.7.1/24, and listens with busybox nc. The
domU (tools/domu/virtio-net-init) gives eth0 10.0.7.2/24 and the MAC the
back end was told; they ping each other, the domU sends 4 MiB of random
bytes to dom0 and fetches 4 MiB dom0 made, each side's md5 compared with
the other's; the domU powers off and the back end, seeing the domain
gone, ends, its log counting frames both ways and no malformed ones.
"""

import re

import pytest

from conftest import BUILD, CACHE, REPO
from toolstack import BUSYBOX, KERNEL, TOOLSTACK, dom0_qemu, run_commands

BACKEND = BUILD / "tools" / "virtio-net-backend"
DOMU_MODULES = CACHE / "sysroot-arm64" / "domu-net"
DOM0_NET = CACHE / "sysroot-arm64" / "dom0-net"

KIB = 4096
MAC = "02:50:58:00:00:02"
DOMU_ARGS = f"console=ttyAMA0 quiet vn.ip=10.0.7.2 vn.peer=10.0.7.1 vn.kib={KIB} vn.wait=180"
VNET = """\t\t\tvnet {
\t\t\t\tcompatible = "proxenos,virtio-mmio-v1";
\t\t\t\tproxenos,device-type = "net";
\t\t\t\tproxenos,backend-args = "tap=vtap0";
\t\t\t};"""

FIND = ("cd /proc/device-tree/chosen/proxenos-virtio/*/ && "
        "hex() { od -An -tx1 \"$1\" | tr -d ' \\n'; } && "
        "echo \"type $(cat proxenos,device-type) dom $((0x$(hex proxenos,domid))) "
        "base 0x$(hex proxenos,base) irq $((0x$(hex proxenos,irq)))\" | tee /tmp/dev")
TUN = "insmod /lib/modules/tun.ko && ls -l /dev/net/tun && grep -c bridge /proc/modules"
MAKE = f"dd if=/dev/urandom of=/tmp/d0pat bs=1024 count={KIB} 2>/dev/null && md5sum </tmp/d0pat"
# nc quits when the other side closes; what it reads from must not end
# while it receives (the fifo on fd 3, held open by the shell itself).
LISTEN = ("mkfifo /tmp/hold && "
          "setsid sh -c 'exec 3<>/tmp/hold; echo $$ >/tmp/l1.pid; "
          "exec nc -l -p 5001 <&3 >/tmp/from_domu' </dev/null >/dev/null 2>&1 & "
          "setsid sh -c 'echo $$ >/tmp/l2.pid; exec nc -l -p 5002 </tmp/d0pat' "
          "</dev/null >/dev/null 2>&1 & sleep 1; cat /tmp/l1.pid /tmp/l2.pid")
START = ("set -- $(cat /tmp/dev); setsid virtio-net-backend --domid $4 --base $6 --irq $8 "
         f"--tap vtap0 --mac {MAC} >/tmp/vnet.log 2>&1 </dev/null & sleep 2; "
         "pidof virtio-net-backend && brctl addbr br0 && brctl addif br0 vtap0 && "
         "ip addr add 10.0.7.1/24 dev br0 && ip link set vtap0 up && ip link set br0 up && "
         "cat /tmp/vnet.log")
PING = ("i=0; until ping -c 1 -W 1 10.0.7.2 >/dev/null 2>&1; do i=$((i + 1)); "
        "[ $i -lt 240 ] || exit 1; done; ping -c 3 10.0.7.2")


def waited(pidfile):
    return (f"i=0; while kill -0 $(cat {pidfile}) 2>/dev/null; do i=$((i + 1)); "
            "[ $i -lt 240 ] || exit 1; sleep 1; done; echo ended")


GOT = waited("/tmp/l1.pid") + "; wc -c </tmp/from_domu; md5sum </tmp/from_domu"
SERVED = waited("/tmp/l2.pid")
BACKEND_ENDS = ("i=0; while pidof virtio-net-backend >/dev/null; do i=$((i + 1)); "
                "[ $i -lt 240 ] || exit 1; sleep 1; done; cat /tmp/vnet.log")

COMMANDS = [FIND, TUN, MAKE, LISTEN, START, PING, GOT, SERVED, BACKEND_ENDS]
BUDGET = 400
HARD = 1500

DOMU = r"^\(d1\) domu-vnet: (.*?)\r?$"


@pytest.fixture(scope="module")
def run(tool, tmp_path_factory):
    tun = sorted(DOM0_NET.glob("lib/modules/*/kernel/drivers/net/tun.ko"))
    for need in (KERNEL, BUSYBOX, TOOLSTACK / "usr/lib/xen-4.17/bin/xl",
                 DOMU_MODULES / "etc/proxenos/modules"):
        if not need.exists():
            pytest.fail(f"no {need}: run scripts/setup.sh")
    if not tun:
        pytest.fail(f"no tun.ko under {DOM0_NET}: run scripts/setup.sh")
    if not BACKEND.is_file():
        pytest.fail(f"no back end at {BACKEND}: run `make O={BUILD} tools`")
    work = tmp_path_factory.mktemp("virtio-net-dom0less")
    domu = work / "domu.cpio.gz"
    tool("sh", REPO / "scripts" / "mkinitramfs.sh", "--busybox", BUSYBOX,
         "--init", REPO / "tools" / "domu" / "virtio-net-init", "--tree", DOMU_MODULES, domu,
         timeout=120)
    commands = work / "commands"
    commands.write_text("".join(c + "\n" for c in COMMANDS))
    dom0 = work / "dom0.cpio.gz"
    tool("sh", REPO / "scripts" / "mkinitramfs-toolstack.sh", "--no-domu",
         "--commands", commands, "--timeout", BUDGET,
         "--add", f"{BACKEND}:/usr/bin/virtio-net-backend",
         "--add", f"{tun[0]}:/lib/modules/tun.ko", dom0, timeout=120)
    q = dom0_qemu("proxenos", dom0, "test_virtio_net_dom0less", HARD,
                  extra=["--domu", KERNEL, "--domu-args", DOMU_ARGS, "--domu-initrd", domu,
                         "--domu-mem", 128, "--domu-cpus", 1, "--domu-node", VNET])
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


def test_dom0_finds_the_device_and_serves_it(run):
    assert "type net dom 1 base 0x0000000002000000 irq 33" in run.ok(FIND)
    assert "/dev/net/tun" in run.ok(TUN)
    out = run.ok(START)
    assert re.search(r"^\d+$", out, re.M), out
    assert (f"virtio-net dom1: serving tap vtap0 (guest MAC {MAC}, MTU 1500) at 0x2000000, "
            "SPI 33: 1 vCPU(s), 2 queue(s)") in out, out


def test_domu_gets_eth0_with_our_mac(run):
    out = run.output
    held = out.find("held paused until dom0 claims its 1 virtio device(s)")
    released = out.find("its virtio devices are claimed: unpaused")
    assert 0 <= held < released, out[-4000:]
    lines = domu_lines(run)
    assert "modules loaded: virtio_mmio failover net_failover virtio_net" in lines, lines
    assert any(re.fullmatch(rf"eth0 after \d+ s: mac {MAC}", x) for x in lines), lines
    assert "eth0 up: up, carrier 1" in lines, lines


def test_ping_both_ways(run):
    lines = domu_lines(run)
    assert "ping 10.0.7.1: 3 packets transmitted, 3 packets received, 0% packet loss" in lines, \
        lines
    assert "3 packets transmitted, 3 packets received, 0% packet loss" in run.ok(PING)


def test_domu_to_dom0_bytes(run):
    lines = domu_lines(run)
    sent = [m[1] for m in (re.fullmatch(rf"sent {KIB} KiB to 10.0.7.1:5001: md5 (\w+)", x)
                           for x in lines) if m]
    assert sent, lines
    got = run.ok(GOT)
    assert re.search(rf"^\s*{KIB * 1024}\s*$", got, re.M), got
    assert md5_of(got) == sent[0]


def test_dom0_to_domu_bytes(run):
    made = md5_of(run.ok(MAKE))
    run.ok(SERVED)
    assert f"received {KIB * 1024} bytes from 10.0.7.1:5002: md5 {made}" in domu_lines(run)


def test_backend_ends_with_the_guest(run):
    log = run.ok(BACKEND_ENDS)
    m = re.search(r"^virtio-net dom1: net vtap0: tx (\d+) frames, 0 malformed, 0 lost; "
                  r"rx (\d+) frames, \d+ dropped \(no buffer\), 0 dropped \(buffer too small\), "
                  r"0 refused", log, re.M)
    assert m, log
    # 4 MiB each way in frames of at most 1514 bytes.
    assert int(m[1]) > KIB * 1024 // 1514 and int(m[2]) > KIB * 1024 // 1514, log
    assert re.search(r"^virtio-net dom1: queue 1: \d+ requests, 0 failed, 0 malformed$", log,
                     re.M), log
    assert "virtio-net dom1: the guest is gone" in log, log
    assert log.rstrip().endswith("virtio-net dom1: disconnected"), log
