"""Out-of-tree builds: `make O=<dir>` writes nothing into the source tree, and
build directories with different configurations live side by side."""

import os
import shutil
import subprocess

import pytest

from conftest import REPO, scaled

JOBS = str(max(1, min(4, os.cpu_count() or 1)))


def make(*args, check=True):
    # Under `make test` the environment carries the outer make's flags and
    # command-line variables (O=, CONFIG=); these builds must not inherit them.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    p = subprocess.run(["make", "--no-print-directory", "-C", str(REPO), *map(str, args)],
                       capture_output=True, text=True, timeout=scaled(900), env=env)
    if check and p.returncode != 0:
        pytest.fail(f"make {' '.join(map(str, args))} failed ({p.returncode}):\n"
                    f"{p.stdout[-4000:]}\n{p.stderr[-4000:]}")
    return p


def tree_state():
    """Every path git would report, ignored files included ("!!" entries):
    an object file written next to its source shows up here."""
    if not shutil.which("git"):
        return None
    p = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--ignored"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        return None
    return set(p.stdout.splitlines())


@pytest.fixture(scope="module")
def default_build(tmp_path_factory):
    before = tree_state()
    out = tmp_path_factory.mktemp("o-default") / "build"
    make(f"O={out}", f"-j{JOBS}", "all")
    return out, before, tree_state()


def test_out_of_tree_build_leaves_source_clean(default_build):
    out, before, after = default_build
    if before is None:
        pytest.skip("not a git checkout")
    assert (out / "proxenos.bin").is_file()
    new = sorted(after - before)
    assert not new, "make O=<dir> changed the source tree:\n" + "\n".join(new)


def test_two_configurations_coexist(default_build, tmp_path_factory):
    a = default_build[0]
    image_a = (a / "proxenos.bin").read_bytes()
    stamp_a = (a / "proxenos.bin").stat().st_mtime_ns

    b = tmp_path_factory.mktemp("o-release") / "build"
    make(f"O={b}", "CONFIG=release", f"-j{JOBS}", "all")
    assert (b / "proxenos.bin").is_file()
    assert (a / ".config").read_text() == (REPO / "config" / "defconfig.mk").read_text()
    assert (b / ".config").read_text() == (REPO / "config" / "release.mk").read_text()
    assert (b / "proxenos.bin").read_bytes() != image_a, "defconfig and release images are identical"

    # The second build did not disturb the first: rebuilding it is a no-op.
    q = make(f"O={a}", "-q", check=False)
    assert q.returncode == 0, f"make -q O={a} says the default build is out of date:\n{q.stdout}{q.stderr}"
    assert (a / "proxenos.bin").stat().st_mtime_ns == stamp_a
    assert (a / "proxenos.bin").read_bytes() == image_a
    q = make(f"O={b}", "-q", check=False)
    assert q.returncode == 0, f"make -q O={b} says the release build is out of date"


def test_fuzz_smoke(tmp_path):
    """Every libFuzzer target builds (its harness links the hypervisor code
    and the host fakes as they are: a hook or signature change breaks it
    first) and survives a few seconds from its seed corpus: `make
    fuzz-smoke` fails on any crash, leak or sanitizer report."""
    targets = sorted(p.stem for p in (REPO / "tests" / "fuzz").glob("fuzz_*.mk"))
    assert "fuzz_fdt" in targets
    p = make(f"O={tmp_path}", f"-j{JOBS}", "fuzz-smoke", "FUZZ_SMOKE_SECONDS=3")
    for t in targets:
        assert (tmp_path / "fuzz" / t / t).is_file(), f"{t} not built"
        line = [l for l in p.stdout.splitlines() if l.startswith(t + " ")]
        assert line and " cov: " in line[0], f"{t}: no libFuzzer status line in\n{p.stdout}"
