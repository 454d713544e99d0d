"""Which external commands a file runs, read from its text: shell scripts,
make recipes and Python. Made for this project's own files, which
test_setup.py holds against scripts/setup.sh's package list; not a general
shell parser.

Each finder returns {command: line of its first use}; a command is a name
(looked up on PATH) or an absolute path."""

import ast
import re

# After these words a command follows; these are syntax only.
LEADS_COMMAND = {"if", "then", "else", "elif", "do", "while", "until", "!", "{", "time"}
ENDS_COMMAND = {"fi", "done", "}", "esac"}
# Commands that run another: what of their arguments to skip before it
# (options taking a value, and positional arguments).
WRAPPERS = {
    "timeout": ({"-k", "-s", "--kill-after", "--signal"}, 1),
    "env": ({"-u", "--unset", "-C", "--chdir"}, 0),
    "exec": ({"-a"}, 0),
    "nice": ({"-n", "--adjustment"}, 0),
    "setsid": (set(), 0),
    "sudo": ({"-u", "-g"}, 0),
    "xargs": ({"-n", "-I", "-L", "-P", "-d", "-s", "-a", "-E"}, 0),
    "flock": ({"-w", "--timeout", "-E", "--conflict-exit-code"}, 1),
    "command": (set(), 0),
}
COMMAND_WORD = re.compile(r"/?[A-Za-z0-9_.+-]+(/[A-Za-z0-9_.+-]+)*")
ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
VARIABLE = re.compile(r'"?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?"?')
OPERATORS = (";;", "&&", "||", "$(", ";", "&", "|", "(", ")", "`", "\n")


def tokens(text):
    """Shell text as [(kind, text, line)], kind "word" or "op". Quotes stay
    inside their word; a $( ... ) inside double quotes is lexed as code, its
    tokens coming before the word that holds it. Comments and here-document
    bodies are dropped; $(( )) is an ordinary word."""
    out, heredocs = [], []
    i, n, line = 0, len(text), 1
    word, word_line = [], 1
    nesting = []            # open "(", "$(" and "$(" inside double quotes ("dq")

    def flush():
        if word:
            out.append(("word", "".join(word), word_line))
            word.clear()

    def add(c):
        nonlocal word_line
        if not word:
            word_line = line
        word.append(c)

    in_dq = False
    while i < n:
        c = text[i]
        if in_dq:
            if c == "\\":
                add(text[i:i + 2])
                i += 2
            elif c == '"':
                add(c)
                in_dq = False
                i += 1
            elif text.startswith("$((", i):
                j = _arith_end(text, i)
                add(text[i:j])
                i = j
            elif text.startswith("$(", i):
                out.append(("op", "$(", line))
                nesting.append("dq")
                in_dq = False
                i += 2
            else:
                line += c == "\n"
                add(c)
                i += 1
            continue
        if c == "\n" and heredocs:
            flush()
            out.append(("op", "\n", line))
            i, line = _skip_heredocs(text, i + 1, line + 1, heredocs)
            heredocs = []
            continue
        if c == "#" and not word:
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if c == "\\":
            if text[i + 1:i + 2] == "\n":
                line += 1
            else:
                add(text[i:i + 2])
            i += 2
            continue
        if c == "'":
            j = text.find("'", i + 1)
            j = n if j < 0 else j
            add(text[i:j + 1])
            line += text.count("\n", i, j + 1)
            i = j + 1
            continue
        if c == '"':
            add(c)
            in_dq = True
            i += 1
            continue
        if text.startswith("$((", i):
            j = _arith_end(text, i)
            add(text[i:j])
            i = j
            continue
        m = re.match(r"<<-?[ \t]*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\1", text[i:])
        if m:
            flush()
            heredocs.append(m.group(2))
            i += m.end()
            continue
        if c in "<>" and text[i + 1:i + 2] == "&":
            add(text[i:i + 2])
            i += 2
            continue
        if c in " \t":
            flush()
            i += 1
            continue
        op = next((o for o in OPERATORS if text.startswith(o, i)), None)
        if op:
            flush()
            if op in ("(", "$("):
                nesting.append(op)
            elif op == ")" and nesting:
                # back inside the double-quoted word that held a $( )
                in_dq = nesting.pop() == "dq"
            out.append(("op", op, line))
            line += op == "\n"
            i += len(op)
            continue
        add(c)
        i += 1
    flush()
    return out


def _arith_end(text, i):
    depth, j = 0, i + 1
    while j < len(text):
        depth += {"(": 1, ")": -1}.get(text[j], 0)
        if depth == 0:
            return j + 1
        j += 1
    return j


def _skip_heredocs(text, i, line, names):
    for name in names:
        while i < len(text):
            j = text.find("\n", i)
            j = len(text) if j < 0 else j
            body_line = text[i:j]
            i, line = j + 1, line + 1
            if body_line.strip() == name:
                break
    return i, line


def literal_variables(text):
    """NAME -> value for NAME=value and NAME=${NAME:-value} with a plain
    value, where that is NAME's only assignment: what "$NAME" stands for
    when it is run as a command."""
    assigned = re.findall(r"(?m)^[ \t]*([A-Za-z_][A-Za-z0-9_]*)=", text)
    found = {}
    for m in re.finditer(r"(?m)^[ \t]*([A-Za-z_][A-Za-z0-9_]*)="
                         r"(?:\$\{\1:-([A-Za-z0-9_./+-]+)\}|([A-Za-z0-9_./+-]+))[ \t]*$", text):
        if assigned.count(m.group(1)) == 1:     # one value, or it is not known
            found[m.group(1)] = m.group(2) or m.group(3)
    return found


def shell_commands(text):
    """Commands a shell script runs, less the functions it defines (the
    caller drops shell builtins)."""
    toks = tokens(text)
    literals = literal_variables(text)
    functions = {toks[k][1] for k in range(len(toks) - 2)
                 if toks[k][0] == "word" and toks[k + 1][1:2] == ("(",)
                 and toks[k + 2][1:2] == (")",)}
    found = {}
    expect = True           # the next word is in command position
    wrapper = None          # (options with a value, positionals left) after a wrapper
    skip_value = False
    state = "code"          # "code", "case-word" (until in), "pattern" (until ")"), "for"
    cases = 0
    for k, (kind, tok, line) in enumerate(toks):
        if state == "case-word":
            if tok == "in":
                state = "pattern"
            continue
        if state == "pattern":
            if tok == "esac":
                cases -= 1
                state = "code"
                expect = False
            elif tok == ")":
                state, expect = "code", True
            continue
        if state == "for":
            if kind == "op" and tok in (";", "\n"):
                state, expect = "code", True
            continue
        if kind == "op":
            if tok == ";;" and cases:
                state = "pattern"
            elif tok == ")" and k >= 1 and toks[k - 1][1] == "(":
                expect = True       # name() of a function definition
            else:
                expect = tok != ")"
            wrapper = None
            skip_value = False
            continue
        if not expect:
            continue
        if wrapper is not None:
            options, left = wrapper
            if skip_value:
                skip_value = False
                continue
            if tok.startswith("-"):
                skip_value = tok in options
                continue
            if ASSIGNMENT.match(tok) or re.match(r"\d*[<>]", tok):
                continue
            if left:
                wrapper = (options, left - 1)
                continue
            wrapper = None
        if tok in LEADS_COMMAND:
            continue
        if tok in ENDS_COMMAND:
            if tok == "esac":
                cases -= 1
            expect = False
            continue
        if tok == "case":
            state, cases = "case-word", cases + 1
            continue
        if tok in ("for", "select"):
            state = "for"
            continue
        if ASSIGNMENT.match(tok) or re.match(r"\d*[<>]", tok):
            continue        # VAR=value or a redirection before the command
        m = VARIABLE.fullmatch(tok)
        name = literals.get(m.group(1), "") if m else tok
        expect = False
        if not COMMAND_WORD.fullmatch(name) or name in functions:
            continue
        if "/" in name and not name.startswith("/"):
            continue        # a path into the tree, run by what precedes it
        found.setdefault(name, line)
        if name in WRAPPERS:
            expect, wrapper = True, WRAPPERS[name]
    return found


def make_variables(text):
    """NAME -> value of the first plain definition (=, :=, ?=)."""
    found = {}
    for m in re.finditer(r"(?m)^[ \t]*([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*(?::|::|\?)?=[ \t]*(.*)$", text):
        found.setdefault(m.group(1), m.group(2).strip())
    return found


def make_commands(text, variables=None):
    """Commands in make recipes (tab-led lines) and in $(shell ...). Make
    variables with plain values are expanded; the rest, function results,
    substitution references and automatic variables stand as VAR."""
    variables = make_variables(text) if variables is None else variables
    lines = []
    in_define = False
    for raw in text.replace("\\\n", " ").split("\n"):
        if re.match(r"(define|endef)\b", raw):
            in_define = raw.startswith("define")
            lines.append("")
            continue
        if in_define:           # a template for $(eval): one level of $$ is make's
            raw = raw.replace("$$", "$")
        s = re.sub(r"\$[@<^*?%]", "VAR", raw.replace("$$", "\0"))
        shells = []
        for _ in range(200):        # innermost reference or call first
            m = re.search(r"\$[({]([^()${}\s,]+)[)}]", s)
            if m:
                value = variables.get(m.group(1))
                s = s[:m.start()] + ("VAR" if value is None else value) + s[m.end():]
                continue
            m = re.search(r"\$\((\w+)[ ,]([^()$]*)\)", s)
            if not m:
                break
            if m.group(1) == "shell":
                shells.append(m.group(2))
            s = s[:m.start()] + "VAR" + s[m.end():]
        if raw.startswith("\t"):
            shells.append(re.sub(r"^\t+[@+-]*", "", s))
        lines.append("; ".join(shells).replace("\0", "$"))
    found = {}
    for name, line in shell_commands("\n".join(lines)).items():
        # A make function left whole (its arguments hold a shell $(...),
        # so the reduction above stops) reads as $(name ...) to the shell
        # reader: its body's commands are still found, the name is make's.
        if ("VAR" not in name) and (name not in MAKE_FUNCTIONS):
            found.setdefault(name, line)
    return found


# GNU make's functions, which a recipe may call around shell text; not
# those that share their name with a command (sort, dir, join, strip,
# basename, realpath, info, file, if, and, or).
MAKE_FUNCTIONS = {"foreach", "call", "eval", "let", "value", "origin", "flavor", "error",
                  "warning", "subst", "patsubst", "findstring", "filter", "filter-out",
                  "word", "words", "wordlist", "firstword", "lastword", "notdir", "suffix",
                  "addsuffix", "addprefix", "wildcard", "abspath"}


SUBPROCESS_CALLS = {"run", "Popen", "call", "check_call", "check_output"}
HELPERS = {"tool", "_run"}       # the tests' and the benchmarks' own runners


def python_commands(text):
    """Commands a Python file runs: the first element of the argument list
    given to subprocess.* (as a literal, or as a name assigned a literal in
    the same function), to the helpers tool() and _run(), and the names
    asked of shutil.which()."""
    tree = ast.parse(text)
    found = {}

    def note(node):
        if isinstance(node, (ast.List, ast.Tuple)) and node.elts:
            node = node.elts[0]
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and COMMAND_WORD.fullmatch(node.value):
            found.setdefault(node.value, node.lineno)

    def kind(call):
        f = call.func
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
            if f.value.id == "subprocess" and f.attr in SUBPROCESS_CALLS:
                return "subprocess"
            if f.value.id == "shutil" and f.attr == "which":
                return "which"
        if isinstance(f, ast.Name) and f.id in HELPERS:
            return "subprocess"
        return None

    scopes = [tree] + [n for n in ast.walk(tree)
                       if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for scope in scopes:
        assigned = {}
        for n in ast.walk(scope):
            if isinstance(n, ast.Assign) and len(n.targets) == 1 \
                    and isinstance(n.targets[0], ast.Name):
                assigned.setdefault(n.targets[0].id, []).append(n.value)
        for n in ast.walk(scope):
            if not isinstance(n, ast.Call) or not n.args or kind(n) is None:
                continue
            first = n.args[0]
            if kind(n) == "which":
                note(first)
                continue
            note(first)
            if isinstance(first, ast.Name):
                for value in assigned.get(first.id, []):
                    note(value)
    return found
