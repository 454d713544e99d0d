"""The MISRA checker itself (docs/misra/README.md): in a scratch copy of the
tree, a planted violation makes `make misra` fail with a readable finding, and
a documented deviation tag suppresses exactly the finding it covers.

The planted code is a new source file added to the scratch copy's build, and
`make misra` is limited to it with MISRA_FILES, so the test takes seconds and
does not depend on the state of the rest of the tree."""

import os
import re
import shutil
import subprocess

import pytest

from conftest import REPO, scaled

PROBE = "hypervisor/common/misra_probe.c"
PROBE_H = "hypervisor/common/misra_probe.h"
FINDING = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+): (?P<rule>(Rule|Dir) \d+\.\d+|MISRA-DEV|stale): "
                     r"(?P<msg>.+)$")
TOTAL = re.compile(r"^MISRA: (\d+) violations, (\d+) deviations \((\d+) rules checked, (\d+) files\)$")

# Rule 20.7 twice (unparenthesised macro parameters) and Dir 4.10 once (a
# header without an include guard).
PROBE_C = """\
/* Planted by tests/system/test_misra.py. */
#include <proxenos/types.h>
#include "misra_probe.h"

{tag}#define PROBE_TWICE(x) (x * 2U)
#define PROBE_THRICE(x) {thrice}

uint32_t misra_probe(uint32_t v)
{{
    return PROBE_TWICE(v) + PROBE_THRICE(v);
}}
"""
TAG = "/* MISRA-DEV(R20.7): probe-twice */\n"
ENTRY = ("| `probe-twice` | Rule 20.7 | `hypervisor/common/misra_probe.c` | "
         "planted by the checker test |\n")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    root = tmp_path_factory.mktemp("misra") / "tree"
    shutil.copytree(REPO, root, symlinks=True,
                    ignore=shutil.ignore_patterns(".git", "build", "__pycache__", "*.o"))
    with open(root / "hypervisor/common/sources.mk", "a") as f:
        f.write("hyp-src-y += common/misra_probe.c\n")
    return root


def misra(root):
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env["MISRA_FILES"] = "common/misra_probe.c"
    p = subprocess.run(["make", "--no-print-directory", "-C", str(root),
                        f"O={root / 'build'}", "misra"],
                       capture_output=True, text=True, timeout=scaled(300), env=env)
    out = p.stdout + p.stderr
    total = [TOTAL.match(l) for l in out.splitlines() if TOTAL.match(l)]
    assert total, f"no MISRA total line:\n{out}"
    findings = {(m["file"], int(m["line"]), m["rule"])
                for m in map(FINDING.match, out.splitlines()) if m}
    return p.returncode, findings, tuple(int(x) for x in total[-1].groups()), out


def plant(root, tag="", thrice="(x * 3U)", entry=False, guard=True):
    (root / PROBE).write_text(PROBE_C.format(tag=tag, thrice=thrice))
    decl = "uint32_t misra_probe(uint32_t v);\n"
    (root / PROBE_H).write_text(
        f"#ifndef MISRA_PROBE_H\n#define MISRA_PROBE_H\n{decl}#endif\n" if guard else decl)
    dev = root / "docs/misra/deviations.md"
    text = (REPO / "docs/misra/deviations.md").read_text()
    dev.write_text(text + (ENTRY if entry else ""))


def line_of(root, needle):
    lines = (root / PROBE).read_text().splitlines()
    return next(i for i, l in enumerate(lines, 1) if needle in l)


def test_planted_violation_fails(scratch):
    plant(scratch, guard=False)
    rc, found, (bad, dev, rules, files), out = misra(scratch)
    assert rc != 0, out
    twice, thrice = line_of(scratch, "PROBE_TWICE(x)"), line_of(scratch, "PROBE_THRICE(x)")
    assert (PROBE, twice, "Rule 20.7") in found, out
    assert (PROBE, thrice, "Rule 20.7") in found, out
    assert (PROBE_H, 1, "Dir 4.10") in found, out
    assert (bad, dev, files) == (3, 0, 1), out
    assert rules > 20, out
    # Each finding carries the one-line summary from docs/misra/rules.md.
    row = next(l for l in (REPO / "docs/misra/rules.md").read_text().splitlines()
               if l.startswith("| Rule 20.7 |"))
    summary = row.split("|")[3].strip()
    assert f"{PROBE}:{twice}: Rule 20.7: {summary}\n" in out, out


def test_tag_without_entry_fails(scratch):
    plant(scratch, tag=TAG)
    rc, found, (bad, dev, _, _), out = misra(scratch)
    assert rc != 0, out
    tag_line = line_of(scratch, "MISRA-DEV")
    assert (PROBE, tag_line, "MISRA-DEV") in found, out
    assert "'probe-twice' is not listed" in out, out
    # An unknown tag suppresses nothing.
    assert (PROBE, line_of(scratch, "PROBE_TWICE(x)"), "Rule 20.7") in found, out
    assert dev == 0, out


def test_deviation_suppresses_exactly_its_finding(scratch):
    plant(scratch, tag=TAG, thrice="(x * 3U)", entry=True)
    rc, found, (bad, dev, _, _), out = misra(scratch)
    assert rc != 0, out
    assert (PROBE, line_of(scratch, "PROBE_TWICE(x)"), "Rule 20.7") not in found, out
    assert (PROBE, line_of(scratch, "PROBE_THRICE(x)"), "Rule 20.7") in found, out
    assert (bad, dev) == (1, 1), out


def test_clean_with_deviation_passes(scratch):
    plant(scratch, tag=TAG, thrice="((x) * 3U)", entry=True)
    rc, found, (bad, dev, _, _), out = misra(scratch)
    assert rc == 0, out
    assert (bad, dev) == (0, 1), out


def test_entry_without_tag_is_stale(scratch):
    plant(scratch, tag="", thrice="((x) * 3U)", entry=True)
    (scratch / PROBE).write_text((scratch / PROBE).read_text()
                                 .replace("(x * 2U)", "((x) * 2U)"))
    rc, found, (bad, dev, _, _), out = misra(scratch)
    assert rc != 0, out
    assert any(f[2] == "stale" and f[0] == "docs/misra/deviations.md" for f in found), out
    assert "'probe-twice' has no MISRA-DEV tag" in out, out
