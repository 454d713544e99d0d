"""System-test harness: boot QEMU through scripts/qemu.sh, read the serial
console, assert on it.

Every run is bounded twice: each wait has its own timeout, and a watchdog
kills QEMU after a hard limit whatever the test does. Each run's console is
kept in $PROXENOS_BUILD/systest-logs/<test>[-<label>].log, headed by the
QEMU command line and ended by how the run finished.

Environment:
  PROXENOS_BUILD          build directory holding proxenos.bin (default <repo>/build)
  PROXENOS_CACHE          where scripts/setup.sh put the guest binaries
  PROXENOS_TIMEOUT_SCALE  multiply every timeout (slow machines), default 1
"""

import ctypes
import os
import re
import shlex
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("PROXENOS_BUILD", REPO / "build")).resolve()
IMAGE = BUILD / "proxenos.bin"
LOGDIR = BUILD / "systest-logs"
QEMU_SH = REPO / "scripts" / "qemu.sh"
CACHE = Path(os.environ.get("PROXENOS_CACHE",
                            Path(os.environ.get("HOME", "/root")) / ".cache" / "proxenos"))
SCALE = float(os.environ.get("PROXENOS_TIMEOUT_SCALE", "1"))

# Console contract lines (see docs/testing.md).
BOOT_COMPLETE = r"^\(PXN\) Boot complete: (?P<n>\d+) CPUs online, entering idle loop$"
STD_APPEND = "console=dtuart dtuart=/pl011@9000000"


def scaled(seconds):
    return seconds * SCALE


class ConsoleTimeout(AssertionError):
    """A wait on the console did not see what it waited for."""


def _die_with_parent():
    # QEMU must not outlive the test process, even if pytest is killed.
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    except OSError:
        pass


class Qemu:
    """One QEMU run: start, wait_for(regex), send(bytes), expect_exit, close."""

    def __init__(self, qemu_sh_args, log_path, hard_timeout=60.0, env=None, cmd=None):
        # cmd: another launcher that ends up running scripts/qemu.sh, e.g.
        # `make run` under timeout(1) (tests/system/test_demo.py).
        self.cmd = ([*map(str, cmd)] if cmd else
                    ["sh", str(QEMU_SH), "--pipe", *map(str, qemu_sh_args)])
        self.log_path = Path(log_path)
        self.hard_timeout = scaled(hard_timeout)
        self.env = env
        self.proc = None
        self.pos = 0                # console offset the next wait_for starts from
        self.killed_by_watchdog = False
        self._buf = bytearray()
        self._eof = False
        self._cond = threading.Condition()
        self._reader = None
        self._watchdog = None
        self._log = None

    # -- life cycle -----------------------------------------------------
    def start(self):
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "wb")
        self._log.write(b"# " + shlex.join(self.cmd).encode() + b"\n")
        self._log.flush()
        env = dict(os.environ, PROXENOS_BUILD=str(BUILD))
        if self.env:
            env.update(self.env)
        self.proc = subprocess.Popen(
            self.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, env=env, preexec_fn=_die_with_parent)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._watchdog = threading.Timer(self.hard_timeout, self._expire)
        self._watchdog.daemon = True
        self._watchdog.start()
        return self

    def _read(self):
        fd = self.proc.stdout.fileno()
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                chunk = b""
            with self._cond:
                if not chunk:
                    self._eof = True
                    self._cond.notify_all()
                    return
                self._buf += chunk
                self._cond.notify_all()
            self._log.write(chunk)
            self._log.flush()

    def _expire(self):
        if self.proc.poll() is None:
            self.killed_by_watchdog = True
            self.proc.kill()

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def close(self):
        """Stop QEMU (always), finish the log. Safe to call twice."""
        if self.proc is None:
            return
        if self._watchdog:
            self._watchdog.cancel()
        how = None
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            how = "killed by the harness at the end of the test"
        if self._reader:
            self._reader.join(timeout=5)
        if self.proc.stdin:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        if self._log and not self._log.closed:
            if self.killed_by_watchdog:
                how = f"killed by the watchdog after {self.hard_timeout:g} s"
            elif how is None:
                how = f"QEMU exited with status {self.proc.returncode}"
            self._log.write(f"\n# {how}\n".encode())
            self._log.close()

    # -- console ----------------------------------------------------------
    @property
    def output(self):
        """Everything the console printed so far, as text with \\n line ends."""
        with self._cond:
            data = bytes(self._buf)
        return data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "")

    def pxn_lines(self):
        """The hypervisor's lines, without the "(PXN) " prefix."""
        return [line[6:] for line in self.output.split("\n") if line.startswith("(PXN) ")]

    def _describe(self, what):
        tail = "\n".join(self.output.rstrip("\n").split("\n")[-40:])
        state = ("still running" if self.running()
                 else f"exited with status {self.proc.returncode}"
                 + (" (watchdog)" if self.killed_by_watchdog else ""))
        return (f"{what}\nQEMU {state}; log: {self.log_path}\n"
                f"--- last console lines ---\n{tail}\n---")

    def _lines_for(self, rx, text):
        """The text a pattern may match in: a pattern that ends in `$` wants
        a whole line, so while QEMU runs it sees only the lines whose
        newline has come; else `$` would match at the end of a line still
        arriving and a greedy group take half of it. Other patterns (a
        shell prompt, which has no newline) see everything."""
        if self._eof or not rx.pattern.endswith("$"):
            return text
        return text[:text.rfind("\n") + 1]

    def _wait(self, found, timeout, what):
        deadline = time.monotonic() + scaled(timeout)
        with self._cond:
            while True:
                text = bytes(self._buf).decode("utf-8", "replace") \
                    .replace("\r\n", "\n").replace("\r", "")
                result = found(text)
                if result is not None:
                    return result
                if self._eof:
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(min(left, 0.5))
        if self._eof:
            # The console closes a moment before the process is reaped:
            # reap it so running() and the exit status are settled.
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        reason = "QEMU stopped" if self._eof else f"timed out after {scaled(timeout):g} s"
        raise ConsoleTimeout(self._describe(f"{reason} waiting for {what}"))

    def wait_for(self, pattern, timeout=20):
        """Wait until `pattern` (a regex, multiline: ^ and $ match at line
        boundaries) appears after the previous match; return the match."""
        rx = re.compile(pattern, re.M)

        def found(text):
            m = rx.search(self._lines_for(rx, text), self.pos)
            if m:
                self.pos = m.end()
            return m
        return self._wait(found, timeout, repr(pattern))

    def wait_for_all(self, patterns, timeout=20):
        """Wait until every pattern appears after the previous match, in any
        order; return the matches and move past the last of them."""
        rxs = [re.compile(p, re.M) for p in patterns]

        def found(text):
            ms = [rx.search(self._lines_for(rx, text), self.pos) for rx in rxs]
            if all(ms):
                self.pos = max(m.end() for m in ms)
                return ms
            return None
        return self._wait(found, timeout, "all of " + ", ".join(map(repr, patterns)))

    def expect_absent(self, pattern, within=1.0):
        """Give the console `within` seconds (or until QEMU stops) and assert
        `pattern` never appeared anywhere in it."""
        rx = re.compile(pattern, re.M)
        deadline = time.monotonic() + scaled(within)
        with self._cond:
            while not self._eof and time.monotonic() < deadline:
                self._cond.wait(max(0.0, min(0.2, deadline - time.monotonic())))
        m = rx.search(self.output)
        if m:
            raise AssertionError(self._describe(f"unexpected {m.group(0)!r}"))

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def dump_state(self, keys="qer", settle=10.0):
        """After a hang: switch the console input to the hypervisor (three
        Ctrl-A, as on Xen) and press debug keys, so the log says what each
        domain, port and CPU was doing. Nothing is asserted."""
        if self._eof:
            return
        try:
            self.send(b"\x01\x01\x01" + keys.encode())
        except OSError:
            return
        deadline = time.monotonic() + settle
        with self._cond:
            while not self._eof and time.monotonic() < deadline:
                self._cond.wait(max(0.0, min(0.2, deadline - time.monotonic())))

    def type_line(self, line, expect, timeout=20, tries=4):
        """Type line into a Linux console and wait for expect. A key that
        reaches a busybox shell while it still opens its terminal is read
        only with the next one (a domain's console ring is read when its
        interrupt fires): press Enter again while nothing came."""
        self.send(line)
        for _ in range(tries - 1):
            try:
                return self.wait_for(expect, timeout=timeout)
            except ConsoleTimeout:
                if self._eof:
                    raise
                self.send(b"\r")
        return self.wait_for(expect, timeout=timeout)

    def expect_exit(self, timeout=20):
        """Wait for QEMU to exit by itself; return its exit status."""
        try:
            rc = self.proc.wait(timeout=scaled(timeout))
        except subprocess.TimeoutExpired:
            raise ConsoleTimeout(self._describe(
                f"QEMU still running after {scaled(timeout):g} s")) from None
        if self._reader:
            self._reader.join(timeout=5)
        if self.killed_by_watchdog:
            raise ConsoleTimeout(self._describe("QEMU was killed by the watchdog"))
        return rc


def _log_name(node_name, label, index):
    base = re.sub(r"[^A-Za-z0-9_.\[\]=-]+", "_", node_name)
    if label:
        base += "-" + re.sub(r"[^A-Za-z0-9_.=-]+", "_", label)
    elif index:
        base += f"-{index}"
    return base + ".log"


def pytest_sessionstart(session):
    # Logs describe the latest session only.
    if LOGDIR.is_dir():
        for old in LOGDIR.glob("*.log"):
            old.unlink()


@pytest.fixture
def qemu(request):
    """Factory: qemu(*qemu_sh_args, label=None, hard_timeout=60, cmd=None)
    starts a run. Every run is closed (QEMU killed if still alive) when the
    test ends."""
    runs = []

    def launch(*args, label=None, hard_timeout=60.0, env=None, cmd=None):
        log = LOGDIR / _log_name(request.node.name, label, len(runs))
        run = Qemu(list(args), log, hard_timeout=hard_timeout, env=env, cmd=cmd)
        runs.append(run)
        return run.start()

    yield launch
    for run in runs:
        run.close()


@pytest.fixture
def hypervisor(qemu):
    """Factory booting build/proxenos.bin:
    hypervisor(smp=1, mem="512M", append=STD_APPEND, args=(), qemu_args=(), label=None)."""
    if not IMAGE.is_file():
        pytest.fail(f"no hypervisor image at {IMAGE}: run `make` (or set PROXENOS_BUILD)")

    def boot(smp=1, mem="512M", append=STD_APPEND, args=(), qemu_args=(), label=None,
             hard_timeout=60.0):
        sh_args = ["--image", IMAGE, "--smp", smp, "--mem", mem, "--append", append, *args]
        if qemu_args:
            sh_args += ["--", *qemu_args]
        return qemu(*sh_args, label=label, hard_timeout=hard_timeout)
    return boot


@pytest.fixture(scope="session")
def tool():
    """Run a host tool; fail the test with its output if it fails."""
    def run(*cmd, timeout=120, cwd=None, check=True):
        p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True,
                           timeout=scaled(timeout), cwd=cwd)
        if check and p.returncode != 0:
            pytest.fail(f"{shlex.join(map(str, cmd))} failed ({p.returncode}):\n"
                        f"{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
        return p
    return run


@pytest.fixture
def dumpdtb(tool, tmp_path):
    """dumpdtb(smp, mem, append=None) -> path of QEMU's own device tree for
    that machine (dumped by QEMU, which then exits)."""
    def dump(smp=1, mem="512M", append="", name="virt.dtb"):
        out = tmp_path / name
        tool("sh", QEMU_SH, "--pipe", "--image", IMAGE, "--smp", smp, "--mem", mem,
             "--append", append, "--dumpdtb", out, timeout=30)
        assert out.is_file(), "QEMU did not dump its device tree"
        return out
    return dump
