"""One benchmark boot: QEMU's own device tree plus /chosen xen,domain nodes
(Xen 4.17's dom0less bindings), then the same scripts/qemu.sh command line
for either hypervisor, read until every guest has said it is done or the
run's timeout has passed (the run is always killed at the end)."""

import os
import re
import select
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QEMU_SH = REPO / "scripts" / "qemu.sh"
FIRST_MODULE = 0x50000000       # clear of both hypervisors and QEMU's DTB
MODULE_ALIGN = 0x00200000
XEN_ARGS = "console=dtuart dtuart=/pl011@9000000 guest_loglvl=all"


class RunError(Exception):
    """A boot that did not produce what the scenario waits for. output: the
    console bytes read until then, when the error comes from reading it."""

    def __init__(self, message, output=None):
        super().__init__(message)
        self.output = output


@dataclass
class Guest:
    image: Path
    memory_mib: int = 32
    cpus: int = 1
    bootargs: str = ""
    ramdisk: Path = None
    extra: list = field(default_factory=list)     # more dts property lines


@dataclass
class Hypervisor:
    name: str                   # "xen" or "proxenos"
    image: Path


def _run(cmd, timeout=60):
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise RunError(f"{' '.join(map(str, cmd))} failed: {p.stderr[-2000:]}")
    return p.stdout


def _module(kind, addr, size, bootargs):
    args = f'\n\t\t\t\tbootargs = "{bootargs}";' if bootargs else ""
    return (f"\n\t\t\tmodule@{addr:x} {{\n"
            f'\t\t\t\tcompatible = "multiboot,{kind}", "multiboot,module";\n'
            f"\t\t\t\treg = <0x0 {addr:#x} 0x0 {size:#x}>;{args}\n\t\t\t}};")


def boot_dtb(work, guests, smp, mem, hyp_args, dom0=None, fixed_seeds=False, chosen_extra=""):
    """Write work/boot.dtb; return the QEMU -device loader arguments. dom0
    (a Guest) puts its kernel and ramdisk straight under /chosen, as
    guest-loader does for Xen's dom0. fixed_seeds: QEMU's random /chosen
    rng-seed and kaslr-seed (which reach dom0) become the same constants on
    every run. chosen_extra: more dts text for /chosen (xen,cpupool nodes)."""
    virt = work / "virt.dtb"
    _run(["sh", QEMU_SH, "--pipe", "--no-image", "--smp", smp, "--mem", mem, "--append", "",
          "--dumpdtb", virt], timeout=30)
    dts = _run(["dtc", "-q", "-I", "dtb", "-O", "dts", virt])
    if fixed_seeds:
        dts = re.sub(r"(\brng-seed = <)[^>]*>", r"\g<1>" + " ".join(
            f"{0x5eed0000 + i:#x}" for i in range(8)) + ">", dts)
        dts = re.sub(r"(\bkaslr-seed = <)[^>]*>", r"\g<1>0x5eed 0x5eed>", dts)
    nodes, loaders, addr = [], [], FIRST_MODULE
    if dom0 is not None:
        files = [("kernel", Path(dom0.image), dom0.bootargs)]
        if dom0.ramdisk:
            files.append(("ramdisk", Path(dom0.ramdisk), ""))
        for kind, path, args in files:
            size = path.stat().st_size
            nodes.append(_module(kind, addr, size, args).replace("\n\t\t\t", "\n\t\t"))
            loaders += ["-device", f"loader,file={path},addr={addr:#x},force-raw=on"]
            addr += (size + MODULE_ALIGN - 1) // MODULE_ALIGN * MODULE_ALIGN
    for i, g in enumerate(guests, 1):
        mods = ""
        files = [("kernel", Path(g.image), g.bootargs)]
        if g.ramdisk:
            files.append(("ramdisk", Path(g.ramdisk), ""))
        for kind, path, args in files:
            size = path.stat().st_size
            mods += _module(kind, addr, size, args)
            loaders += ["-device", f"loader,file={path},addr={addr:#x},force-raw=on"]
            addr += (size + MODULE_ALIGN - 1) // MODULE_ALIGN * MODULE_ALIGN
        extra = "".join(f"\n\t\t\t{line}" for line in g.extra)
        nodes.append(f"""
\t\tdomU{i} {{
\t\t\tcompatible = "xen,domain";
\t\t\t#address-cells = <0x2>;
\t\t\t#size-cells = <0x2>;
\t\t\tmemory = <0x0 {g.memory_mib * 1024:#x}>;
\t\t\tcpus = <{g.cpus}>;
\t\t\tvpl011;{extra}{mods}
\t\t}};""")
    dts += f"""
/ {{
\tchosen {{
\t\txen,xen-bootargs = "{hyp_args}";
\t\t#address-cells = <0x2>;
\t\t#size-cells = <0x2>;
{chosen_extra}
{''.join(nodes)}
\t}};
}};
"""
    (work / "boot.dts").write_text(dts)
    _run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", work / "boot.dtb", work / "boot.dts"])
    return loaders


@dataclass
class Result:
    output: str
    seconds: float
    command: str


def boot(hyp, guests, *, smp=1, mem="2G", icount=True, until=r"BENCH end", count=None,
         timeout=120, keys=(), hyp_args=XEN_ARGS, log=None, dom0=None, qemu_args=(),
         fixed_seeds=False, chosen_extra=""):
    """Boot `guests` on `hyp`; stop once `until` matched `count` times (one per
    guest by default), then send each of `keys` (debug keys) and wait for the
    console to settle. qemu_args are passed to QEMU as they are. Raises
    RunError on a timeout or an early QEMU exit."""
    count = len(guests) if count is None else count
    with tempfile.TemporaryDirectory(prefix="pxn-bench-") as tmp:
        work = Path(tmp)
        loaders = boot_dtb(work, guests, smp, mem, hyp_args, dom0, fixed_seeds, chosen_extra)
        args = ["sh", str(QEMU_SH), "--pipe", "--image", str(hyp.image), "--smp", str(smp),
                "--mem", mem, "--append", "", "--dtb", str(work / "boot.dtb")]
        if icount:
            args.append("--icount")
        args += ["--", *qemu_args, *loaders]
        cmd = " ".join(args)
        start = time.monotonic()
        proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True)
        out = b""
        pattern = re.compile(until.encode(), re.M)
        try:
            out = _read_until(proc, out, lambda o: len(pattern.findall(o)) >= count,
                              start + timeout)
            if keys and hyp.name == "xen":
                out = _input_to_xen(proc, out, start + timeout)
            for key in keys:
                proc.stdin.write(key.encode())
                proc.stdin.flush()
                out = _settle(proc, out, min(start + timeout, time.monotonic() + 5))
        except RunError as e:
            text = (e.output if e.output is not None else out).decode(errors="replace")
            if log:
                Path(log).write_text(f"# {cmd}\n{text}")
            raise RunError(f"{hyp.name}: {e}; last output:\n{text[-1500:]}") from None
        finally:
            _kill(proc)
        text = out.decode(errors="replace")
        if log:
            Path(log).write_text(f"# {cmd}\n{text}")
        return Result(text, time.monotonic() - start, cmd)


def _read_until(proc, out, done, deadline):
    fd = proc.stdout.fileno()
    while not done(out):
        left = deadline - time.monotonic()
        if left <= 0:
            raise RunError("timed out", out)
        ready, _, _ = select.select([fd], [], [], min(left, 0.5))
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                raise RunError(f"QEMU exited ({proc.wait()})", out)
            out += chunk
    return out


def _input_to_xen(proc, out, deadline):
    """Xen starts with console input on dom0 (absent here); each Ctrl-a x3
    moves it to the next domain, then to Xen itself."""
    switch = re.compile(rb"Serial input to (\S+)")
    for _ in range(40):
        seen = switch.findall(out)
        if seen and seen[-1] == b"Xen":
            return out
        proc.stdin.write(b"\x01\x01\x01")
        proc.stdin.flush()
        out = _settle(proc, out, min(deadline, time.monotonic() + 3))
    raise RunError("console input never reached Xen", out)


def _settle(proc, out, deadline):
    """Read until the console has been quiet for 1 s (or the deadline)."""
    fd = proc.stdout.fileno()
    quiet_since = time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - quiet_since < 1.0:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            out += chunk
            quiet_since = time.monotonic()
    return out


def _kill(proc):
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait(timeout=10)
    proc.stdout.close()
    proc.stdin.close()


def guest_lines(output, domid):
    """The lines guest `domid` printed, without the hypervisor's (dN) prefix."""
    # Proxenos: "(d1) text"; Xen 4.17 (vpl011 of a dom0less domU): "(XEN) DOM1: text"
    pre = re.compile(rf"^(?:\(d{domid}\) ?|\(XEN\) DOM{domid}: ?)(.*?)\r?$")
    return [m.group(1) for m in map(pre.match, output.splitlines()) if m]
