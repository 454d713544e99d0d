#!/usr/bin/python3
"""Where the instructions of each micro figure go: every figure of
guests/bench_micro run alone on Proxenos under QEMU's execution log, the
hypervisor's instructions per operation split into entry, dispatch,
handler and exit (docs/benchmarks.md, "Instruction breakdown").

    breakdown.py [--build DIR] [--out FILE] [--only FIG[,FIG]] [--keep DIR]

Each figure boots twice, at two loop counts; the difference of the two
runs' counts, divided by the difference of the loop counts, is one
operation (the boot, the guest's start-up and the report cancel out).
"""

import argparse
import array
import bisect
import collections
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import _BENCH as BENCH_LINE, _FREQ as BENCH_FREQ   # noqa: E402
from machine import REPO, Guest, Hypervisor, boot, guest_lines   # noqa: E402

# figure: (bootarg of its loop count, the two counts). bench_micro times
# calls in batches of 64 (one warm-up call besides), so counts that are
# multiples of 64 differ by exactly their difference in operations.
FIGURES = {
    "null_hypercall": ("iters", 128, 384),
    "smccc_psci_version": ("iters", 128, 384),
    "mmio_uartfr": ("iters", 128, 384),
    "vtimer_latency_spin": ("rounds", 24, 72),
    "vtimer_latency_wfi": ("rounds", 24, 72),
}
PHASES = ("entry", "dispatch", "handler", "exit")
HYP_BASE = 0xa0000000000        # the hypervisor's link address (proxenos.lds.S)

# The phase of each function on a guest exit's path. An address belongs to
# the innermost function of its inline chain (addr2line -i) found here, so
# a helper inlined into a listed function (esr_ec, current_vcpu) takes that
# function's phase; anything with no listed function at all is "handler",
# the operation's own work.
PHASE_OF = {}
# entry: from the exception to the C code's first decision: the vector
# (with the mitigated tables' Spectre-BHB loop), the register save in
# entry.S, and the state the exit leaves behind that must be read back
# before anything is decided (timer line, list registers in use).
PHASE_OF.update(dict.fromkeys((
    "hyp_vectors", "hyp_vectors_bhb_loop8", "hyp_vectors_bhb_loop24",
    "hyp_vectors_bhb_loop32", "hyp_vectors_bhb_clrbhb", "hyp_vectors_fw_wa1",
    "hyp_vectors_fw_wa3", "guest64_sync", "guest64_sync_full", "guest64_irq",
    "guest64_fiq", "guest64_serror", "guest32_sync", "guest32_irq", "el2h_irq",
    "el2h_sync", "vtimer_sync", "vgic_sync_lrs", "vgic_sync_lrs_nokick", "sync_lrs",
    "sync_one"), "entry"))
# dispatch: reading the syndrome and routing to the code that does the
# work: the fast path's class test, the trap table, the HVC immediate and
# hypercall number, the data abort's decode and its MMIO region lookup,
# the interrupt controller's acknowledge and the IRQ's handler lookup.
PHASE_OF.update(dict.fromkeys((
    "guest_sync_fast", "fast_call", "guest_sync_finish", "guest_trap", "do_trap",
    "read_syndrome", "hvc_call", "xen_hypercall", "smccc_call", "trap_hvc", "trap_smc",
    "hypercall_dispatch", "lookup", "trap_dabt", "trap_dabt_fast", "emulate",
    "mmio_insn_from_syndrome", "domain_find_mmio", "abort_ipa", "gic_handle_irq"),
    "dispatch"))
# handler: named where it is inlined into a dispatch function, which would
# otherwise claim it (the default covers everything else).
PHASE_OF.update(dict.fromkeys((
    "vsmccc_handle", "do_xen_version", "vpl011_mmio_read", "vpl011_read",
    "trap_wfx"), "handler"))
# exit: from the work's end back to the guest: softirq checks (and the
# softirqs run there), the IOREQ completion check, the upcall and list
# register flush, the register restore and ERET in entry.S (with
# guest64_sync_loaded, the fast path's load of x19-x28: its first three
# instructions, the test for it, also run on the way to the full path).
PHASE_OF.update(dict.fromkeys((
    "exit_is_quiet", "softirq_pending", "leave_to_guest", "ioreq_mmio_complete",
    "evtchn_upcall_resample", "evtchn_upcall_settled", "vgic_flush_lrs", "offer",
    "pick_key", "wanted_state", "irq_idle", "choose_private", "choose_shared",
    "nothing_busy", "vgic_lrs_settled", "guest64_sync_fast_ret", "guest64_sync_loaded",
    "guest64_sync_ret", "guest64_irq_ret",
    "guest64_fiq_ret", "guest64_serror_ret", "guest32_sync_ret", "guest32_irq_ret",
    "el2h_irq_ret", "el2h_sync_ret", "guest_enter"), "exit"))

# Called from more than one phase (the list register sync on the way in
# and an injection in the handler both change an interrupt's state; locks
# and memset are everywhere): their instructions count in the phase of
# whatever ran last before them, as the trace gives it in order.
SHARED = frozenset((
    "vgic_lock", "vgic_unlock", "vgic_get_irq", "vgic_irq_changed", "vgic_kick_send",
    "vcpu_kick", "vgic_irq_is_pending", "vgic_irq_is_deliverable", "vgic_lr_read",
    "vgic_lr_write", "vgic_lr_count", "arch_irq_save", "arch_irq_restore", "spin_lock",
    "spin_unlock", "memset", "memcpy", "raise_softirq", "arch_cpu_id", "current_vcpu"))

_IN_INSN = re.compile(r"^0x([0-9a-f]+):\s")
_TRACE = re.compile(r"^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/")


def read_trace(lines, stop_pc=None):
    """(blocks, executed) from QEMU's -d exec,nochain,in_asm log: blocks[i]
    the instruction addresses of a translated block (its "IN:" listing),
    executed the indices of the blocks run, in order (one "Trace" line
    each, naming the block by its first pc: the latest translation of that
    pc, since the log is read in the order it was written). Reading stops
    at the first run of stop_pc after the hypervisor has run (before that
    the same address may be boot code at its physical address)."""
    block_at = {}
    blocks = []
    executed = array.array("I")
    current = None
    hyp_ran = False
    for line in lines:
        if line.startswith("Trace"):
            m = _TRACE.match(line)
            if m:
                pc = int(m.group(1), 16)
                if pc == stop_pc and hyp_ran:
                    break
                hyp_ran = hyp_ran or pc >= HYP_BASE
                i = block_at.get(pc)
                if i is not None:
                    executed.append(i)
        elif line.startswith("IN:"):
            current = []
        elif current is not None:
            m = _IN_INSN.match(line)
            if m:
                current.append(int(m.group(1), 16))
            elif not line.strip() and current:
                block_at[current[0]] = len(blocks)
                blocks.append(current)
                current = None
    return blocks, executed


def nm_symbols(elf):
    """[(address, name)] of the code symbols, sorted (local labels too:
    entry.S's guest64_sync_* mark where its phases change)."""
    out = subprocess.run(["aarch64-linux-gnu-nm", "-n", str(elf)], capture_output=True,
                         text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW" and not parts[2].startswith("$"):
            syms.append((int(parts[0], 16), parts[2]))
    return sorted(syms)


def inline_chains(elf, addrs):
    """{address: [innermost function, ..., outermost]} from the ELF's debug
    information; addresses it knows nothing of (assembly) are left out."""
    addrs = sorted(addrs)
    if not addrs:
        return {}
    out = subprocess.run(["aarch64-linux-gnu-addr2line", "-e", str(elf), "-a", "-f", "-i"],
                         input="".join(f"{a:#x}\n" for a in addrs), capture_output=True,
                         text=True, check=True).stdout
    chains, cur = {}, None
    lines = out.splitlines()
    # -a prints the address, then a function line and a file:line line per level.
    i = 0
    while i < len(lines):
        if lines[i].startswith("0x"):
            cur = int(lines[i], 16)
            chains[cur] = []
            i += 1
            continue
        name = lines[i].strip()
        if cur is not None and name != "??":
            chains[cur].append(name)
        i += 2
    return {a: c for a, c in chains.items() if c}


def symbol_of(symbols, addr):
    i = bisect.bisect_right(symbols, (addr, "\uffff")) - 1
    return symbols[i][1] if i >= 0 else "?"


def phase_of(chain):
    """The phase of an address whose functions are chain (innermost first):
    None for a shared function's own code (the caller's phase)."""
    for name in chain:
        if name in PHASE_OF:
            return PHASE_OF[name]
        if name in SHARED:
            return None
    return "handler"


def tally(blocks, executed, is_hyp, symbols, chains=None):
    """(instructions per phase, per function) of a read_trace() result;
    instructions outside the hypervisor are the phase and function
    "guest". A function is the nm symbol an instruction is in (the
    out-of-line function); chains (inline_chains()) refine the phase within
    it."""
    chains = chains or {}
    phase_at, func_at = {}, {}
    # Each block as runs of (phase, count) and its functions, worked out once.
    shape = []
    for addrs in blocks:
        runs, funcs = [], collections.Counter()
        for a in addrs:
            if is_hyp(a):
                if a not in phase_at:
                    sym = symbol_of(symbols, a)
                    chain = list(chains.get(a, []))
                    if not chain or chain[-1] != sym:
                        chain.append(sym)
                    phase_at[a], func_at[a] = phase_of(chain), sym
                ph, fn = phase_at[a], func_at[a]
            else:
                ph, fn = "guest", "guest"
            funcs[fn] += 1
            if runs and runs[-1][0] == ph:
                runs[-1][1] += 1
            else:
                runs.append([ph, 1])
        shape.append((tuple((p, n) for p, n in runs), funcs))
    phases = collections.Counter()
    times = collections.Counter(executed)
    # Only blocks with shared code depend on what ran before them.
    current = "handler"
    for i in executed:
        for ph, n in shape[i][0]:
            if ph is None:
                phases[current] += n
            else:
                phases[ph] += n
                if ph != "guest":
                    current = ph
    funcs = collections.Counter()
    for i, n in times.items():
        for fn, k in shape[i][1].items():
            funcs[fn] += k * n
    return phases, funcs


def per_op(first, second, ops):
    """Counter difference of two runs, per operation."""
    return {k: (second.get(k, 0) - first.get(k, 0)) / ops for k in set(first) | set(second)}


def bench_figure(output):
    """{figure: (iters, ticks)} and the counter frequency from a console."""
    found, freq = {}, None
    for line in guest_lines(output, 1):
        if m := BENCH_FREQ.match(line):
            freq = int(m.group(1))
        elif m := BENCH_LINE.match(line):
            found[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    return found, freq


def traced_run(build, fig, arg, n, trace):
    """Boot bench_micro alone running fig with arg=n under the execution
    log; its console."""
    hyp = Hypervisor("proxenos", build / "proxenos.bin")
    guest = Guest(build / "guests" / "bench_micro.bin", bootargs=f"mode=micro only={fig} {arg}={n}")
    return boot(hyp, [guest], icount=True, timeout=600,
                qemu_args=["-d", "exec,nochain,in_asm", "-D", str(trace)]).output


def measure(build, fig, tmp, keep=None):
    """One figure's breakdown: a dict of per-operation counts and notes.
    keep: a directory the traces and consoles are moved to, and read from
    instead of booting when they are there already (for work on this
    script; the ELF must be the one they were traced with)."""
    arg, n1, n2 = FIGURES[fig]
    elf = build / "proxenos.elf"
    symbols = nm_symbols(elf)
    # Counting ends where the guest reports the figure: what comes after
    # (printing, shutdown, whatever runs until QEMU is killed and the
    # log's unwritten tail) would not cancel between the two runs.
    report = [a for a, name in nm_symbols(build / "guests" / "bench_micro.elf")
              if name == "report"]
    if not report:
        raise RuntimeError("no symbol report in bench_micro.elf")
    is_hyp = lambda a: a >= HYP_BASE  # noqa: E731
    runs = []
    for n in (n1, n2):
        trace = Path(keep or tmp) / f"{fig}-{n}.log"
        console = trace.with_suffix(".console")
        if keep and trace.is_file() and console.is_file():
            out = console.read_text()
        else:
            out = traced_run(build, fig, arg, n, trace)
            if keep:
                console.write_text(out)
        with open(trace, errors="replace") as fh:
            blocks, executed = read_trace(fh, report[0])
        if not keep:
            trace.unlink()
        hyp_addrs = {a for b in blocks for a in b if is_hyp(a)}
        runs.append(tally(blocks, executed, is_hyp, symbols, inline_chains(elf, hyp_addrs))
                    + (out,))
    (p1, f1, out1), (p2, f2, out2) = runs
    ops = n2 - n1
    phases, funcs = per_op(p1, p2, ops), per_op(f1, f2, ops)
    guest = phases.pop("guest", 0.0)
    funcs.pop("guest", None)
    hyp = sum(phases.values())
    found, freq = bench_figure(out2)
    note = "" if fig in found else f"no BENCH {fig} line"
    printed = None
    if fig in found and freq:
        iters, ticks = found[fig]
        printed = ticks * 1e9 / freq / iters
    return {"figure": fig, "hyp": hyp, "guest": guest, "phases": phases,
            "funcs": funcs, "printed": printed, "ops": (arg, n1, n2), "note": note}


def render(rows):
    """The markdown table of measure()'s results."""
    md = ["| Figure | Hyp instructions / op | Entry | Dispatch | Handler | Exit | "
          "Guest / op | Figure printed (ns) | Top 5 functions (instructions / op) |",
          "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        top = sorted(((v, k) for k, v in r["funcs"].items() if v >= 0.5), reverse=True)[:5]
        printed = "" if r["printed"] is None else f"{r['printed']:,.1f}"
        md.append(f"| {r['figure']} | {r['hyp']:,.1f} | "
                  + " | ".join(f"{r['phases'].get(p, 0.0):,.1f}" for p in PHASES)
                  + f" | {r['guest']:,.1f} | {printed} | "
                  + ", ".join(f"{k} {v:,.1f}" for v, k in top) + " |")
    notes = [f"{r['figure']}: {r['note']}" for r in rows if r.get("note")]
    if notes:
        md += ["", "Notes: " + "; ".join(notes) + "."]
    return "\n".join(md) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.environ.get("PROXENOS_BUILD", REPO / "build"))
    ap.add_argument("--out", help="write the table to this file too")
    ap.add_argument("--only", default="", help="comma-separated figures")
    ap.add_argument("--keep", help="keep the trace logs (~120 MB each) and consoles in this "
                    "directory, and reuse those found there instead of booting")
    args = ap.parse_args()
    build = Path(args.build)
    figs = [f for f in args.only.split(",") if f] or list(FIGURES)
    unknown = [f for f in figs if f not in FIGURES]
    if unknown:
        ap.error(f"unknown figure(s) {', '.join(unknown)}; known: {', '.join(FIGURES)}")
    for f in (build / "proxenos.elf", build / "proxenos.bin", build / "guests" / "bench_micro.bin",
              build / "guests" / "bench_micro.elf"):
        if not f.is_file():
            ap.error(f"missing {f}: run `make all guests`")
    rows = []
    with tempfile.TemporaryDirectory(prefix="pxn-breakdown-") as tmp:
        for fig in figs:
            r = measure(build, fig, tmp, args.keep)
            print(f"breakdown: {fig}: {r['hyp']:.1f} hypervisor + {r['guest']:.1f} guest "
                  f"instructions per op (figure printed: {r['printed']})", flush=True)
            rows.append(r)
    md = render(rows)
    print(md)
    if args.out:
        Path(args.out).write_text(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
