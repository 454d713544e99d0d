#!/usr/bin/python3
"""Run `make run` (or a command that ends in it) as a person at the console
would: wait for dom0's busybox shell, type a command into it, wait for the
answer, then end the run. Used by scripts/fresh-machine.sh; the console
handling is the system tests' own (tests/system/conftest.py).

    demo-check.py [--timeout S] [--log FILE] -- COMMAND...

COMMAND runs with the console on a pipe and is stopped at the end, whatever
happened (give it a process group of its own, e.g. under timeout(1), to
stop everything it started). Exits 0 when dom0's shell answered within S
seconds (default 900), else 1 with the reason.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "system"))
from conftest import ConsoleTimeout, Qemu   # noqa: E402

# What `make run` prints (Makefile RUN_SHELL, scripts/mkinitramfs.sh marker).
DOM0_INIT = r"^Proxenos demo: dom0 busybox init running$"
DOM0_SHELL = r"^shell on \S+; exit powers the domain off$"
PROMPT = r"^/ # "


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--timeout", type=float, default=900.0)
    ap.add_argument("--log", default="/dev/null")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not cmd:
        ap.error("no command")
    start = time.monotonic()
    q = Qemu([], args.log, hard_timeout=args.timeout, cmd=cmd).start()
    try:
        for pattern in (DOM0_INIT, DOM0_SHELL, PROMPT):
            q.wait_for(pattern, timeout=max(1.0, start + args.timeout - time.monotonic()))
        time.sleep(3)       # let the shell settle on its terminal, as a person would
        q.type_line(b"echo fresh-machine-$((6*7))\r", r"^fresh-machine-42$")
    except ConsoleTimeout as e:
        print(f"demo-check: {str(e).splitlines()[0]} (log: {args.log})", file=sys.stderr)
        return 1
    finally:
        q.close()
    print(f"demo-check: dom0's shell answered after {time.monotonic() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
