"""The hypervisor's layers run one way (docs/architecture.md): on the objects
of the build under test, scripts/callgraph.py finds no loop of calls between
files and no call from common/ into arch/ other than through the hooks of
include/proxenos/arch/; and no common source or header includes an asm/
header."""

import subprocess
import sys

import pytest

from conftest import BUILD, REPO


def callgraph(*args):
    if not (BUILD / "hyp").is_dir():
        pytest.fail(f"no objects in {BUILD}/hyp: run `make` (or set PROXENOS_BUILD)")
    p = subprocess.run([sys.executable, str(REPO / "scripts" / "callgraph.py"), *args,
                        f"O={BUILD}"], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout + p.stderr


def test_no_loop_of_calls_between_files():
    rc, out = callgraph()
    assert rc == 0, out
    assert " 0 loops" in out.splitlines()[0], out


def test_common_reaches_arch_only_through_hooks():
    rc, out = callgraph("--layers")
    assert rc == 0, out
    lines = out.splitlines()
    at = lines.index("common/ -> arch/ (hooks are declared in include/proxenos/arch/):")
    assert lines[at + 1:] == [], out


def test_no_common_file_includes_an_asm_header():
    """Common code sees the architecture only through include/proxenos/arch/
    (its hooks) and opaque arch structs: no asm/ header anywhere in it."""
    hyp = REPO / "hypervisor"
    offenders = []
    for top in (hyp / "common", hyp / "include" / "proxenos"):
        for path in sorted(top.rglob("*.[ch]")):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if line.lstrip().startswith("#include <asm/"):
                    offenders.append(f"{path.relative_to(REPO)}:{n}: {line.strip()}")
    assert offenders == [], "\n".join(offenders)


def test_no_common_file_names_an_arch_abi_header():
    """The guest ABI's architecture half is chosen in one place,
    include/public/arch.h: no common source or header (nor the public
    headers that common code includes) names public/arch-arm.h itself."""
    hyp = REPO / "hypervisor"
    chooser = hyp / "include" / "public" / "arch.h"
    offenders = []
    for top in (hyp / "common", hyp / "include" / "proxenos", hyp / "include" / "public"):
        for path in sorted(top.rglob("*.[ch]")):
            if path == chooser:
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                words = line.replace("#", " ").split()
                if words[:1] == ["include"] and "public/arch-" in line:
                    offenders.append(f"{path.relative_to(REPO)}:{n}: {line.strip()}")
    assert offenders == [], "\n".join(offenders)
    assert "public/arch-arm.h" in chooser.read_text(encoding="utf-8")
