"""`make bench QUICK=1` (bench/bench.py --quick) runs side by side with Xen
4.17 and its -icount figures repeat exactly; the results go to a temporary
directory, not bench/results/."""

import os
import re
import subprocess
import sys

import pytest

from conftest import BUILD, CACHE, REPO, scaled

BENCH = REPO / "bench" / "bench.py"
XEN = CACHE / "xen" / "xen-4.17-arm64"


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    if not XEN.is_file():
        pytest.fail(f"no Xen 4.17 image at {XEN}: run scripts/setup.sh")
    if not (BUILD / "guests" / "bench_micro.bin").is_file():
        pytest.fail(f"no {BUILD}/guests/bench_micro.bin: run `make guests`")
    out = tmp_path_factory.mktemp("bench")
    env = dict(os.environ, PROXENOS_BUILD=str(BUILD), PROXENOS_CACHE=str(CACHE))
    p = subprocess.run([sys.executable, str(BENCH), "--quick", "--out", str(out)],
                       capture_output=True, text=True, timeout=scaled(170), env=env,
                       stdin=subprocess.DEVNULL)
    return p, out


def _row(md, title):
    """unit, Xen, Proxenos, ratio of a row (the Limit cell left out)."""
    m = re.search(rf"^\| {re.escape(title)} \| (\w+) \| [^|]* \| ([^|]+) \| ([^|]+) \| ([^|]+) \|",
                  md, re.M)
    assert m, f"no row {title!r} in:\n{md}"
    return [c.strip() for c in m.groups()]


def _limit(md, title):
    m = re.search(rf"^\| {re.escape(title)} \| \w+ \| ([^|]*) \|", md, re.M)
    assert m, f"no row {title!r} in:\n{md}"
    return m[1].strip()


def test_quick_bench_runs_and_writes_the_table(quick_run):
    p, out = quick_run
    assert p.returncode == 0, p.stdout[-4000:] + p.stderr[-4000:]
    md = (out / "latest.md").read_text()
    assert "| Figure | Unit | Limit | Xen 4.17 | Proxenos | Ratio |" in md
    # Figures both hypervisors give today: numbers on both sides and a ratio.
    for title in ("Null hypercall round trip (HVC #0xEA1, xen_version)",
                  "SMCCC call round trip (PSCI_VERSION, HVC #0)",
                  "Emulated MMIO read (vpl011 UARTFR)",
                  "Reset to first guest instruction (32 MiB domU)",
                  "Hypervisor image size"):
        unit, xen, pxn, ratio = _row(md, title)
        assert xen != "n/a" and pxn != "n/a" and ratio != "n/a", (title, xen, pxn)
    assert "## Failed runs" not in md, md


def test_limit_column_is_below_both(quick_run):
    """Each micro figure's floor with no hypervisor, measured on bare QEMU,
    is a number below both hypervisors' figures; other rows have none."""
    _, out = quick_run
    md = (out / "latest.md").read_text()
    for title in ("Null hypercall round trip (HVC #0xEA1, xen_version)",
                  "SMCCC call round trip (PSCI_VERSION, HVC #0)",
                  "Emulated MMIO read (vpl011 UARTFR)",
                  "Virtual timer IRQ latency, vCPU running",
                  "Virtual timer IRQ latency, vCPU in WFI"):
        limit = float(_limit(md, title).replace(",", ""))
        _, xen, pxn, _ = _row(md, title)
        assert 0 < limit < float(pxn.replace(",", "")) < float(xen.replace(",", "")), \
            (title, limit, pxn, xen)
    assert _limit(md, "Hypervisor image size") == ""


def test_icount_figures_repeat_exactly(quick_run):
    """bench.py ran the single-guest micro scenario twice on each hypervisor
    and compared every figure; any difference is a bug in the method."""
    p, out = quick_run
    md = (out / "latest.md").read_text()
    m = re.search(r"^(\d+) of (\d+) figures repeated exactly\.$", md, re.M)
    assert m, md
    assert int(m[2]) >= 10 and m[1] == m[2], md
    assert "NOT DETERMINISTIC" not in md + p.stderr


def _breakdown():
    sys.path.insert(0, str(REPO / "bench"))
    import breakdown
    return breakdown


# A hypervisor at breakdown.HYP_BASE: the symbols a null hypercall passes.
H = 0xa0000000000
SYMBOLS = [(H + 0x000, "hyp_vectors_bhb_loop8"), (H + 0x100, "guest64_sync"),
           (H + 0x140, "guest64_sync_fast_ret"), (H + 0x200, "guest_sync_fast"),
           (H + 0x300, "vgic_lock"), (H + 0x400, "do_xen_version")]


def _block(pc, n, text="nop"):
    body = "".join(f"0x{pc + 4 * i:016x}:  d503201f  {text}\n" for i in range(n))
    return f"----------------\nIN: \n{body}\n"


def _run(pc):
    return f"Trace 0: 0x7f0000000100 [0000000000000000/{pc:016x}/00000061/ff020200] \n"


def test_breakdown_counts_each_phase():
    """breakdown.py on a made-up execution log, without QEMU: every
    instruction of a block counts once per run of it, by the phase of its
    function; a shared function (vgic_lock) counts in the phase of what ran
    before it; the latest translation of a pc is the one that runs; what is
    outside the hypervisor is the guest's."""
    bd = _breakdown()
    guest = 0x40001000
    trace = (_block(guest, 3) + _run(guest)                   # the guest's HVC
             + _block(H, 4) + _run(H)                        # vector, BHB loop
             + _block(H + 0x100, 5) + _run(H + 0x100)        # register save
             + _block(H + 0x200, 2) + _run(H + 0x200)        # decode
             + _block(H + 0x300, 3) + _run(H + 0x300)        # lock, for dispatch
             + _block(H + 0x400, 6) + _run(H + 0x400)        # the call itself
             + _run(H + 0x300)                               # lock, for the handler
             + _block(H + 0x140, 7) + _run(H + 0x140)        # restore, eret
             + _block(guest, 2) + _run(guest))               # retranslated: 2 now
    blocks, executed = bd.read_trace(trace.splitlines(keepends=True))
    assert len(blocks) == 8 and len(executed) == 9
    phases, funcs = bd.tally(blocks, executed, lambda a: a >= bd.HYP_BASE, SYMBOLS)
    assert dict(phases) == {"guest": 5, "entry": 4 + 5, "dispatch": 2 + 3,
                            "handler": 6 + 3, "exit": 7}
    assert funcs["vgic_lock"] == 6 and funcs["guest64_sync_fast_ret"] == 7
    assert funcs["guest"] == 5
    # Reading stops at the stop pc (the guest's report) once the hypervisor
    # has run: its first run here, before, is not the stop; its last is.
    blocks, executed = bd.read_trace((trace + _run(H)).splitlines(keepends=True),
                                     stop_pc=guest)
    assert len(executed) == 8


def test_breakdown_inline_chain_and_per_op():
    """An inlined function in the phase table decides over the function it
    was inlined into (exit_is_quiet inside guest_sync_fast is the exit);
    two runs' difference per operation is one operation."""
    bd = _breakdown()
    trace = _block(H + 0x200, 4) + _run(H + 0x200) + _run(H + 0x200)
    blocks, executed = bd.read_trace(trace.splitlines(keepends=True))
    chains = {H + 0x208: ["exit_is_quiet", "guest_sync_fast"],
              H + 0x20c: ["esr_ec", "guest_sync_fast"]}
    phases, funcs = bd.tally(blocks, executed, lambda a: a >= bd.HYP_BASE, SYMBOLS, chains)
    assert dict(phases) == {"dispatch": 6, "exit": 2}
    assert dict(funcs) == {"guest_sync_fast": 8}
    once, _ = bd.tally(blocks, executed[:1], lambda a: a >= bd.HYP_BASE, SYMBOLS, chains)
    assert bd.per_op(once, phases, 1) == {"dispatch": 3.0, "exit": 1.0}
    row = bd.render([{"figure": "null_hypercall", "hyp": 4.0, "guest": 0.0,
                      "phases": {"dispatch": 3.0, "exit": 1.0}, "funcs": {"guest_sync_fast": 4.0},
                      "printed": 4.0, "note": ""}])
    assert "| null_hypercall | 4.0 | 0.0 | 3.0 | 0.0 | 1.0 |" in row, row
