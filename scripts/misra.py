#!/usr/bin/env python3
"""`make misra`: check the hypervisor sources against the MISRA C:2012
guidelines Proxenos adopted, with cppcheck's MISRA addon.

The sources are analysed as they are compiled: the Makefile hands over the
compiler, HYP_CPPFLAGS (include paths, -D, the forced config.h) and HYP_CFLAGS,
and this script turns them into cppcheck options. The compiler's own
predefined macros (__aarch64__, __CHAR_UNSIGNED__, __SIZEOF_LONG__, ...) are
dumped once into a header cppcheck includes first, and cppcheck's platform
(type sizes, signedness of char) is written from the same macros.

What is checked comes from docs/misra/rules.md; which findings are accepted
comes from docs/misra/deviations.md and the MISRA-DEV tags in the code. See
docs/misra/README.md. Exit status: 0 clean, 1 violations, 2 the check itself
could not run.
"""

import argparse
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

RULES_DOC = "docs/misra/rules.md"
DEVIATIONS_DOC = "docs/misra/deviations.md"

# cppcheck's own (non-addon) checks that stand for an adopted guideline.
# Anything else cppcheck reports with severity "error" or "warning" is
# undefined behaviour it found (null dereference, out-of-bounds access,
# oversized shift, ...) and counts against Rule 1.3.
CORE_IDS = {
    # The file could not be analysed as compiled: Dir 2.1.
    "syntaxError": "D2.1", "unknownMacro": "D2.1", "internalAstError": "D2.1",
    "preprocessorErrorDirective": "D2.1", "cppcheckError": "D2.1",
    "internalError": "D2.1", "missingInclude": "D2.1",
    "missingIncludeSystem": "D2.1",
    "uninitvar": "R9.1", "uninitdata": "R9.1", "uninitStructMember": "R9.1",
    "missingReturn": "R17.4",
    "shadowVariable": "R5.3", "shadowArgument": "R5.3", "shadowFunction": "R5.3",
}

TAG_RE = re.compile(r"MISRA-DEV\(([RD]\d+\.\d+)\):\s*([A-Za-z0-9][A-Za-z0-9_-]*)")
GUIDELINE_RE = re.compile(r"^(Dir|Rule)\s+(\d+\.\d+)$")


def die(msg):
    print(f"misra: {msg}", file=sys.stderr)
    sys.exit(2)


def short(kind_num):
    """'Rule 8.4' -> 'R8.4', 'Dir 4.10' -> 'D4.10'."""
    m = GUIDELINE_RE.match(kind_num)
    return (m.group(1)[0] + m.group(2)) if m else None


def long_name(code):
    return ("Dir " if code[0] == "D" else "Rule ") + code[1:]


def md_rows(path):
    """The cells of every row of every Markdown table in `path`."""
    rows = []
    for lineno, line in enumerate(path.read_text().splitlines(), 1):
        s = line.strip()
        if not s.startswith("|") or re.match(r"^\|[\s:|-]+\|$", s):
            continue
        rows.append((lineno, [c.strip() for c in s.strip("|").split("|")]))
    return rows


def load_rules(src):
    """Adopted guidelines: code -> (summary, machine-checked?)."""
    path = src / RULES_DOC
    if not path.is_file():
        die(f"{RULES_DOC} is missing")
    rules = {}
    for _, cells in md_rows(path):
        code = short(cells[0]) if cells else None
        if code is None or len(cells) < 5:
            continue
        rules[code] = (cells[2], not cells[4].lower().startswith("review"))
    if not rules:
        die(f"{RULES_DOC} lists no guideline")
    return rules


def load_deviations(src):
    """Documented deviations: id -> {rule, files, line}."""
    path = src / DEVIATIONS_DOC
    if not path.is_file():
        die(f"{DEVIATIONS_DOC} is missing")
    devs = {}
    for lineno, cells in md_rows(path):
        if len(cells) < 4 or cells[0].lower() in ("id", ""):
            continue
        did, rule = cells[0].strip("`"), short(cells[1])
        if rule is None:
            die(f"{DEVIATIONS_DOC}:{lineno}: '{cells[1]}' is not 'Rule X.Y' or 'Dir X.Y'")
        files = {f.strip().strip("`") for f in cells[2].split(",") if f.strip()}
        if did in devs:
            die(f"{DEVIATIONS_DOC}:{lineno}: deviation '{did}' is listed twice")
        devs[did] = {"rule": rule, "files": files, "line": lineno, "reason": cells[3]}
    return devs


def parse_flags(cppflags):
    """HYP_CPPFLAGS -> cppcheck options (-I, -D, -U, --include)."""
    out, words = [], iter(shlex.split(cppflags))
    for w in words:
        opt = next((o for o in ("-isystem", "-iquote", "-include", "-I", "-D", "-U")
                    if w.startswith(o)), None)
        if opt is None:
            continue        # -nostdinc and the like: cppcheck never searches system paths
        arg = w[len(opt):] or next(words, "")
        if opt in ("-isystem", "-iquote", "-I"):
            out.append("-I" + str(Path(arg).resolve()))
        elif opt == "-include":
            out.append("--include=" + str(Path(arg).resolve()))
        else:
            out.append(opt + arg)
    return out


def compiler_macros(cc, cflags, outdir):
    """The compiler's predefined macros for these flags, as a header, and a
    cppcheck platform file with the matching type sizes."""
    cmd = [cc, *shlex.split(cflags), "-dM", "-E", "-x", "c", os.devnull]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as e:
        die(f"cannot run {cc}: {e}")
    if p.returncode != 0:
        die(f"{' '.join(cmd)} failed:\n{p.stderr}")
    predefs = outdir / "predefs.h"
    text = "/* Generated by scripts/misra.py: the compiler's predefined macros. */\n" + p.stdout
    if not predefs.is_file() or predefs.read_text() != text:
        predefs.write_text(text)
    m = dict(re.findall(r"^#define (\w+) (.*)$", p.stdout, re.M))

    def size(name, default):
        return int(m.get(f"__SIZEOF_{name}__", default))

    sign = "unsigned" if "__CHAR_UNSIGNED__" in m else "signed"
    plat = outdir / "platform.xml"
    text = f"""<?xml version="1.0"?>
<platform>
  <char_bit>{m.get('__CHAR_BIT__', 8)}</char_bit>
  <default-sign>{sign}</default-sign>
  <sizeof>
    <bool>1</bool>
    <short>{size('SHORT', 2)}</short>
    <int>{size('INT', 4)}</int>
    <long>{size('LONG', 8)}</long>
    <long-long>{size('LONG_LONG', 8)}</long-long>
    <float>{size('FLOAT', 4)}</float>
    <double>{size('DOUBLE', 8)}</double>
    <long-double>{size('LONG_DOUBLE', 16)}</long-double>
    <pointer>{size('POINTER', 8)}</pointer>
    <size_t>{size('SIZE_T', 8)}</size_t>
    <wchar_t>{size('WCHAR_T', 4)}</wchar_t>
  </sizeof>
</platform>
"""
    if not plat.is_file() or plat.read_text() != text:
        plat.write_text(text)
    return predefs, plat


def run_cppcheck(args, sources, outdir, subset):
    # A run over part of the files keeps its own cache, so that it does not
    # throw away the one of the full run.
    cache = outdir / ("cache-subset" if subset else "cache")
    cache.mkdir(parents=True, exist_ok=True)
    predefs, plat = compiler_macros(args.cc, args.cflags, outdir)
    report = outdir / "cppcheck.xml"
    report.unlink(missing_ok=True)
    cmd = ["cppcheck", "--quiet", f"-j{os.cpu_count() or 1}", "--language=c",
           "--std=c11", f"--platform={plat}", f"--include={predefs}",
           *parse_flags(args.cppflags),
           "--addon=misra", "--enable=style,missingInclude",
           f"--cppcheck-build-dir={cache}", "--xml", f"--output-file={report}",
           *map(str, sources)]
    if args.verbose:
        print(" ".join(shlex.quote(c) for c in cmd))
    cmd_key = " ".join(cmd)
    invalidate_stale(cache, cmd_key, sources)
    try:
        p = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as e:
        die(f"cannot run cppcheck ({e}); `make setup` installs it")
    if p.returncode != 0 or not report.is_file():
        die(f"cppcheck failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    try:
        errors = list(ET.parse(report).getroot().iter("error"))
    except ET.ParseError as e:
        die(f"cannot read {report}: {e}")
    return errors, record_deps(cache, cmd_key, sources)


def cache_names(cache):
    """cppcheck's build directory: source path -> its entry name there."""
    index = cache / "files.txt"
    if not index.is_file():
        return {}
    names = {}
    for line in index.read_text().splitlines():
        name, _, path = line.partition("::")
        if path:
            names[path] = name
    return names


def files_read(cache, name):
    """Every file cppcheck read for one source (the source, the forced
    includes and every header), from the dump it keeps; None if missing."""
    dump = cache / (name + ".dump")
    if not dump.is_file():
        return None
    seen, started = [], False
    with dump.open() as f:
        for line in f:
            m = re.match(r'\s*<file index="\d+" name="([^"]+)"/>', line)
            if m:
                seen.append(str(Path(m.group(1)).resolve()))
                started = True
            elif started:
                break
    return seen


def digest(path):
    try:
        return hashlib.sha1(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def invalidate_stale(cache, cmd_key, sources):
    """cppcheck reuses a file's cached results when its tokens did not
    change, and tokens ignore comments and blank lines, so an edit that only
    moves code reports old line numbers. Drop the cached results of every
    source whose own text or any file it read changed since the last run."""
    manifest = cache / "proxenos-deps.json"
    try:
        old = json.loads(manifest.read_text())
    except (OSError, ValueError):
        old = {}
    if old.get("command") != cmd_key:
        # Other options or another list of files (which renames cppcheck's
        # entries): start from an empty directory.
        for f in cache.iterdir():
            if f.is_file():
                f.unlink()
        return
    names = cache_names(cache)
    for src in map(str, sources):
        name = names.get(src)
        deps = old.get("sources", {}).get(src)
        if name is None or deps is None or any(digest(f) != h for f, h in deps.items()):
            for suffix in ("", ".dump", ".ctu-info"):
                (cache / ((name or "-") + suffix)).unlink(missing_ok=True)


def record_deps(cache, cmd_key, sources):
    """Remember what each source read, for invalidate_stale(); returns the
    set of every file read."""
    names = cache_names(cache)
    record, read = {}, set()
    for src in map(str, sources):
        files = files_read(cache, names[src]) if src in names else None
        if files is None:
            continue
        record[src] = {f: digest(f) for f in files}
        read.update(files)
    (cache / "proxenos-deps.json").write_text(
        json.dumps({"command": cmd_key, "sources": record}, indent=1))
    return read


def findings_from(errors, src, adopted):
    """(file, line, rule) of each adopted-guideline finding inside src/hypervisor."""
    hyp = str(src / "hypervisor") + os.sep
    out, tool_msgs = set(), []
    for e in errors:
        eid, sev = e.get("id", ""), e.get("severity", "")
        if eid.startswith("misra-c2012-"):
            rule = "R" + eid[len("misra-c2012-"):]
        elif eid in CORE_IDS:
            rule = CORE_IDS[eid]
        elif sev in ("error", "warning"):
            rule = "R1.3"
        else:
            continue        # style, performance, portability, information
        loc = e.find("location")
        if loc is None:
            # No location: cppcheck failed as a whole (e.g. the addon crashed).
            if rule == "D2.1" or sev == "error":
                tool_msgs.append(f"cppcheck: {eid}: {e.get('msg')}")
            continue
        path = str(Path(loc.get("file")).resolve())
        if not path.startswith(hyp) or rule not in adopted:
            continue
        out.add((os.path.relpath(path, src), int(loc.get("line", "0")), rule,
                 e.get("msg", "") if not eid.startswith("misra-") else ""))
    return out, tool_msgs


def guard_findings(src, read):
    """Dir 4.10: every header of ours that the sources include has an
    #ifndef/#define guard (or #pragma once) around all of its contents."""
    out = set()
    hyp = str(src / "hypervisor") + os.sep
    for h in sorted(Path(f) for f in read if f.startswith(hyp) and f.endswith(".h")):
        text = h.read_text(errors="replace")
        stripped = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
        stripped = re.sub(r"//[^\n]*", "", stripped)
        lines = [(n, l.strip()) for n, l in enumerate(stripped.splitlines(), 1) if l.strip()]
        rel = os.path.relpath(h, src)
        if lines and lines[0][1].replace(" ", "") == "#pragmaonce":
            continue
        ok = (len(lines) >= 3
              and re.match(r"#\s*ifndef\s+(\w+)$", lines[0][1])
              and re.match(r"#\s*define\s+" + re.escape(lines[0][1].split()[-1]) + r"\b",
                           lines[1][1])
              and re.match(r"#\s*endif\b", lines[-1][1]))
        if ok:
            # The closing #endif must match the opening #ifndef.
            depth = 0
            for n, l in lines:
                if re.match(r"#\s*if", l):
                    depth += 1
                elif re.match(r"#\s*endif\b", l):
                    depth -= 1
                    if depth == 0 and n != lines[-1][0]:
                        ok = False
                        break
        if not ok:
            out.add((rel, lines[0][0] if lines else 1, "D4.10", ""))
    return out


def find_tags(src):
    """Every MISRA-DEV tag under hypervisor/: (file, tag line, covered line, rule, id)."""
    tags = []
    for f in sorted((src / "hypervisor").rglob("*")):
        if f.suffix not in (".c", ".h", ".S") or not f.is_file():
            continue
        lines = f.read_text(errors="replace").splitlines()
        rel = os.path.relpath(f, src)
        for n, line in enumerate(lines, 1):
            for m in TAG_RE.finditer(line):
                block = line.rfind("/*", 0, m.start())
                start = block if block >= 0 else line.rfind("//", 0, m.start())
                if start >= 0 and line[:start].strip():
                    covered = n            # code before the comment: this line
                elif block < 0:
                    covered = n + 1        # a // comment on its own: the next line
                else:
                    # A /* */ comment on its own: the line after it closes,
                    # or its last line if code follows the "*/".
                    end, rest = n, line[m.end():]
                    while "*/" not in rest and end < len(lines):
                        end += 1
                        rest = lines[end - 1]
                    covered = end if rest.split("*/", 1)[-1].strip() else end + 1
                tags.append((rel, n, covered, m.group(1), m.group(2)))
    return tags


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--srcdir", required=True)
    ap.add_argument("--outdir", required=True, help="where cppcheck keeps its cache and report")
    ap.add_argument("--cc", required=True)
    ap.add_argument("--cppflags", default="")
    ap.add_argument("--cflags", default="")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="show the cppcheck command and every deviated finding")
    ap.add_argument("sources", nargs="+", help="the hypervisor's .c files as built")
    args = ap.parse_args()
    args.verbose = args.verbose or os.environ.get("MISRA_VERBOSE", "") not in ("", "0")

    t0 = time.monotonic()
    src = Path(args.srcdir).resolve()
    outdir = Path(args.outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    rules, devs = load_rules(src), load_deviations(src)

    sources = [Path(s).resolve() for s in args.sources if s.endswith(".c")]
    only = os.environ.get("MISRA_FILES", "").split()
    if only:
        # A subset, named relative to hypervisor/ (or the source tree).
        picked = set()
        for o in only:
            cand = [p for p in (src / "hypervisor" / o, src / o) if p.resolve() in sources]
            if not cand:
                die(f"MISRA_FILES: {o} is not one of the sources being built")
            picked.add(cand[0].resolve())
        sources = [s for s in sources if s in picked]

    errors, read = run_cppcheck(args, sources, outdir, bool(only))
    found, tool_msgs = findings_from(errors, src, rules)
    if "D4.10" in rules:
        found |= guard_findings(src, read)
    analysed = {os.path.relpath(p, src) for p in read}

    # Match the tags against the deviations file and the findings.
    problems = []   # (file, line, label, message)
    covering = {}   # (file, covered line, rule) -> deviation id
    tagged = set()
    for rel, n, covered, rule, did in find_tags(src):
        d = devs.get(did)
        if d is None:
            problems.append((rel, n, "MISRA-DEV",
                             f"deviation '{did}' is not listed in {DEVIATIONS_DOC}"))
        elif d["rule"] != rule:
            problems.append((rel, n, "MISRA-DEV",
                             f"deviation '{did}' is for {long_name(d['rule'])}, "
                             f"the tag says {long_name(rule)}"))
        elif rel not in d["files"]:
            problems.append((rel, n, "MISRA-DEV",
                             f"deviation '{did}' does not list this file "
                             f"in {DEVIATIONS_DOC}"))
        elif (rel, covered, rule) in covering:
            problems.append((rel, n, "MISRA-DEV",
                             f"line {covered} already has a {long_name(rule)} tag"))
        else:
            tagged.add(did)
            covering[(rel, covered, rule)] = (did, rel, n)

    used_tags, deviated, violations = set(), [], []
    for f in sorted(found, key=lambda x: (x[0], x[1], x[2])):
        rel, line, rule, extra = f
        hit = covering.get((rel, line, rule))
        if hit:
            used_tags.add(hit)
            deviated.append((f, hit[0]))
        else:
            msg = rules[rule][0] + (f" ({extra})" if extra else "")
            violations.append((rel, line, long_name(rule), msg))

    for key, (did, rel, n) in covering.items():
        if (did, rel, n) not in used_tags and rel in analysed:
            problems.append((rel, n, "MISRA-DEV",
                             f"tag '{did}' ({long_name(key[2])}) covers line {key[1]}, "
                             "which has no such finding: remove it or move it"))
    for did, d in devs.items():
        if did not in tagged:
            problems.append((DEVIATIONS_DOC, d["line"], "stale",
                             f"deviation '{did}' has no MISRA-DEV tag in the code: "
                             "remove the entry"))

    for rel, line, label, msg in violations + sorted(problems):
        print(f"{rel}:{line}: {label}: {msg}")
    if args.verbose:
        for (rel, line, rule, _), did in deviated:
            print(f"{rel}:{line}: {long_name(rule)}: deviation '{did}'")
    for m in tool_msgs:
        print(m)

    checked = sum(1 for _, mech in rules.values() if mech)
    bad = len(violations) + len(problems) + len(tool_msgs)
    print(f"misra: checked in {time.monotonic() - t0:.1f} s")
    print(f"MISRA: {bad} violations, {len(deviated)} deviations "
          f"({checked} rules checked, {len(sources)} files)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
