"""The toolstack dom0 (scripts/mkinitramfs-toolstack.sh, tools/dom0/init)
as the system tests boot it: the machine and dom0's command line, the QEMU
run on Proxenos or on Xen 4.17, and the reading of a boot whose /init ran a
list of commands (the start-up lines, each command's output and status).
Shared by test_toolstack.py, test_dom0less_pv.py and test_libvirt.py."""

import os
import re

import pytest

from conftest import BUILD, CACHE, IMAGE, LOGDIR, ConsoleTimeout, Qemu

KERNEL = CACHE / "linux" / "Image"
BUSYBOX = CACHE / "busybox" / "busybox"
TOOLSTACK = CACHE / "toolstack" / "root"
XEN = CACHE / "xen" / "xen-4.17-arm64"

# Xen 4.17's dom0 command shape on a 2-CPU, 2 GiB machine.
SMP = 2
MEM_MIB = 2048
DOM0_MEM_MIB = 512
APPEND = f"dom0_mem={DOM0_MEM_MIB}M console=dtuart dtuart=/pl011@9000000"
BOOTARGS = "console=hvc0 earlycon=xen"

XEN_ONLY = pytest.mark.skipif(os.environ.get("PROXENOS_XEN_REFERENCE") != "1",
                              reason="the Xen 4.17 reference run needs PROXENOS_XEN_REFERENCE=1")
ON_PROXENOS = pytest.param("proxenos", id="proxenos")
ON_XEN = pytest.param("xen", id="xen-4.17", marks=XEN_ONLY)


def dom0_qemu(which, initramfs, test, hard_timeout, extra=(), image=None):
    """QEMU (not started) booting `which` ("proxenos" or "xen") with the
    toolstack dom0 of initramfs and the extra arguments of scripts/qemu.sh;
    its log is LOGDIR/<test>-<which>.log. image: another Xen than Debian's
    (the full-config one, for the IOREQ server)."""
    image = image or (XEN if which == "xen" else IMAGE)
    if not image.is_file():
        pytest.fail(f"no hypervisor image at {image}: "
                    + ("run scripts/setup.sh" if which == "xen"
                       else f"run `make` (PROXENOS_BUILD={BUILD})"))
    return Qemu(["--image", image, "--smp", SMP, "--mem", f"{MEM_MIB}M", "--append", APPEND,
                 "--guest-kernel", KERNEL, "--guest-args", BOOTARGS, "--guest-initrd", initramfs,
                 *extra], LOGDIR / f"{test}-{which}.log", hard_timeout=hard_timeout)

STEP = r"^dom0-toolstack: "
READY = STEP + r"ready(?:, with failures:(?P<failed>.*))?$"
DONE = STEP + r"commands done$"


class Run:
    """One boot's console, cut into the start-up lines and the commands."""

    def __init__(self, which, output, complete):
        self.which = which
        self.output = output
        self.complete = complete
        self.prefix = "XEN" if which == "xen" else "PXN"
        self.results = []       # (command, output, status or None)
        starts = list(re.finditer(STEP + r"\$ (?P<cmd>.*)\n", output, re.M))
        for i, m in enumerate(starts):
            end = starts[i + 1].start() if i + 1 < len(starts) else len(output)
            body = output[m.end():end]
            # Not always at a line's start: a console left at a prompt.
            st = re.search(r"dom0-toolstack: status (\d+)$", body, re.M)
            text = body[:st.start()] if st else body
            self.results.append((m["cmd"], text, int(st[1]) if st else None))

    def steps(self):
        """The start-up lines, without their "dom0-toolstack: " prefix."""
        return re.findall(STEP + r"(.*)$", self.output.split(STEP + "$ ")[0], re.M)

    def result(self, command, nth=0):
        """(output, status) of the nth run of command; fails if it never ran."""
        found = [r for r in self.results if r[0] == command]
        assert len(found) > nth, (f"`{command}` did not run (boot complete: {self.complete});"
                                  f" ran: {[r[0] for r in self.results]}")
        return found[nth][1], found[nth][2]

    def ok(self, command, nth=0):
        """The output of command, which must have exited with status 0."""
        out, status = self.result(command, nth)
        assert status == 0, f"`{command}` exited with status {status}:\n{out}"
        return out


def list_rows(text):
    """(name, id, memory, vcpus, state) of each row of xl list."""
    return re.findall(r"^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+([-rbpscd]{6})\s+[\d.]+$", text, re.M)


def run_commands(q, which, budget):
    """Start q and read its boot to the end of dom0's commands (budget s for
    dom0 to be ready, three times that for the commands) and QEMU's exit:
    the Run. After a timeout the Run is incomplete (the tests of what did
    happen still say what they saw) and the log has the hypervisor's state.
    The caller closes q."""
    q.start()
    complete = True
    try:
        q.wait_for(READY, timeout=budget)
        q.wait_for(DONE, timeout=3 * budget)
        q.expect_exit(timeout=60)
    except ConsoleTimeout:
        complete = False
        q.dump_state()
    return Run(which, q.output, complete)
