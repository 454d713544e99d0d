"""Debian 12's libvirt, unmodified, over Xen 4.17's toolstack (issue 12
point 7): libvirtd with its libxl driver (libvirt-daemon-driver-xen) in the
toolstack dom0, driven by virsh. The dom0 image is
scripts/mkinitramfs-toolstack.sh --libvirt (setup.sh --libvirt fetches
libvirt into its own staging root, which this test asks for): /init starts
the Xen tools, then libvirtd (no systemd: daemonized, unix sockets only,
logs in /var/log/libvirt), then runs the virsh commands below and powers
off. One boot per hypervisor (-smp 2, 2 GiB, Xen 4.17's dom0 command
shape); each test reads its part of that boot's console.

What is asserted is what Xen 4.17 itself answers (PROXENOS_XEN_REFERENCE=1
runs the same boot on Debian's Xen 4.17): virsh lists Domain-0, defines the
example domain (tools/examples/debian-domu.xml, the libvirt form of
tools/examples/debian-domu.cfg), starts it (its Linux comes up: running in
virsh and xl, and its shell answers on the console virsh attaches), destroys
it, and lists it shut off.
"""

import re

import pytest

from conftest import REPO, ConsoleTimeout
from toolstack import (BUSYBOX, DONE, KERNEL, MEM_MIB, ON_XEN, READY, STEP, TOOLSTACK, Run,
                       dom0_qemu, list_rows)

VIRSH = "virsh -c xen:///"
DOMU = "debian-domu"
XML = "/etc/libvirt/debian-domu.xml"

LIST = f"{VIRSH} list --all"
DEFINE = f"{VIRSH} define {XML}"
START = f"{VIRSH} start {DOMU}"
# Up: running for libvirt, and its Linux has its xenbus watches up (it then
# writes control/feature-poweroff), so its console has a shell on it.
WAIT_UP = (f"i=0; until [ \"$({VIRSH} domstate {DOMU} 2>/dev/null | head -n 1)\" = running ] && "
           f"d=$({VIRSH} domid {DOMU} 2>/dev/null | head -n 1) && "
           "xenstore-read /local/domain/$d/control/feature-poweroff >/dev/null 2>&1; "
           "do i=$((i + 1)); [ $i -lt 120 ] || exit 1; sleep 1; done; "
           f"echo {DOMU} is up as $d; {VIRSH} domstate {DOMU}; xl list")
CONSOLE = f"{VIRSH} console {DOMU}"
DESTROY = f"{VIRSH} destroy {DOMU}"
AFTER = f"{LIST}; xl list"
LOGS = ("tail -n 30 /var/log/libvirt/libvirtd.log; "
        f"tail -n 30 /var/log/libvirt/libxl/{DOMU}.log; true")
COMMANDS = [
    f"{VIRSH} version",
    LIST,
    f"{VIRSH} capabilities",
    DEFINE,
    LIST,
    START,
    WAIT_UP,
    CONSOLE,
    DESTROY,
    AFTER,
    LOGS,
]
STEP_TIMEOUT = 180

# Under TCG on a loaded 2-core host: dom0 at /init after 20 to 60 s (a
# larger initramfs than test_toolstack's), libvirtd up some 5 s later, the
# domU's Linux 15 to 40 s more. Each wait may take BUDGET s, the whole
# run HARD s (scaled by PROXENOS_TIMEOUT_SCALE).
BUDGET = 300
HARD = 1200

PROXENOS = pytest.param("proxenos", id="proxenos")
BOTH = [PROXENOS, ON_XEN]


@pytest.fixture(scope="session")
def libvirt_initramfs(tool, tmp_path_factory):
    for need in (KERNEL, BUSYBOX, TOOLSTACK / "usr/lib/xen-4.17/bin/xl"):
        if not need.exists():
            pytest.fail(f"no {need}: run scripts/setup.sh")
    # Fetched only for this test (quiet and quick once cached).
    tool("sh", REPO / "scripts" / "setup.sh", "--libvirt", timeout=900)
    work = tmp_path_factory.mktemp("libvirt")
    commands = work / "commands"
    commands.write_text("".join(c + "\n" for c in COMMANDS))
    out = work / "dom0-libvirt.cpio.gz"
    tool("sh", REPO / "scripts" / "mkinitramfs-toolstack.sh", "--libvirt", "--commands", commands,
         "--timeout", STEP_TIMEOUT, out, timeout=300)
    return out


def use_console(q):
    """Type into the domU's shell on the console virsh attached, then
    detach with Ctrl-] (virsh's escape, as xl's)."""
    try:
        q.type_line(b"\r", r"/ # ", timeout=20, tries=8)
        q.type_line(b"echo virsh-says-$((6*7))\r", r"^virsh-says-42\r?$")
    except ConsoleTimeout:
        pass            # test_virsh_console says what was missing
    q.send(b"\x1d")


@pytest.fixture(scope="module")
def run(request, libvirt_initramfs):
    """The boot of request.param ("proxenos" or "xen"), once per module."""
    which = request.param
    q = dom0_qemu(which, libvirt_initramfs, "test_libvirt", HARD)
    q.start()
    try:
        q.wait_for(READY, timeout=BUDGET)
        complete = True
        try:
            q.wait_for(STEP + re.escape("$ " + CONSOLE) + "$", timeout=2 * BUDGET)
            use_console(q)
            q.wait_for(DONE, timeout=BUDGET)
            q.expect_exit(timeout=60)
        except ConsoleTimeout:
            complete = False
        yield Run(which, q.output, complete)
    finally:
        q.close()


def logs(run):
    """libvirtd's and the domain's log (printed by the run), for messages."""
    try:
        return "\n--- logs ---\n" + run.result(LOGS)[0]
    except AssertionError:
        return ""


def virsh_rows(text):
    """(id, name, state) of each row of virsh list --all."""
    return re.findall(r"^\s*(\d+|-)\s+(\S+)\s+(running|shut off|paused|idle|in shutdown|crashed"
                      r"|pmsuspended|blocked)\s*$", text, re.M)


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_libvirtd_starts(run):
    """libvirtd starts after the Xen tools and its libxl driver answers
    virsh on xen:/// (virsh version names Xen 4.17)."""
    assert "libvirtd running (pid " in "\n".join(run.steps()), run.steps()
    assert [s for s in run.steps() if s.startswith("ready")] == ["ready"], run.steps()
    out = run.ok(f"{VIRSH} version")
    assert re.search(r"^Running hypervisor: Xen 4\.17\.\d+$", out, re.M), out
    assert re.search(r"^Using API: Xen 9\.0\.0$", out, re.M), out


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_virsh_list_domain0(run):
    """virsh list --all: Domain-0, id 0, running, alone."""
    out = run.ok(LIST)
    assert virsh_rows(out) == [("0", "Domain-0", "running")], out


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_virsh_capabilities(run):
    """virsh capabilities: the host's two CPUs and 2 GiB, and a 'xen'
    guest (xenpv machine) for aarch64, what the example domain asks for."""
    out = run.ok(f"{VIRSH} capabilities")
    assert "<arch>aarch64</arch>" in out, out
    assert f"<memory unit='KiB'>{MEM_MIB * 1024}</memory>" in out, out
    assert re.search(r"<cpus num='2'>", out), out
    assert re.search(r"<os_type>xen</os_type>\s*<arch name='aarch64'>.*?<machine>xenpv</machine>",
                     out, re.S), out


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_virsh_define(run):
    """virsh define of the example: it is listed, shut off."""
    out = run.ok(DEFINE)
    assert f"Domain '{DOMU}' defined from {XML}" in out, out + logs(run)
    listed = run.ok(LIST, nth=1)
    assert virsh_rows(listed) == [("0", "Domain-0", "running"), ("-", DOMU, "shut off")], listed


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_virsh_start(run):
    """virsh start: the domU's Linux comes up (virsh domstate running, its
    xenbus watches up), and xl list shows it with 128 MiB and 1 vCPU."""
    out = run.ok(START)
    assert f"Domain '{DOMU}' started" in out, out + logs(run)
    up, status = run.result(WAIT_UP)
    assert status == 0, up + logs(run)
    m = re.search(rf"^{DOMU} is up as (\d+)$", up, re.M)
    assert m and int(m[1]) > 0, up
    assert re.search(r"^running$", up, re.M), up
    rows = {r[0]: r for r in list_rows(up)}
    assert set(rows) == {"Domain-0", DOMU}, up
    assert rows[DOMU][1:4] == (m[1], "128", "1"), up


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_virsh_console(run):
    """virsh console: the domU's shell on its PV console answers what is
    typed into it; Ctrl-] detaches."""
    out = run.ok(CONSOLE)
    lines = [line.strip() for line in out.split("\n")]
    assert "virsh-says-42" in lines, out + logs(run)


@pytest.mark.parametrize("run", BOTH, indirect=True)
def test_virsh_destroy(run):
    """virsh destroy: the domain is gone from xl list, and virsh lists it
    shut off (still defined)."""
    out = run.ok(DESTROY)
    assert f"Domain '{DOMU}' destroyed" in out, out + logs(run)
    after = run.ok(AFTER)
    assert virsh_rows(after) == [("0", "Domain-0", "running"), ("-", DOMU, "shut off")], after
    assert [r[0] for r in list_rows(after)] == ["Domain-0"], after
    assert run.complete, "the run did not reach its end"
