"""Debian's Xen 4.17 toolstack, unmodified, in a Debian Linux dom0 (issue 12):
the dom0 initramfs of scripts/mkinitramfs-toolstack.sh loads the Xen
modules, mounts xenfs, starts oxenstored, runs xen-init-dom0, starts
xenconsoled, then runs the xl commands below one after the other and powers
off. One boot per hypervisor (-smp 2, 2 GiB, Xen 4.17's dom0 command shape);
each test reads its part of that boot's console.

What is asserted is what Xen 4.17 itself answers (PROXENOS_XEN_REFERENCE=1
runs the same boot on Debian's Xen 4.17, cached by scripts/setup.sh). The same
run then drives a second domU through pause, vcpu-pin, reboot, a memory
target and shutdown, a third on the emulated SBSA UART, and 20 create/destroy
cycles that must leave the free memory (and Proxenos's heap) as it was.
"""

import re
import time

import pytest

from conftest import REPO, ConsoleTimeout
from toolstack import (APPEND, BUSYBOX, DOM0_MEM_MIB, DONE, KERNEL, MEM_MIB, ON_PROXENOS, ON_XEN,
                       READY, SMP, STEP, TOOLSTACK, Run, dom0_qemu, list_rows)

# The example domU of tools/examples/debian-domu.cfg, as a user starts it:
# the run types a command into its shell through the console xl attaches,
# then `exit`, which powers the domU off and ends xl.
CREATE = "xl create -c /etc/xen/debian-domu.cfg"
DOMU_SHELL = r"^shell on \S+; exit powers the domain off$"
CFG = "/etc/xen/debian-domu.cfg"
# A second domain, started in the background, which the run then pauses,
# pins, balloons, reboots and shuts down as a user would.
# Without cma=0 its Linux sets half of its 128 MiB aside for CMA, and a
# balloon target that arrives while it still boots leaves it nothing it can
# allocate (an out-of-memory panic, on Xen 4.17 as here).
LIFE = f"xl create {CFG} 'name=\"life\"' 'extra=\"console=hvc0 cma=0\"'"
# Until the domU's Linux has its xenbus shutdown watch up (it then writes
# control/feature-poweroff), xl shutdown and reboot have nobody to ask.
WAIT_LIFE = ("i=0; until d=$(xl domid life 2>/dev/null) && "
             "xenstore-read /local/domain/$d/control/feature-poweroff >/dev/null 2>&1; "
             "do i=$((i + 1)); [ $i -lt 240 ] || exit 1; sleep 1; done; echo life is up as $d")
# Debian's xl 4.17 aborts in mem-set (a libxl_defbool assertion, on Xen
# 4.17 as here) after it raised the domain's maximum and before it wrote the
# new target; the target is then written as mem-set would have, and the
# domU's balloon driver gives its memory back down to it.
AGAIN = LIFE.replace('"life"', '"again"')
WAIT_AGAIN = WAIT_LIFE.replace("life", "again")
# xl reboot -w returns once the domU has shut down; xl's background process
# then destroys it and builds it again under a new id. Until it has, the old
# domain is still listed (shut down), so the wait after the reboot looks for
# a domain "again" whose id is not the one that rebooted.
REBOOT = "xl domid again > /tmp/again.old && xl reboot -w again"
WAIT_REBUILT = WAIT_AGAIN.replace(
    "until d=$(xl domid again 2>/dev/null) && ",
    "until d=$(xl domid again 2>/dev/null) && [ \"$d\" != \"$(cat /tmp/again.old)\" ] && ")
MEM_SET = ("xl mem-set life 96; d=$(xl domid life) && "
           "xenstore-write /local/domain/$d/memory/target 98304 && i=0; "
           "until [ \"$(xl list life | awk 'NR == 2 { print $3 }')\" -le 96 ]; "
           "do i=$((i + 1)); [ $i -lt 60 ] || break; sleep 1; done; "
           "xenstore-read /local/domain/$d/memory/target; xl list life")
# xl's background process destroys a domain after it shut down: the domain
# is listed (shut down, dying) for a moment after xl shutdown -w returns.
GONE = ("i=0; while xl list | awk 'NR > 1 { print $1 }' | grep -qv '^Domain-0$'; "
        "do i=$((i + 1)); [ $i -lt 30 ] || break; sleep 1; done; xl list")
# The same domU with the emulated SBSA UART (vpl011) as its console, read
# through `xl console -t vuart` (the run types into it, then detaches).
UART = (f"xl create {CFG} 'name=\"uart\"' 'vuart=\"sbsa_uart\"' "
        "'extra=\"console=ttyAMA0\"' && sleep 5 && xl console -t vuart uart")
# 20 create/destroy cycles, between two looks at the free memory and, on
# Proxenos, at the hypervisor's heap (debug key m into its console ring).
FREE = "xl info | grep -E '^free_memory'"
HEAP = "xl debug-keys m && xl dmesg | tail -n 40"
# What dom0's kernel said about its foreign mappings and ballooning (for
# the messages of a failing leak check).
DOM0_KERNEL = ("dmesg | grep -E -A12 'leaking|unable to unmap|cut here|xen:balloon' | head -60; "
               "true")
CYCLES = 20
CYCLE = (f"for i in $(seq {CYCLES}); do xl create -q {CFG} 'name=\"cycle\"' && "
         "xl destroy cycle || exit 1; done; sleep 2; echo cycles done")
# dom0 pins its own vCPUs (the one running xl among them) to CPU 1, then
# lets them run anywhere again.
PIN_DOM0 = ("xl vcpu-pin Domain-0 all 1 && sleep 1 && xl vcpu-list Domain-0 && "
            "xl vcpu-pin Domain-0 all all && xl vcpu-list Domain-0")
# Scheduling from the toolstack (the schedulers issue): credit2's weight and
# cap of a domain and its pool's rate limit; then a new pool of CPU 1 with
# credit (Debian's Xen has no other), "life" moved into it and given a
# credit weight and cap there, and everything put back.
SCHED_C2_DOM = "xl sched-credit2 -d life -w 512 -c 50 && xl sched-credit2 -d life"
SCHED_C2_POOL = ("xl sched-credit2 -s -r 2000 && xl sched-credit2 -s && "
                 "xl sched-credit2 -s -r 1000")
POOL_MAKE = ("xl vcpu-pin life 0 all && xl cpupool-cpu-remove Pool-0 1 && "
             "xl cpupool-create 'name=\"p1\"' 'sched=\"credit\"' && xl cpupool-cpu-add p1 1 && "
             "xl cpupool-migrate life p1 && sleep 1 && xl cpupool-list && xl vcpu-list life")
POOL_CREDIT = "xl sched-credit -d life -w 128 -c 30 && xl sched-credit -d life"
POOL_UNDO = ("xl cpupool-migrate life Pool-0 && xl cpupool-cpu-remove p1 1 && "
             "xl cpupool-destroy p1 && xl cpupool-cpu-add Pool-0 1 && xl cpupool-list")
# The same with RTDS, which Debian's Xen leaves out (there the pool is not
# created and nothing else happens).
POOL_RTDS = ("xl cpupool-create 'name=\"rt\"' 'sched=\"rtds\"' && xl cpupool-cpu-remove Pool-0 1 && "
             "xl cpupool-cpu-add rt 1 && xl cpupool-migrate life rt && "
             "xl sched-rtds -d life -v all -p 20000 -b 5000 -e 1 && xl sched-rtds -d life -v all && "
             "xl cpupool-list && xl cpupool-migrate life Pool-0 && xl cpupool-cpu-remove rt 1 && "
             "xl cpupool-destroy rt && xl cpupool-cpu-add Pool-0 1 && xl cpupool-list")
COMMANDS = [
    "xenstore-read /local/domain/0/name",
    "xl info",
    "xl list",
    "xl dmesg",
    "xl vcpu-list",
    "xl cpupool-list",
    "xl uptime",
    CREATE,
    "xl list",
    LIFE,
    WAIT_LIFE,
    "xl pause life && xl list life",
    "xl unpause life && xl list life",
    "xl vcpu-pin life 0 1 && xl vcpu-list life",
    PIN_DOM0,
    SCHED_C2_DOM,
    SCHED_C2_POOL,
    POOL_MAKE,
    POOL_CREDIT,
    POOL_UNDO,
    POOL_RTDS,
    MEM_SET,
    "xl shutdown -w life && " + GONE,
    # Reboot on a domain of its own: xl rebuilds a rebooted domain from the
    # target and maximum in xenstore, and a target below the maximum (what
    # MEM_SET leaves) is what Arm cannot build (no populate-on-demand).
    AGAIN,
    WAIT_AGAIN,
    REBOOT,
    WAIT_REBUILT,
    "xl destroy again && " + GONE,
    UART,
    "xl destroy uart && " + GONE,
    FREE,
    HEAP,
    CYCLE,
    FREE,
    HEAP,
    DOM0_KERNEL,
]
# How long /init lets one command run before it kills it.
STEP_TIMEOUT = 300

# Under TCG both boots together took 30 to 60 s on a 2-core host shared
# with other runs (dom0 at /init after 2 to 25 s of its own time, the
# commands and the domU some 10 s more); a loaded host needs several times
# that. Each wait may take BUDGET s, the whole run HARD s (scaled by
# PROXENOS_TIMEOUT_SCALE).
BUDGET = 200
HARD = 1500



def xl_info(text):
    return dict(m.groups() for m in re.finditer(r"^(\w+)\s*: ?(.*)$", text, re.M))


@pytest.fixture(scope="session")
def toolstack_initramfs(tool, tmp_path_factory):
    for need in (KERNEL, BUSYBOX, TOOLSTACK / "usr/lib/xen-4.17/bin/xl"):
        if not need.exists():
            pytest.fail(f"no {need}: run scripts/setup.sh")
    work = tmp_path_factory.mktemp("toolstack")
    commands = work / "commands"
    commands.write_text("".join(c + "\n" for c in COMMANDS))
    out = work / "dom0-toolstack.cpio.gz"
    tool("sh", REPO / "scripts" / "mkinitramfs-toolstack.sh", "--commands", commands,
         "--timeout", STEP_TIMEOUT, out, timeout=120)
    return out


@pytest.fixture(scope="module")
def run(request, toolstack_initramfs):
    """The boot of request.param ("proxenos" or "xen"), once per module."""
    which = request.param
    q = dom0_qemu(which, toolstack_initramfs, "test_toolstack", HARD)
    q.start()
    try:
        q.wait_for(READY, timeout=BUDGET)
        complete = True
        try:
            q.wait_for(STEP + re.escape("$ " + CREATE) + "$", timeout=BUDGET)
            m = q.wait_for(f"(?:{DOMU_SHELL}|{STEP}status (?P<status>\\d+)$)", timeout=BUDGET)
            if m["status"] is None:
                use_domu_shell(q)
            # The life cycle of "life" (boots, a reboot, ballooning) first.
            q.wait_for(STEP + re.escape("$ " + UART) + "$", timeout=3 * BUDGET)
            use_vuart_shell(q)
            # The create/destroy cycles.
            q.wait_for(DONE, timeout=3 * BUDGET)
            q.expect_exit(timeout=60)
        except ConsoleTimeout:
            # The tests of the commands that did run still say what they saw.
            complete = False
        yield Run(which, q.output, complete)
    finally:
        q.close()


def use_domu_shell(q):
    """Type into the domU's shell (the console xl attached: keys go through
    the hypervisor's console to dom0's hvc0, xenconsole and the domU's
    console ring), then leave it with `exit`."""
    q.wait_for(r"^/ # ", timeout=60)
    time.sleep(2)
    try:
        q.type_line(b"echo domu-says-$((6*7))\r", r"^domu-says-42$")
        # The next prompt first: keys typed before it would land on the
        # same line as the answer.
        q.wait_for(r"/ # ", timeout=20)
    except ConsoleTimeout:
        pass            # test_xl_create_example_domu says what was missing
    q.send(b"exit\r")


def use_vuart_shell(q):
    """Type into the shell of the domU whose console is the emulated SBSA
    UART, through `xl console -t vuart`, then detach with Ctrl-]."""
    try:
        q.type_line(b"\r", r"/ # ", timeout=20, tries=8)
        q.type_line(b"echo uart-says-$((6*7))\r", r"^uart-says-42\r?$")
    except ConsoleTimeout:
        pass            # test_xl_console_vuart says what was missing
    q.send(b"\x1d")


@pytest.mark.parametrize("run", [ON_PROXENOS, ON_XEN], indirect=True)
def test_toolstack_starts(run):
    """Debian's way of starting the tools on a dom0: every Xen module loads
    (bridge after llc and stp, then loop for file-backed disks), xenfs says dom0 is the control domain, and
    oxenstored and xenconsoled are running."""
    steps = run.steps()
    assert ("modules loaded: xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs "
            "xen-blkback xen-netback llc stp bridge loop") in steps, steps
    assert "xenfs mounted on /proc/xen (capabilities: control_d)" in steps, steps
    assert any(re.fullmatch(r"oxenstored running \(pid \d+\)", s) for s in steps), steps
    assert any(re.fullmatch(r"xenconsoled running \(pid \d+\)", s) for s in steps), steps
    assert run.complete, "the commands did not all run"


@pytest.mark.parametrize("run", [ON_PROXENOS, ON_XEN], indirect=True)
def test_xen_init_dom0_names_domain0(run):
    """xen-init-dom0 writes Domain-0's name into xenstore (sysctl
    getdomaininfolist, physinfo and cpupool_op on Xen 4.17)."""
    steps = run.steps()
    assert "xen-init-dom0 done (/local/domain/0/name = Domain-0)" in steps, steps
    assert "ready" in steps, steps
    assert run.ok("xenstore-read /local/domain/0/name").strip() == "Domain-0"


@pytest.mark.parametrize("run", [ON_PROXENOS, ON_XEN], indirect=True)
def test_xl_info(run):
    """xl info: Xen 4.17 on 2 CPUs with the machine's 2 GiB, dom0's 512 MiB
    taken from it, credit2, the hypervisor's own command line and the
    image's build id (a SHA-1, as the linker writes Xen's)."""
    out = run.ok("xl info")
    assert "libxl: error" not in out, out
    info = xl_info(out)
    assert info.get("xen_major") == "4", out
    assert info.get("xen_minor") == "17", out
    assert info.get("nr_cpus") == str(SMP), out
    assert info.get("max_cpu_id") == str(SMP - 1), out
    assert info.get("total_memory") == str(MEM_MIB), out
    free = int(info.get("free_memory", "-1"))
    assert 0 < free <= MEM_MIB - DOM0_MEM_MIB, out
    assert info.get("xen_pagesize") == "4096", out
    assert info.get("xen_scheduler") == "credit2", out
    assert info.get("xen_commandline") == APPEND, out
    assert re.fullmatch(r"[0-9a-f]{40}", info.get("build_id", "")), out


@pytest.mark.parametrize("run", [ON_PROXENOS, ON_XEN], indirect=True)
def test_xl_list(run):
    """xl list: Domain-0 alone, id 0, its 512 MiB and 2 vCPUs, running."""
    out = run.ok("xl list")
    rows = re.findall(r"^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+([-rbpscd]{6})\s+[\d.]+$", out, re.M)
    assert [r[0] for r in rows] == ["Domain-0"], out
    name, domid, mem, vcpus, state = rows[0]
    assert (domid, mem, vcpus) == ("0", str(DOM0_MEM_MIB), str(SMP)), out
    assert "s" not in state and "c" not in state and "d" not in state, out


@pytest.mark.parametrize("run", [ON_PROXENOS, ON_XEN], indirect=True)
def test_xl_dmesg(run):
    """xl dmesg: the hypervisor's console ring, which holds the lines its
    boot printed on the UART, its command line among them."""
    out = run.ok("xl dmesg")
    lines = [line for line in out.split("\n") if line.startswith(f"({run.prefix}) ")]
    assert f"({run.prefix}) Command line: {APPEND}" in lines, out
    # The ring's lines are the console's: the first few were printed on
    # the UART before dom0 ran.
    before = run.output.split(STEP + "$ ")[0].split("\n")
    for line in lines[:5]:
        assert line in before, f"{line!r} is in xl dmesg but not on the UART"


@pytest.mark.parametrize("run", [ON_PROXENOS, ON_XEN], indirect=True)
def test_xl_vcpu_list(run):
    """xl vcpu-list: dom0's two vCPUs, each on one of the two CPUs, free to
    run on all of them."""
    out = run.ok("xl vcpu-list")
    rows = re.findall(r"^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+([-rbp]{3})\s+[\d.]+\s+(.*)$", out, re.M)
    assert sorted((r[0], r[1], r[2]) for r in rows) == [("Domain-0", "0", "0"),
                                                       ("Domain-0", "0", "1")], out
    for row in rows:
        assert int(row[3]) < SMP, out
        assert row[5].strip() == "all / all", out


@pytest.mark.parametrize("run", [ON_PROXENOS, ON_XEN], indirect=True)
def test_xl_cpupool_list(run):
    """xl cpupool-list: Pool-0 with both CPUs, credit2, dom0 in it."""
    out = run.ok("xl cpupool-list")
    rows = re.findall(r"^(\S+)\s+(\d+)\s+(\S+)\s+([yn])\s+(\d+)$", out, re.M)
    assert rows == [("Pool-0", str(SMP), "credit2", "y", "1")], out


POOL_ROW = r"^(\S+)\s+(\d+)\s+(\S+)\s+([yn])\s+(\d+)$"
SCHED_ROW = r"^life\s+\d+\s+(\d+)\s+(\d+)$"


@pytest.mark.parametrize("run", [ON_PROXENOS, ON_XEN], indirect=True)
def test_xl_sched_credit2(run):
    """xl sched-credit2 -d life -w 512 -c 50 sets, and reads back, the
    domain's weight and cap; -s -r sets Pool-0's rate limit, -s reads it."""
    out = run.ok(SCHED_C2_DOM)
    assert re.findall(SCHED_ROW, out, re.M) == [("512", "50")], out
    out = run.ok(SCHED_C2_POOL)
    assert re.search(r"^Cpupool Pool-0: ratelimit=2000us$", out, re.M), out


@pytest.mark.parametrize("run", [ON_PROXENOS, ON_XEN], indirect=True)
def test_xl_cpupools_and_credit(run):
    """CPU 1 leaves Pool-0 for a new credit pool, life follows it and runs
    there with the weight and cap xl sched-credit gives it; then the pool
    goes and Pool-0 has both CPUs and both domains again."""
    out = run.ok(POOL_MAKE)
    assert re.findall(POOL_ROW, out, re.M) == [("Pool-0", "1", "credit2", "y", "1"),
                                               ("p1", "1", "credit", "y", "1")], out
    rows = re.findall(r"^life\s+\d+\s+(\d+)\s+(\d+)\s+[-rbp]{3}\s+[\d.]+\s+(.*)$", out, re.M)
    assert [(vcpu, cpu) for vcpu, cpu, _ in rows] == [("0", "1")], out
    out = run.ok(POOL_CREDIT)
    assert re.findall(SCHED_ROW, out, re.M) == [("128", "30")], out
    out = run.ok(POOL_UNDO)
    assert re.findall(POOL_ROW, out, re.M) == [("Pool-0", str(SMP), "credit2", "y", "2")], out


@pytest.mark.parametrize("run", [ON_PROXENOS], indirect=True)
def test_xl_rtds_pool(run):
    """An RTDS pool from xl (Proxenos only: Debian's Xen has no RTDS): life
    moves in, xl sched-rtds gives its vCPU 5 ms every 20 ms and reads that
    back, and the pool goes again."""
    out = run.ok(POOL_RTDS)
    rows = re.findall(r"^life\s+\d+\s+(\d+)\s+(\d+)\s+(\d+)\s+(\w+)$", out, re.M)
    assert rows == [("0", "20000", "5000", "yes")], out
    pools = re.findall(POOL_ROW, out, re.M)
    assert pools == [("Pool-0", "1", "credit2", "y", "1"), ("rt", "1", "rtds", "y", "1"),
                     ("Pool-0", str(SMP), "credit2", "y", "2")], out


@pytest.mark.parametrize("run", [ON_PROXENOS, ON_XEN], indirect=True)
def test_xl_uptime(run):
    """xl uptime: Domain-0, up for as long as the boot has run (well under
    the run's hard limit)."""
    out = run.ok("xl uptime")
    assert "libxl: error" not in out and "Could not" not in out, out
    rows = re.findall(r"^(\S+)\s+(\d+)\s+(?:(\d+) days?, )?(\d+):(\d\d):(\d\d)$", out, re.M)
    assert [r[:2] for r in rows] == [("Domain-0", "0")], out
    _, _, days, h, m, s = rows[0]
    seconds = int(days or 0) * 86400 + int(h) * 3600 + int(m) * 60 + int(s)
    assert 0 < seconds < HARD, out


@pytest.mark.parametrize("run", [ON_PROXENOS, ON_XEN], indirect=True)
def test_xl_create_example_domu(run):
    """xl create -c of tools/examples/debian-domu.cfg, as issue 12's user
    does it: the domU's Linux finds Xen 4.17, its shell comes up on the
    console xl attached, runs what is typed, and `exit` powers the domU
    off, which ends xl; the domain is gone from xl list."""
    out = run.ok(CREATE)
    lines = out.split("\n")
    assert "Proxenos demo: xl domU busybox init running" in lines, out
    assert "hypervisor: xen 4.17" in lines, out
    assert "domu-says-42" in lines, out
    after = run.ok("xl list", nth=1)
    assert re.findall(r"^(\S+)\s+\d+\s+\d+\s+\d+\s", after, re.M) == ["Domain-0"], after


def life_row(text):
    rows = [r for r in list_rows(text) if r[0] == "life"]
    assert len(rows) == 1, text
    return rows[0]


@pytest.mark.parametrize("run", [ON_PROXENOS, ON_XEN], indirect=True)
def test_xl_pause_unpause(run):
    """xl create in the background, then xl pause and unpause: xl list shows
    the domain paused ("p"), then not."""
    run.ok(LIFE)
    up = run.ok(WAIT_LIFE)
    assert re.search(r"^life is up as \d+$", up, re.M), up
    paused = life_row(run.ok("xl pause life && xl list life"))
    assert "p" in paused[4], paused
    assert paused[3] == "1", paused
    unpaused = life_row(run.ok("xl unpause life && xl list life"))
    assert "p" not in unpaused[4], unpaused


@pytest.mark.parametrize("run", [ON_PROXENOS, ON_XEN], indirect=True)
def test_xl_vcpu_pin(run):
    """xl vcpu-pin life 0 1: its vCPU 0 may then run on CPU 1 only."""
    out = run.ok("xl vcpu-pin life 0 1 && xl vcpu-list life")
    rows = re.findall(r"^life\s+\d+\s+(\d+)\s+(\d+|-)\s+([-rbp]{3})\s+[\d.]+\s+(.*)$", out, re.M)
    assert len(rows) == 1, out
    assert rows[0][0] == "0" and rows[0][3].strip() == "1 / all", out
    assert rows[0][1] in ("1", "-"), out


@pytest.mark.parametrize("run", [ON_PROXENOS, ON_XEN], indirect=True)
def test_xl_vcpu_pin_dom0(run):
    """xl vcpu-pin Domain-0 all 1: dom0's own vCPUs, the caller's among
    them, move to CPU 1 and run there; "all" frees them again."""
    out = run.ok(PIN_DOM0)
    rows = re.findall(r"^Domain-0\s+0\s+(\d+)\s+(\d+|-)\s+([-rbp]{3})\s+[\d.]+\s+(.*)$", out,
                      re.M)
    assert len(rows) == 4, out
    pinned, freed = rows[:2], rows[2:]
    for vcpu, cpu, _, affinity in pinned:
        assert affinity.strip() == "1 / all", out
        assert cpu in ("1", "-"), out
    assert any(cpu == "1" for _, cpu, state, _ in pinned if "r" in state), out
    for _, _, _, affinity in freed:
        assert affinity.strip() == "all / all", out


@pytest.mark.parametrize("run", [ON_PROXENOS, ON_XEN], indirect=True)
def test_xl_mem_set(run):
    """A memory target of 96 MiB for life (xl mem-set, then the target in
    xenstore): the domU's balloon driver gives its memory back down to it
    (128 MiB to 96), which xl list then shows."""
    out = run.ok(MEM_SET)
    assert re.search(r"^98304$", out, re.M), out
    assert int(life_row(out)[2]) <= 96, out


@pytest.mark.parametrize("run", [ON_PROXENOS, ON_XEN], indirect=True)
def test_xl_shutdown(run):
    """xl shutdown -w powers life off through its Linux (its xenbus
    control/shutdown watch), and xl then destroys it: it is gone."""
    out = run.ok("xl shutdown -w life && " + GONE)
    assert [r[0] for r in list_rows(out)] == ["Domain-0"], out


@pytest.mark.parametrize("run", [ON_PROXENOS, ON_XEN], indirect=True)
def test_xl_reboot(run):
    """xl reboot -w: the domU's Linux reboots, and xl's background process
    rebuilds it under a new id, which boots again; xl destroy ends it."""
    first = re.search(r"^again is up as (\d+)$", run.ok(WAIT_AGAIN), re.M)
    run.ok(REBOOT)
    second = re.search(r"^again is up as (\d+)$", run.ok(WAIT_REBUILT), re.M)
    assert first and second and first[1] != second[1], (first, second)
    out = run.ok("xl destroy again && " + GONE)
    assert [r[0] for r in list_rows(out)] == ["Domain-0"], out


@pytest.mark.parametrize("run", [ON_PROXENOS, ON_XEN], indirect=True)
def test_xl_console_vuart(run):
    """vuart = "sbsa_uart": the domU's Linux runs its console on the
    emulated PL011, and xl console -t vuart reaches its shell."""
    out = run.ok(UART)
    assert "uart-says-42" in [line.strip() for line in out.split("\n")], out
    after = run.ok("xl destroy uart && " + GONE)
    assert [r[0] for r in list_rows(after)] == ["Domain-0"], after


def heap_figures(text):
    """The page allocator's free pages and xmalloc's bytes in use, from the
    last debug-key m dump in text."""
    free = re.findall(r"Page allocator: .*, (\d+) free \(", text)
    used = re.findall(r"xmalloc: \d+ pages held, (\d+) bytes in use", text)
    assert free and used, text
    return int(free[-1]), int(used[-1])


@pytest.mark.parametrize("run", [ON_PROXENOS, ON_XEN], indirect=True)
def test_xl_create_destroy_cycles_leak_nothing(run):
    """20 xl create/destroy cycles: xl info's free_memory is back where it
    was, and (on Proxenos) so are the hypervisor's free pages and heap."""
    before = run.ok(FREE, nth=0)
    out = run.ok(CYCLE)
    assert "cycles done" in out, (out + "\n--- hypervisor heap ---\n" + run.result(HEAP, 1)[0]
                                  + "\n--- dom0's kernel ---\n" + run.result(DOM0_KERNEL)[0])
    after = run.ok(FREE, nth=1)
    assert before == after, (before, after)
    if run.which == "proxenos":
        last = run.ok(HEAP, nth=1)
        assert heap_figures(run.ok(HEAP, nth=0)) == heap_figures(last), (
            last + "\n--- dom0's kernel ---\n" + run.result(DOM0_KERNEL)[0])
