#!/usr/bin/env python3
"""List the functions a host unit test defines in place of the hypervisor's.

A test either links the real code it calls or a shared fake of it
(tests/unit/**/fake_*.c, tests/unit/fake_arch/): docs/testing.md. This
reads every other C file and header under tests/unit (the tests, their
environments and helpers), finds the functions each defines with external
linkage, and prints those whose name a header under hypervisor/ declares,
one per line as "path:line: name", then "stand-ins: N". Exit status 1 when
N is not 0.

Usage: unit-stand-ins.py [SRCDIR]   (default: the repository above this script)

Not a C parser: comments, literals and preprocessor lines are blanked, and
what stands at brace depth 0 between one ';' or '}' and the next '{' or ';'
is taken as a declaration; a one-parameter macro whose body defines the
function its argument names (a test's "RECORDER(do_x_op)") counts as a
definition wherever it is used. That is enough for the project's own style
(one declaration per statement, no K&R definitions)."""

import re
import sys
from pathlib import Path

# What may stand before '(' in a declarator without being its name.
NOT_NAMES = {
    "if", "for", "while", "switch", "return", "sizeof", "void", "char", "short",
    "int", "long", "float", "double", "signed", "unsigned", "_Bool", "bool",
    "const", "volatile", "__attribute__", "_Static_assert", "static_assert",
    "__typeof__", "typeof", "_Alignas", "_Generic", "defined",
}
NAME_BEFORE_PAREN = re.compile(r"\b([A-Za-z_]\w*)\s*\(")


def blank(text):
    """text with comments, string and character literals and preprocessor
    lines replaced by spaces (newlines kept, so line numbers stay)."""
    out = []
    i, n = 0, len(text)
    at_line_start = True
    while i < n:
        c = text[i]
        if at_line_start and c == "#":
            # A directive, with its continuation lines.
            while i < n and text[i] != "\n":
                if text[i] == "\\" and i + 1 < n and text[i + 1] == "\n":
                    out.append(" \n")
                    i += 2
                    continue
                out.append(" ")
                i += 1
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
            continue
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i))
            i = end
            continue
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j]) + c)
            i = j + 1
            continue
        out.append(c)
        if c == "\n":
            at_line_start = True
        elif not c.isspace():
            at_line_start = False
        i += 1
    return "".join(out)


def top_level(text):
    """(statement, offset of its start, what ended it) for each stretch of
    text at brace depth 0 that ends with ';' or '{'."""
    depth = 0
    start = 0
    for i, c in enumerate(text):
        if c == "{":
            if depth == 0:
                yield text[start:i], start, "{"
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                start = i + 1
        elif c == ";" and depth == 0:
            yield text[start:i], start, ";"
            start = i + 1


def matching_open(s, close):
    """Index of the '(' that the ')' at s[close] closes (-1: none)."""
    depth = 0
    for i in range(close, -1, -1):
        if s[i] == ")":
            depth += 1
        elif s[i] == "(":
            depth -= 1
            if depth == 0:
                return i
    return -1


def without_attributes(s):
    """s without its __attribute__((...)) groups."""
    while True:
        m = re.search(r"\b__attribute__\s*\(", s)
        if m is None:
            return s
        depth, i = 0, m.end() - 1
        while i < len(s):
            depth += {"(": 1, ")": -1}.get(s[i], 0)
            if depth == 0:
                break
            i += 1
        s = s[:m.start()] + " " + s[i + 1:]


def declaration(stmt):
    """(name, what stands before it) when stmt ends with a function
    declarator, else None. Macro invocations before it (a test's
    RECORDER(x) lines) are cut off: the head starts after the last ')'."""
    s = without_attributes(stmt).rstrip()
    if not s.endswith(")") or re.match(r"\s*typedef\b", s):
        return None
    at = matching_open(s, len(s) - 1)
    if at <= 0:
        return None
    m = re.search(r"([A-Za-z_]\w*)\s*$", s[:at])
    if m is None or m.group(1) in NOT_NAMES:
        return None     # "(*fp)(...)", a cast, a keyword
    head = s[:m.start()]
    head = head[head.rfind(")") + 1:]
    if "=" in head or not re.search(r"\w", head):
        return None     # an initializer, or a macro invocation alone
    return m.group(1), head


def declared(path):
    """Names of the functions a header declares (or defines inline)."""
    text = blank(path.read_text(encoding="utf-8", errors="replace"))
    names = set()
    for stmt, _, _ in top_level(text):
        found = declaration(stmt)
        if found is not None:
            names.add(found[0])
    return names


def definer_macros(raw):
    """Function-like macros of one parameter whose body defines a function
    named by it ("#define RECORDER(fn) long fn(...) { ... }")."""
    joined = raw.replace("\\\n", " ")
    macros = set()
    for m in re.finditer(r"^\s*#\s*define\s+(\w+)\(\s*(\w+)\s*\)(.*)$", joined, re.M):
        if re.search(r"\b%s\s*\([^;{]*\)\s*\{" % re.escape(m.group(2)), m.group(3)):
            macros.add(m.group(1))
    return macros


def definitions(path):
    """(name, line) of each function path defines with external linkage,
    written out or through a macro of definer_macros()."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    text = blank(raw)
    macros = definer_macros(raw)
    found = []
    for stmt, start, end in top_level(text):
        for macro in macros:
            for m in re.finditer(r"\b%s\s*\(\s*(\w+)\s*\)" % re.escape(macro), stmt):
                found.append((m.group(1), text.count("\n", 0, start + m.start(1)) + 1))
        if end != "{":
            continue
        decl = declaration(stmt)
        if decl is None or re.search(r"\bstatic\b", decl[1]):
            continue
        at = start + stmt.rfind(decl[0] + "(") if (decl[0] + "(") in stmt else start
        found.append((decl[0], text.count("\n", 0, at) + 1))
    return found


def is_fake(path, unit):
    rel = path.relative_to(unit)
    return rel.parts[0] == "fake_arch" or path.name.startswith("fake_")


def main(argv):
    src = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    hyp = src / "hypervisor"
    unit = src / "tests" / "unit"
    hyp_names = set()
    for header in sorted(hyp.rglob("*.h")):
        hyp_names |= declared(header)
    stand_ins = []
    for path in sorted(unit.rglob("*.[ch]")):
        if is_fake(path, unit):
            continue
        for name, line in definitions(path):
            if name in hyp_names:
                stand_ins.append(f"{path.relative_to(src)}:{line}: {name}")
    for s in stand_ins:
        print(s)
    print(f"stand-ins: {len(stand_ins)}")
    return 1 if stand_ins else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
