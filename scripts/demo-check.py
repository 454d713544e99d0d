#!/usr/bin/python3
"""Run `make run` (or a command that ends in it) as a person at the console
would: wait for dom0's busybox shell, type a command into it, wait for the
answer, then end the run. Used by scripts/fresh-machine.sh.

    demo-check.py [--timeout S] [--log FILE] -- COMMAND...

COMMAND runs in a session of its own with the console on a pipe; the whole
session is killed at the end, whatever happened. Exits 0 when dom0's shell
answered within S seconds (default 600), else 1 with the reason.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import threading
import time

# What `make run` prints (Makefile RUN_SHELL, scripts/mkinitramfs.sh marker).
DOM0_INIT = r"^Proxenos demo: dom0 busybox init running$"
DOM0_SHELL = r"^shell on \S+; exit powers the domain off$"
PROMPT = r"^/ # "
COMMAND = b"echo fresh-machine-$((6*7))\r"
ANSWER = r"^fresh-machine-42$"


class Console:
    def __init__(self, cmd, log):
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.log = log
        self.buf = bytearray()
        self.eof = False
        self.pos = 0
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        fd = self.proc.stdout.fileno()
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                chunk = b""
            with self.cond:
                if not chunk:
                    self.eof = True
                else:
                    self.buf += chunk
                self.cond.notify_all()
            if not chunk:
                return
            self.log.write(chunk)
            self.log.flush()

    def text(self):
        return bytes(self.buf).decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "")

    def wait_for(self, pattern, deadline):
        """Wait for pattern after the previous match; True once seen."""
        rx = re.compile(pattern, re.M)
        with self.cond:
            while True:
                m = rx.search(self.text(), self.pos)
                if m:
                    self.pos = m.end()
                    return True
                left = deadline - time.monotonic()
                if self.eof or left <= 0:
                    return False
                self.cond.wait(min(left, 0.5))

    def send(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def kill(self):
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()


def check(console, deadline):
    """None when dom0's shell answered, else what was missing."""
    for what, pattern in (("dom0's init", DOM0_INIT), ("dom0's shell", DOM0_SHELL),
                          ("dom0's prompt", PROMPT)):
        if not console.wait_for(pattern, deadline):
            return f"no {what} ({pattern!r})"
    time.sleep(3)       # let the shell settle on its terminal, as a person would
    console.send(COMMAND)
    # A key that reaches dom0 while its shell still opens the terminal is
    # read with the next one: press Enter again if no answer came.
    for _ in range(4):
        step = min(deadline, time.monotonic() + 20)
        if console.wait_for(ANSWER, step):
            return None
        if time.monotonic() >= deadline or console.eof:
            break
        console.send(b"\r")
    return f"dom0's shell did not answer {COMMAND.decode().strip()!r}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--log", default=os.devnull)
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not cmd:
        ap.error("no command")
    start = time.monotonic()
    with open(args.log, "wb") as log:
        console = Console(cmd, log)
        try:
            missing = check(console, start + args.timeout)
        finally:
            console.kill()
    took = time.monotonic() - start
    if missing:
        state = "the run ended" if console.eof else f"after {took:.0f} s"
        print(f"demo-check: {missing}: {state} (log: {args.log})", file=sys.stderr)
        return 1
    print(f"demo-check: dom0's shell answered after {took:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
