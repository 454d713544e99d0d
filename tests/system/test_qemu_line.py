"""The QEMU lines the project builds name the devices they want and nothing
more: no default NIC, whose option ROM (efi-virtio.rom, from ipxe-qemu) a
QEMU installed without its recommended packages lacks. Checked two ways:
QEMU itself, asked over QMP while Proxenos runs on scripts/qemu.sh's line,
lists no network device; and every QEMU command the launchers run (both of
scripts/qemu.sh's for a dom0less boot, both of guests/run-xen.sh's) carries
`-nic none`, recorded by a QEMU stand-in that then runs the real one."""

import json
import os
import shutil
import socket
import subprocess
import time

import pxn
from conftest import BUILD, QEMU_SH, REPO, scaled

PCI_CLASS_NETWORK = 0x02    # PCI base class of every network controller


class Qmp:
    """Just enough of QMP to ask questions: one command, one answer."""

    def __init__(self, path, timeout=10):
        deadline = time.monotonic() + scaled(timeout)
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.settimeout(scaled(timeout))
                self.sock.connect(str(path))
                break
            except OSError:
                self.sock.close()
                assert time.monotonic() < deadline, f"no QMP socket at {path}"
                time.sleep(0.1)
        self.f = self.sock.makefile("rw")
        assert "QMP" in json.loads(self.f.readline())
        self.call("qmp_capabilities")

    def call(self, command, **arguments):
        msg = {"execute": command}
        if arguments:
            msg["arguments"] = arguments
        self.f.write(json.dumps(msg) + "\n")
        self.f.flush()
        while True:
            reply = json.loads(self.f.readline())
            if "error" in reply:
                raise AssertionError(f"QMP {command}: {reply['error']}")
            if "return" in reply:
                return reply["return"]

    def close(self):
        self.sock.close()


def test_no_network_device_on_the_project_line(hypervisor, tmp_path):
    sock = tmp_path / "qmp.sock"
    q = hypervisor(smp=1, mem="512M", qemu_args=["-qmp", f"unix:{sock},server=on,wait=off"])
    q.wait_for(pxn.BOOT_COMPLETE, timeout=30)
    qmp = Qmp(sock)
    try:
        devices = [d for bus in qmp.call("query-pci") for d in bus["devices"]]
        network = qmp.call("human-monitor-command", **{"command-line": "info network"})
    finally:
        qmp.close()
    # The host bridge is there (so the question reached the right bus) and
    # nothing of the network class.
    assert devices, "QEMU listed no PCI device at all, not even the host bridge"
    assert [d["class_info"] for d in devices
            if d["class_info"]["class"] >> 8 == PCI_CLASS_NETWORK] == []
    assert network.strip() == "", f"QEMU has network back ends: {network!r}"


def recording_qemu(tmp_path):
    """A qemu-system-aarch64 stand-in that appends its arguments (one per
    line, a blank line after each call) to calls.txt and runs the real one."""
    real = shutil.which("qemu-system-aarch64")
    assert real, "qemu-system-aarch64 is not installed (scripts/setup.sh)"
    bindir = tmp_path / "bin"
    bindir.mkdir()
    calls = tmp_path / "calls.txt"
    stand_in = bindir / "qemu-system-aarch64"
    stand_in.write_text("#!/bin/sh\n"
                        f"printf '%s\\n' \"$@\" >>'{calls}'\n"
                        f"echo >>'{calls}'\n"
                        f"exec '{real}' \"$@\"\n")
    stand_in.chmod(0o755)
    return stand_in, calls


def recorded(calls):
    return [c.split("\n") for c in calls.read_text().strip("\n").split("\n\n") if c]


def says_nic_none(argv):
    return any(a == "-nic" and b == "none" for a, b in zip(argv, argv[1:]))


def run_with(stand_in, cmd, seconds):
    """Run cmd with the stand-in as QEMU (qemu.sh takes $QEMU, run-xen.sh
    the first qemu-system-aarch64 on PATH), stopped after `seconds`."""
    env = dict(os.environ, QEMU=str(stand_in), PROXENOS_BUILD=str(BUILD),
               PATH=f"{stand_in.parent}:{os.environ.get('PATH', '/usr/bin:/bin')}")
    return subprocess.run(["timeout", str(int(scaled(seconds))), *map(str, cmd)], env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=scaled(seconds + 30))


def test_qemu_sh_runs_every_qemu_with_nic_none(tmp_path):
    stand_in, calls = recording_qemu(tmp_path)
    guest = BUILD / "guests" / "hello.bin"
    # A dom0less boot is two calls: QEMU dumps its tree, then boots on it,
    # here held at reset (-S) until timeout stops it.
    p = run_with(stand_in, ["sh", QEMU_SH, "--pipe", "--smp", 1, "--mem", "512M",
                            "--domu", guest, "--", "-S"], 10)
    assert p.returncode == 124, f"qemu.sh failed ({p.returncode}): {p.stdout}{p.stderr}"
    runs = recorded(calls)
    assert len(runs) == 2, runs
    assert any("dumpdtb=" in a for a in runs[0]) and not any("dumpdtb=" in a for a in runs[1])
    for argv in runs:
        assert says_nic_none(argv), argv


def test_run_xen_sh_runs_every_qemu_with_nic_none(tmp_path):
    stand_in, calls = recording_qemu(tmp_path)
    # A stand-in Xen: one instruction, a branch to itself. run-xen.sh gives
    # up after -t seconds without the guest's "GUEST DONE", as it should.
    xen = tmp_path / "xen"
    xen.write_bytes(bytes.fromhex("00000014"))
    p = run_with(stand_in, ["sh", REPO / "guests" / "run-xen.sh", "-x", xen, "-t", 2,
                            "-g", BUILD / "guests" / "hello.bin"], 20)
    assert p.returncode == 1, f"run-xen.sh: {p.returncode}: {p.stdout}{p.stderr}"
    runs = recorded(calls)
    assert len(runs) == 2, runs
    for argv in runs:
        assert says_nic_none(argv), argv
