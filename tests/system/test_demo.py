"""What `make run` boots, run through `make run` itself: Debian's Linux as
dom0 with a busybox shell on hvc0 and a busybox Linux dom0less domU with a
shell on its vpl011. Both shells come up, console input starts with dom0
(as Xen 4.17 hands it over at the end of boot), Ctrl-a three times moves it
to the domU and then to the hypervisor's debug keys, and a command typed
into each shell runs there.

`make run` is started with `RUN_BUILD= -o setup`: the image under test is
the one already built in $PROXENOS_BUILD (make would otherwise rebuild it
from a tree other engineers may be editing) and nothing is installed. It runs
under `timeout`, which signals its whole process group (make, the shell and
QEMU) when the harness stops it or the time is up.
"""

import os
import shutil
import time

import pytest

from conftest import BUILD, CACHE, IMAGE, REPO, scaled

CTRL_A_X3 = b"\x01\x01\x01"

# Under TCG both Linux kernels boot at once on the host's cores, and dom0
# starts Debian's Xen tools before its shell; a loaded 2-core host gets the
# shells in ~90 to 150 s. Each wait may take BUDGET s, the whole run HARD s
# (scaled by PROXENOS_TIMEOUT_SCALE).
BUDGET = 300
HARD = 480

SHELL = r"shell on \S+; exit powers the domain off$"


def test_make_run(qemu):
    if not IMAGE.is_file():
        pytest.fail(f"no hypervisor image at {IMAGE}: run `make`")
    for need in (CACHE / "linux" / "Image", CACHE / "busybox" / "busybox"):
        if not need.is_file():
            pytest.fail(f"no cached {need}: run scripts/setup.sh")
    make = shutil.which("make")
    timeout = shutil.which("timeout")
    assert make and timeout, "make and timeout (coreutils) are needed"
    limit = int(scaled(HARD))
    cmd = [timeout, "-s", "KILL", str(limit), make, "-s", "--no-print-directory",
           "-C", REPO, "-o", "setup", "RUN_BUILD=", f"O={BUILD}", "run"]
    # The harness's own watchdog only backs timeout up.
    q = qemu(cmd=cmd, hard_timeout=HARD + 30)

    q.wait_for(r"^Proxenos demo: dom0 \(Linux, hvc0\) and domU1 \(Linux, vpl011\); "
               r"Ctrl-a three times switches input", timeout=60)
    q.wait_for(r"^\(PXN\) Boot complete: 4 CPUs online", timeout=60)
    # Before "Boot complete" in the console, but always after the domains
    # were built: look for it in everything printed so far.
    assert ("(PXN) *** Serial input to dom0 (type 'CTRL-a' three times to switch input)"
            in q.output.split("\n")), "console input was not handed to dom0 at boot"

    # The two domains boot side by side: one may reach its shell before the
    # other reaches init, so all four lines are one wait.
    q.wait_for_all([r"^\(d1\) Proxenos demo: domu busybox init running$",
                    r"^Proxenos demo: dom0 busybox init running$",
                    r"^\(d1\) " + SHELL, r"^" + SHELL], timeout=BUDGET)

    # dom0 has the input: its shell runs what is typed (hvc0, no prefix).
    q.wait_for(r"^/ # ", timeout=60)
    # Let the shell settle on its terminal first, as a person would.
    time.sleep(3)
    q.type_line(b"echo dom0-says-$((6*7))\r", r"^dom0-says-42$")

    q.send(CTRL_A_X3)
    q.wait_for(r"^\(PXN\) \*\*\* Serial input to domU1 \(type 'CTRL-a' three times", timeout=20)
    q.send(b"echo domu-says-$((6*7))\r")
    q.wait_for(r"^\(d1\) domu-says-42$", timeout=60)

    q.send(CTRL_A_X3)
    q.wait_for(r"^\(PXN\) \*\*\* Serial input to Proxenos \(type 'CTRL-a' three times",
               timeout=20)
    q.send(b"q")
    q.wait_for_all([r"^\(PXN\) Domain 0 \(dom0\): ", r"^\(PXN\) Domain 1 \(domU1\): "],
                   timeout=20)

    # And round again to dom0.
    q.send(CTRL_A_X3)
    q.wait_for(r"^\(PXN\) \*\*\* Serial input to dom0 ", timeout=20)
    q.type_line(b"echo back-in-dom0\r", r"^back-in-dom0$")
    # The demo's dom0 is a control domain running Debian's xl.
    assert "dom0-toolstack: ready" in q.output.split("\n"), "dom0's Xen tools did not start"
    q.type_line(b"xl list\r", r"^Domain-0 +0 +512 +\d+ +r-----")

    # End it: timeout passes the signal to make, the shell and QEMU.
    group = q.proc.pid
    q.close()
    assert not q.running()
    deadline = time.monotonic() + 10
    while _group_alive(group) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _group_alive(group), "QEMU outlived `make run`"


def _group_alive(pgid):
    """Whether a process of the group still runs (zombies do not count)."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False
