#!/usr/bin/python3
"""`make bench`: the same scenarios under Proxenos and under Debian's Xen
4.17, with the same QEMU command shape, the same dom0less device tree and
the same guest binaries; a table of figures (docs/benchmarks.md).

    bench.py [--quick] [--build DIR] [--out DIR] [--only KEY[,KEY]] [--skip-determinism]
             [--breakdown]

--breakdown appends breakdown.py's table (Proxenos's instructions per
micro operation by phase, ~5 min more) to the report.
"""

import argparse
import functools
import os
import shutil
import subprocess
import tempfile
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import (VDISK_BACKENDS, VDISK_CFG, VDISK_DOMU_CFG, VDISK_IMAGES,   # noqa: E402
                     XL_COMMANDS, XL_STEP_TIMEOUT, Bench, Value, per_op_ns, vdisk_commands)
from figures import _BENCH as BENCH_LINE, _FREQ as BENCH_FREQ   # noqa: E402
from machine import QEMU_SH, REPO, Hypervisor, RunError   # noqa: E402
import report                             # noqa: E402
from registry import FIGURES, PLOTS, SHARES   # noqa: E402

CACHE = Path(os.environ.get("PROXENOS_CACHE", Path.home() / ".cache" / "proxenos"))


def die(msg):
    print(f"bench: {msg}", file=sys.stderr)
    sys.exit(2)


def bare_micro(build, mode, timeout):
    """bench_micro in `mode`, entered directly at EL1 by QEMU (no hypervisor),
    under -icount."""
    cmd = ["sh", str(QEMU_SH), "--pipe", "--no-virt", "--icount", "--mem", "512M",
           "--image", str(build / "guests" / "bench_micro.bin"), "--append", f"mode={mode}"]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def guest_prefix_ticks(build):
    """Counter ticks from reset to guest_main of bench_micro on bare QEMU:
    the guest's own start-up, subtracted from the reset-relative figures so
    they end at the guest's first instruction."""
    p = bare_micro(build, "boot", 60)
    for line in p.stdout.splitlines():
        if line.startswith("BENCH guest_main cntpct="):
            return int(line.split()[2].split("=")[1])
    die(f"bare-QEMU start-up run printed no counter:\n{p.stdout[-1000:]}{p.stderr[-1000:]}")


# Each micro figure's floor on this machine: the same operation with no
# hypervisor, bench_micro mode=limit on bare QEMU at EL1 (a hypercall's is
# an SVC to the guest's own EL1 and back through a vector that only returns).
LIMIT_OF = {"null_hypercall": "svc_el1", "smccc_psci_version": "svc_el1",
            "mmio_uartfr": "mmio_uartfr", "vtimer_latency_spin": "vtimer_latency_spin",
            "vtimer_latency_wfi": "vtimer_latency_wfi"}


def physical_limits(build):
    """{figure key: Value in ns} from one -icount run of bench_micro on bare QEMU."""
    p = bare_micro(build, "limit", 120)
    found, freq = {}, None
    for line in p.stdout.splitlines():
        if m := BENCH_FREQ.match(line):
            freq = int(m.group(1))
        elif m := BENCH_LINE.match(line):
            found[m.group(1)] = (int(m.group(2)), int(m.group(3)), int(m.group(4)))
    if freq is None:
        return {f"{k}@1": Value(None, "the bare-QEMU run printed no frequency")
                for k in LIMIT_OF}
    return {f"{k}@1": per_op_ns(found, v, freq) for k, v in LIMIT_OF.items()}


def breakdown_section(build):
    """breakdown.py's table as a report section. Its own boots (traced,
    two per figure), so the plain run's time and figures do not change."""
    import breakdown
    with tempfile.TemporaryDirectory(prefix="pxn-breakdown-") as tmp:
        rows = [breakdown.measure(build, fig, tmp) for fig in breakdown.FIGURES]
    return ("\n## Proxenos instructions per operation by phase\n\n"
            "`bench/breakdown.py`, QEMU's execution log (docs/benchmarks.md, "
            "\"Instruction breakdown\").\n\n" + breakdown.render(rows))


def make_initrd(build):
    """busybox initramfs whose /init prints CNTVCT first (bench/initrd/)."""
    out = build / "bench"
    out.mkdir(parents=True, exist_ok=True)
    reader, init, initrd = out / "cntvct", out / "init", out / "initramfs.cpio.gz"
    src = REPO / "bench" / "initrd" / "cntvct.c"
    # Kept between runs: cpio/gzip metadata would otherwise move the Linux figure a little.
    if initrd.is_file() and initrd.stat().st_mtime >= src.stat().st_mtime:
        return initrd
    _static(src, reader)
    init.write_text("#!/bin/busybox sh\n/bin/cntvct\necho BENCH-INIT-REACHED\n"
                    "/bin/busybox poweroff -f\n")
    if not (CACHE / "busybox" / "busybox").is_file():
        return None
    subprocess.run(["sh", str(REPO / "scripts" / "mkinitramfs.sh"), "--init", str(init),
                    "--add", f"{reader}:/bin/cntvct", str(initrd)], check=True, timeout=120,
                   capture_output=True)
    return initrd


def _static(src, out):
    subprocess.run(["aarch64-linux-gnu-gcc", "-static", "-nostdlib", "-ffreestanding",
                    "-fno-stack-protector", "-O2", "-Wall", "-Wextra", "-Werror",
                    "-o", str(out), str(src)], check=True, timeout=60)


def make_toolstack_initrd(build):
    """The toolstack dom0 (scripts/mkinitramfs-toolstack.sh) running the xl
    scenario's commands (figures.XL_COMMANDS), with cntvct and firstline:
    (image, None), or (None, why it could not be built)."""
    out = build / "bench"
    out.mkdir(parents=True, exist_ok=True)
    image = out / "dom0-toolstack-xl.cpio.gz"
    for need in (CACHE / "toolstack" / "root" / "usr" / "lib" / "xen-4.17" / "bin" / "xl",
                 CACHE / "busybox" / "busybox", CACHE / "linux" / "Image"):
        if not need.is_file():
            return None, f"no {need}: run scripts/setup.sh"
    commands = out / "xl-commands"
    # The step timeout goes into the image too: it is part of what is compared.
    text = f"# --timeout {XL_STEP_TIMEOUT}\n" + "".join(c + "\n" for c in XL_COMMANDS)
    sources = [REPO / p for p in ("bench/initrd/cntvct.c", "bench/initrd/firstline.c",
                                  "scripts/mkinitramfs-toolstack.sh", "scripts/mkinitramfs.sh",
                                  "tools/dom0/init", "tools/examples/debian-domu.cfg")]
    sources += [CACHE / "toolstack" / "version", CACHE / "linux" / "Image"]
    # Kept between runs (as the Linux initramfs) unless something it holds changed.
    if (image.is_file() and commands.is_file() and commands.read_text() == text
            and all(image.stat().st_mtime >= f.stat().st_mtime for f in sources if f.exists())):
        return image, None
    commands.write_text(text)
    _static(REPO / "bench" / "initrd" / "cntvct.c", out / "cntvct")
    _static(REPO / "bench" / "initrd" / "firstline.c", out / "firstline")
    p = subprocess.run(["sh", str(REPO / "scripts" / "mkinitramfs-toolstack.sh"),
                        "--commands", str(commands), "--timeout", str(XL_STEP_TIMEOUT),
                        "--add", f"{out / 'cntvct'}:/bin/cntvct",
                        "--add", f"{out / 'firstline'}:/bin/firstline", str(image)],
                       timeout=300, capture_output=True, text=True)
    if p.returncode != 0:
        image.unlink(missing_ok=True)
        why = (p.stderr.strip().splitlines() or ["(no message)"])[-1]
        return None, f"mkinitramfs-toolstack.sh failed: {why}"
    return image, None


def make_vdisk_initrd(build):
    """The toolstack dom0 for the virtio disk scenario (figures.VDISK_*):
    the back ends there are (xen-troops' virtio-disk from
    scripts/build-virtio-disk.sh's cache, our virtio-blk-backend from `make
    tools`), the domU's kernel and initramfs (bench/initrd/vdisk-init,
    diskbench, the kernel's virtio_mmio and virtio_blk) and its xl config:
    (image, [(prefix, program)], None), or (None, [], why)."""
    out = build / "bench"
    out.mkdir(parents=True, exist_ok=True)
    programs = {"virtio-disk": CACHE / "virtio-disk" / "virtio-disk",
                "virtio-blk-backend": build / "tools" / "virtio-blk-backend"}
    backends = [(pre, prog) for pre, prog in VDISK_BACKENDS if programs[prog].is_file()]
    if not backends:
        return None, [], (f"no back end: neither {programs['virtio-disk']} "
                          "(scripts/build-virtio-disk.sh) nor "
                          f"{programs['virtio-blk-backend']} (make tools)")
    modules = CACHE / "sysroot-arm64" / "domu"
    for need in (CACHE / "toolstack" / "root" / "usr" / "lib" / "xen-4.17" / "bin" / "xl",
                 CACHE / "busybox" / "busybox", CACHE / "linux" / "Image",
                 modules / "etc" / "proxenos" / "modules"):
        if not need.is_file():
            return None, [], f"no {need}: run scripts/setup.sh"
    _static(REPO / "bench" / "initrd" / "diskbench.c", out / "diskbench")
    domu = out / "vdisk-domu.cpio.gz"
    subprocess.run(["sh", str(REPO / "scripts" / "mkinitramfs.sh"),
                    "--init", str(REPO / "bench" / "initrd" / "vdisk-init"),
                    "--tree", str(modules), "--add", f"{out / 'diskbench'}:/bin/diskbench",
                    str(domu)], check=True, timeout=120, capture_output=True)
    cfg = out / "vdisk-domu.cfg"
    cfg.write_text(VDISK_DOMU_CFG)
    commands = out / "vdisk-commands"
    commands.write_text("".join(c + "\n" for c in vdisk_commands(backends)))
    image = out / "dom0-vdisk.cpio.gz"
    adds = [f"{programs[prog]}:/usr/bin/{prog}" for _, prog in backends]
    adds += [f"{CACHE / 'linux' / 'Image'}:{VDISK_IMAGES}/Image",
             f"{domu}:{VDISK_IMAGES}/initramfs.cpio.gz", f"{cfg}:{VDISK_CFG}"]
    p = subprocess.run(["sh", str(REPO / "scripts" / "mkinitramfs-toolstack.sh"), "--no-domu",
                        "--commands", str(commands), "--timeout", str(XL_STEP_TIMEOUT),
                        *[a for add in adds for a in ("--add", add)], str(image)],
                       timeout=300, capture_output=True, text=True)
    if p.returncode != 0:
        why = (p.stderr.strip().splitlines() or ["(no message)"])[-1]
        return None, [], f"mkinitramfs-toolstack.sh failed: {why}"
    return image, backends, None


def share_run(bench, share):
    """The scenario of one SHARES entry (registry.py)."""
    name, sched, _, params, promised, kw = share
    return lambda: bench.sched_share(name, sched, params, promised, **kw)


def scenarios(bench, quick, initrd, xl, vdisk=(False, None, [], "not asked for")):
    """(label, deterministic, callable) in run order. xl: (wanted, the
    toolstack dom0 image or None, why there is none); vdisk: (wanted, its
    dom0 image or None, its back ends, why there is no image)."""
    s = [("micro1", True, lambda: bench.micro(1)),
         ("yield", True, bench.vcpu_switch),
         ("build256", True, lambda: bench.domain_build(256)),
         ("micro4", True, lambda: bench.micro(4))]
    if not quick:
        s += [("micro16", True, lambda: bench.micro(16)),
              ("build64", True, lambda: bench.domain_build(64)),
              ("build512", True, lambda: bench.domain_build(512)),
              ("build4096", True, lambda: bench.domain_build(4096))]
        # Scheduler shares: ~20 s a boot; not in the quick set.
        s += [(f"share_{share[0]}", share[5].get("icount", True), share_run(bench, share))
              for share in SHARES]
        # A null or RTDS pool's guest beside a busy Pool-0, and alone.
        s += [(f"pool_{sched}_{'busy' if busy else 'alone'}", False,
               functools.partial(bench.pool_latency, sched, busy))
              for sched in ("null", "rtds") for busy in (False, True)]
    s += [("ioreq", True, bench.ioreq_read),
          ("memory", True, bench.idle_memory),
          ("evtchn", False, lambda: bench.evtchn(1 if quick else 3))]
    if initrd is not None:
        s += [("linux", True, lambda: bench.linux(initrd)),
              # dom0 drives QEMU's own devices (its RTC reads host time), so
              # two runs may differ by a few instructions: not checked.
              ("linux_dom0", False, lambda: bench.linux_dom0(initrd))]
        if not quick:
            # Host time (two pCPUs): the median of three boots.
            s += [("linux_dom0_smp", False,
                   lambda: bench.linux_dom0(initrd, vcpus=4, pcpus=2, runs=3))]
    if xl[0]:
        # Not in the quick set: two toolstack boots of 15 to 35 s each.
        # Runs differ by up to ~0.1 % (docs/benchmarks.md): a median, unchecked.
        s += [("xl", False, lambda: bench.xl_lifecycle(xl[1], xl[2], 1 if quick else 3))]
    if vdisk[0]:
        # Not in the quick set: one toolstack boot of ~2 to 4 min (two domUs).
        # -icount, but dom0's RTC and xenstore timing move it a little: unchecked.
        s += [("vdisk", False, lambda: bench.virtio_disk(vdisk[1], vdisk[3], vdisk[2]))]
    return s


def measure(hyp, args, build, initrd, xl, prefix, logdir, vdisk):
    bench = Bench(hyp, build, args.quick, logdir, CACHE)
    bench.prefix_ticks = prefix
    values, repeats, failures = {}, [], []
    for label, det, fn in scenarios(bench, args.quick, initrd, xl, vdisk):
        if args.only and label not in args.only:
            continue
        t0 = time.monotonic()
        try:
            got = fn()
        except (RunError, subprocess.TimeoutExpired) as e:
            failures.append(f"{hyp.name} {label}: {str(e).splitlines()[0]}")
            print(f"  {hyp.name:8} {label:10} FAILED: {str(e).splitlines()[0]}", flush=True)
            continue
        values.update(got)
        print(f"  {hyp.name:8} {label:10} {time.monotonic() - t0:5.1f} s  "
              + ", ".join(f"{k}={v}" for k, v in got.items()), flush=True)
        # Determinism: a -icount figure must repeat exactly. Quick runs check micro1 only.
        if det and not args.skip_determinism and (not args.quick or label == "micro1"):
            again = fn()
            for k, v in got.items():
                same = (v.value == again[k].value) if k in again else False
                repeats.append((hyp.name, k, v, again.get(k, Value(None, "missing")), same))
    return values, repeats, failures


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--build", default=os.environ.get("PROXENOS_BUILD", REPO / "build"))
    ap.add_argument("--out", default=REPO / "bench" / "results")
    ap.add_argument("--only", default="", help="comma-separated scenario labels")
    ap.add_argument("--skip-determinism", action="store_true")
    ap.add_argument("--breakdown", action="store_true",
                    help="append the per-phase instruction table (bench/breakdown.py)")
    args = ap.parse_args()
    args.only = [x for x in args.only.split(",") if x]
    build, out = Path(args.build), Path(args.out)

    xen = CACHE / "xen" / "xen-4.17-arm64"
    if not xen.is_file():
        die(f"no Xen 4.17 image at {xen}: run `make setup` (scripts/setup.sh fetches "
            f"Debian's xen-hypervisor-4.17-arm64 there)")
    pxn = build / "proxenos.bin"
    for f in (pxn, build / "guests" / "bench_micro.bin"):
        if not f.is_file():
            die(f"missing {f}: run `make all guests`")

    t_start = time.monotonic()
    # Private copies: a rebuild during the run must not change the figures.
    frozen = Path(tempfile.mkdtemp(prefix="pxn-bench-img-"))
    xen = Path(shutil.copy(xen, frozen / "xen-4.17-arm64"))
    pxn = Path(shutil.copy(pxn, frozen / "proxenos.bin"))
    logdir = out / "logs"
    logdir.mkdir(parents=True, exist_ok=True)
    initrd = make_initrd(build)
    # The xl scenario is in the full set, or asked for by --only.
    want_xl = "xl" in args.only if args.only else not args.quick
    xl = (want_xl, *(make_toolstack_initrd(build) if want_xl else (None, "not asked for")))
    want_vdisk = "vdisk" in args.only if args.only else not args.quick
    vdisk = ((want_vdisk, *make_vdisk_initrd(build)) if want_vdisk
             else (False, None, [], "not asked for"))
    prefix = guest_prefix_ticks(build)
    limits = physical_limits(build)
    print(f"bench: guest start-up before guest_main (bare QEMU): {prefix} ticks", flush=True)

    results, repeats, failures = {}, [], []
    for hyp in (Hypervisor("xen", xen), Hypervisor("proxenos", pxn)):
        vals, reps, fails = measure(hyp, args, build, initrd, xl, prefix, logdir, vdisk)
        results[hyp.name] = vals
        repeats += reps
        failures += fails

    # Static figure: image sizes.
    results["xen"]["image_size"] = Value(xen.stat().st_size / 1024)
    results["proxenos"]["image_size"] = Value(pxn.stat().st_size / 1024)

    shutil.rmtree(frozen, ignore_errors=True)
    elapsed = time.monotonic() - t_start
    md = report.render(FIGURES, results, repeats, failures, args.quick, elapsed, limits)
    out.mkdir(parents=True, exist_ok=True)
    print(md)
    plots = report.plot(PLOTS, results, out)
    md += report.plots_section(plots)
    if args.breakdown:
        md += breakdown_section(build)
    (out / "latest.md").write_text(md)
    print(f"bench: wrote {out / 'latest.md'} ({len(plots)} plots) in {elapsed:.0f} s")
    bad = [r for r in repeats if not r[4]]
    if bad:
        for hyp, k, a, b, _ in bad:
            print(f"bench: NOT DETERMINISTIC: {hyp} {k}: {a} then {b}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
