#!/usr/bin/env python3
"""File-level dependency graph of the hypervisor, read from its compiled objects.

An edge A -> B means A's object calls a function that B's object defines (with
--data, also a reference to B's variables). Layers run one way when this graph has no
loops, so the script prints its strongly connected components (sets of files
that reach each other), biggest first, and exits non-zero if there are any.

    scripts/callgraph.py O=/tmp/build            # loops of the build in /tmp/build
    scripts/callgraph.py --edges O=/tmp/build    # ... with the symbols on each edge
    scripts/callgraph.py --layers O=/tmp/build   # calls from common/ into arch/ files

Calls from common/ (or drivers/) to the hooks declared in
include/proxenos/arch/*.h are not edges: common code owns those declarations
and the architecture implements them (--no-hooks counts them anyway).

Objects are read with `nm` rather than by parsing the sources, so inline
functions and macros (which make no call) do not count, and what is counted is
what the linker sees.
"""

import argparse
import glob
import os
import re
import subprocess
import sys
from collections import defaultdict

DEFINED = set("TtDdBbRrGgSsVvWw")
CODE = set("TtWw")


def read_objects(hyp_dir, nm, calls_only=False):
    """Return {file: (defined globals, undefined)} for every object under hyp_dir."""
    objs = {}
    for root, _dirs, files in os.walk(hyp_dir):
        for name in sorted(files):
            if not name.endswith(".o"):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, hyp_dir)[: -len(".o")]
            out = subprocess.run([nm, "--defined-only", "-g", path], check=True,
                                 capture_output=True, text=True).stdout
            defined = {ln.split()[2] for ln in out.splitlines()
                       if len(ln.split()) == 3
                       and ln.split()[1] in (CODE if calls_only else DEFINED)}
            out = subprocess.run([nm, "--undefined-only", path], check=True,
                                 capture_output=True, text=True).stdout
            undefined = {ln.split()[-1] for ln in out.splitlines() if ln.strip()}
            objs[rel] = (defined, undefined)
    return objs


def read_hooks(src):
    """Names declared in include/proxenos/arch/*.h: the hooks common code calls.

    A call from common/ or drivers/ to a hook is the layering working as meant
    (the architecture implements what common code declares it needs), so it
    makes no edge; a call from common/ to anything else in arch/ does."""
    names = set()
    for h in glob.glob(os.path.join(src, "hypervisor/include/proxenos/arch/*.h")):
        with open(h, encoding="utf-8") as f:
            names.update(re.findall(r"\b[A-Za-z_][A-Za-z0-9_]*\b", f.read()))
    return names


def build_graph(objs, hooks=frozenset()):
    """Return {a: {b: [symbols]}}, a needing b's symbols."""
    owner = {}
    for f, (defined, _u) in objs.items():
        for s in defined:
            owner.setdefault(s, f)
    graph = defaultdict(lambda: defaultdict(list))
    for f, (_d, undefined) in objs.items():
        graph[f]  # every file is a node, even without edges
        for s in sorted(undefined):
            g = owner.get(s)
            if g is None or g == f:
                continue
            if s in hooks and g.startswith("arch/") and not f.startswith("arch/"):
                continue
            graph[f][g].append(s)
    return graph


def sccs(graph):
    """Tarjan's algorithm, iterative (the graph is deep enough to hit Python's recursion limit)."""
    index, low, on_stack, stack, out = {}, {}, set(), [], []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    comp.append(top)
                    if top == node:
                        break
                out.append(sorted(comp))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build", nargs="?", default="O=build",
                    help="the build directory, as O=<dir> or <dir>")
    ap.add_argument("--nm", default=os.environ.get("NM", "aarch64-linux-gnu-nm"))
    ap.add_argument("--edges", action="store_true",
                    help="list the edges inside each loop with their symbols")
    ap.add_argument("--layers", action="store_true",
                    help="list calls from common/ into arch/ (which should go through hooks)")
    ap.add_argument("--data", action="store_true",
                    help="count references to data (variables, tables, stacks) too, not only calls")
    ap.add_argument("--no-hooks", action="store_true",
                    help="count calls to the arch hooks as edges too")
    args = ap.parse_args()
    build = args.build[2:] if args.build.startswith("O=") else args.build
    hyp = os.path.join(build, "hyp")
    if not os.path.isdir(hyp):
        sys.exit(f"callgraph: no objects in {hyp}; build first")

    src = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    hooks = frozenset() if args.no_hooks else read_hooks(src)
    graph = build_graph(read_objects(hyp, args.nm, calls_only=not args.data), hooks)
    loops = sorted((c for c in sccs(graph) if len(c) > 1), key=lambda c: (-len(c), c))
    print(f"{len(graph)} files, {sum(len(v) for v in graph.values())} edges, "
          f"{len(loops)} loops")
    for comp in loops:
        print(f"loop of {len(comp)} files:")
        members = set(comp)
        for f in comp:
            print(f"  {f}")
            if args.edges:
                for g in sorted(graph[f]):
                    if g in members:
                        print(f"      -> {g}: {' '.join(graph[f][g])}")
    if args.layers:
        print("common/ -> arch/ (hooks are declared in include/proxenos/arch/):")
        for f in sorted(graph):
            if f.startswith("common/"):
                for g in sorted(graph[f]):
                    if g.startswith("arch/"):
                        print(f"  {f} -> {g}: {' '.join(graph[f][g])}")
    return 1 if loops else 0


if __name__ == "__main__":
    sys.exit(main())
