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
