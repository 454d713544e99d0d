"""The benchmark scenarios: what each boots, and how its console output
becomes figures. A figure is a number (lower is better) or None with the
reason it could not be measured on that hypervisor."""

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from machine import XEN_ARGS, Guest, RunError, boot, guest_lines

_BENCH = re.compile(r"^BENCH (\S+) iters=(\d+) ticks=(\d+) ret=(-?\d+)$")
_NA = re.compile(r"^BENCH (\S+) n/a (.*)$")
_MAIN = re.compile(r"^BENCH guest_main cntpct=(\d+) cntvct=(\d+) mem=(\d+)$")
_FREQ = re.compile(r"^BENCH freq hz=(\d+)$")
XEN_ENOSYS = -38
# The ARINC 653 share scenario's major frame (us).
A653_FRAME_US = 10000
# A guest's property that puts it in the pool pool1_dts() describes.
IN_POOL1 = "domain-cpupool = <&pool1>;"


def pool1_dts(sched):
    """/chosen text for a boot-time cpupool (Xen's xen,cpupool binding) of
    CPU 1 with scheduler sched, labelled pool1."""
    return (f'\t\tpool1: pool1 {{ compatible = "xen,cpupool"; '
            f'cpupool-cpus = <&{{/cpus/cpu@1}}>; cpupool-sched = "{sched}"; }};')


@dataclass
class Value:
    value: float = None         # None: not measured
    why: str = ""               # reason when None, or a note on the value

    def __str__(self):
        return "n/a" if self.value is None else f"{self.value:.1f}"


@dataclass
class Figure:
    key: str
    title: str
    unit: str
    deterministic: bool = True  # -icount: must repeat exactly
    target: float = None        # wanted Proxenos/Xen ratio, at most
    note: str = ""
    values: dict = field(default_factory=dict)      # hypervisor name -> Value
    promised: float = None      # what the algorithm promises: distances shown, not a ratio
    higher: bool = False        # higher is better (throughput): target is a ratio at least


def ticks_to_ns(ticks, freq):
    return ticks * 1e9 / freq


def parse_guest(output, domid):
    """{figure: (iters, ticks, ret) or why-string}, guest_main tuple, freq."""
    found, main, freq = {}, None, None
    for line in guest_lines(output, domid):
        if m := _BENCH.match(line):
            found[m[1]] = (int(m[2]), int(m[3]), int(m[4]))
        elif m := _NA.match(line):
            found[m[1]] = m[2]
        elif m := _MAIN.match(line):
            main = (int(m[1]), int(m[2]), int(m[3]))
        elif m := _FREQ.match(line):
            freq = int(m[1])
    return found, main, freq


def per_op_ns(found, key, freq):
    got = found.get(key)
    if got is None:
        return Value(None, "no result printed")
    if isinstance(got, str):
        return Value(None, got)
    iters, ticks, _ = got
    return Value(ticks_to_ns(ticks, freq) / iters)


# The toolstack dom0's commands (bench/bench.py puts them in its image):
# the counter before xl create -c, the first line of the domU's console as
# it comes out of xl's console client (bench/initrd/firstline.c runs xl,
# reads the counter then, and detaches xl with Ctrl-] once the domU's init
# is up), then the counter around xl destroy.
XL_CFG = "/etc/xen/debian-domu.cfg"
XL_DOMU = "debian-domu"
XL_DOMU_INIT = "Proxenos demo: xl domU busybox init running"
XL_COMMANDS = [
    "printf 'XLBENCH create-start '; /bin/cntvct; "
    f"/bin/firstline '{XL_DOMU_INIT}' /usr/sbin/xl create -c {XL_CFG}",
    "xl list",
    "printf 'XLBENCH destroy-start '; /bin/cntvct; "
    f"xl destroy {XL_DOMU}; s=$?; "
    "printf 'XLBENCH destroy-end '; /bin/cntvct; echo \"XLBENCH destroy-status $s\"",
    "xl list",
    # The build alone: xl create -p returns once the domain is built and
    # left paused. xl create -c's figure holds a fixed second on top of
    # this, which xl's console child sleeps before attaching (xl_vmcontrol.c).
    "printf 'XLBENCH build-start '; /bin/cntvct; "
    f"xl create -p {XL_CFG}; s=$?; "
    "printf 'XLBENCH build-end '; /bin/cntvct; echo \"XLBENCH build-status $s\"",
    f"xl destroy {XL_DOMU}",
]
XL_FIGURES = ("xl_create", "xl_destroy", "xl_build")
XL_DOM0_MIB = 512
# dom0's RTC (QEMU's PL031) counts virtual time from a fixed date instead of
# reading the host's clock.
XL_QEMU_ARGS = ["-rtc", "base=2025-01-01T00:00:00,clock=vm"]
# One boot took 12 to 35 s of host time on the 2-core host (the whole boot,
# dom0's start-up included); QEMU is killed after XL_TIMEOUT s. dom0's /init
# kills a command after XL_STEP_TIMEOUT s of its own (virtual) time: xl
# create to the domU's init takes about 2 s of it.
XL_TIMEOUT = 600
XL_STEP_TIMEOUT = 120
_XL = re.compile(r"^XLBENCH (create-start|destroy-start|destroy-end|build-start|build-end) "
                 r"CNTVCT (\d+)\s*$", re.M)
_XL_FIRST = re.compile(r"^XLBENCH first-line cntvct=(\d+) text=(.*?)\r?$", re.M)
_XL_ERR = re.compile(r"^(libxl: error: .*?|xl: .*?)\r?$", re.M)


def ticks_to_ms(ticks, freq=62.5e6):
    return ticks * 1e3 / freq


def _xl_timed(out, stamps, step, what):
    """The time of one timed xl command whose status line says 0."""
    status = re.search(rf"^XLBENCH {step}-status (\d+)", out, re.M)
    if f"{step}-start" in stamps and f"{step}-end" in stamps and status and status[1] == "0":
        return Value(ticks_to_ms(stamps[f"{step}-end"] - stamps[f"{step}-start"]))
    return Value(None, f"{what} failed (status {status[1] if status else 'not printed'})")


def parse_xl(out):
    """xl_create, xl_destroy, xl_build (ms) from the toolstack dom0's console."""
    stamps = {m[1]: int(m[2]) for m in _XL.finditer(out)}
    first = _XL_FIRST.search(out)
    res = {}
    if "create-start" in stamps and first:
        res["xl_create"] = Value(ticks_to_ms(int(first[1]) - stamps["create-start"]),
                                 f"first line: {first[2].strip()}")
    else:
        # What xl create said, up to the status line of its command.
        said = re.split(r"^dom0-toolstack: status", out.split("XLBENCH create-start", 1)[-1],
                        maxsplit=1, flags=re.M)[0]
        errors = _XL_ERR.findall(said)
        why = ("xl create failed: " + errors[0].strip() if errors else
               "no domU console line reached dom0")
        res["xl_create"] = Value(None, why)
        res["xl_destroy"] = Value(None, "no domU to destroy (" + why + ")")
        res["xl_build"] = Value(None, why)
        return res
    res["xl_destroy"] = _xl_timed(out, stamps, "destroy", "xl destroy")
    res["xl_build"] = _xl_timed(out, stamps, "build", "xl create -p")
    return res


# The virtio disk scenario (Bench.virtio_disk): the toolstack dom0 serves a
# disk image in its RAM (tmpfs) to an xl-created 1-vCPU Debian Linux domU,
# first with xen-troops' virtio-disk (unmodified), then with our
# virtio-blk-backend; the domU (bench/initrd/vdisk-init) runs
# bench/initrd/diskbench on /dev/vda with O_DIRECT and prints what it timed.
# (figure prefix, dom0 program) in run order.
VDISK_BACKENDS = [("virtio_disk", "virtio-disk"), ("virtio_blk", "virtio-blk-backend")]
VDISK_IMAGES = "/var/lib/xen/images/vdb"
VDISK_CFG = "/etc/xen/vdb-domu.cfg"
VDISK_IMG = "/tmp/vdb.img"
VDISK_MIB = 64
# diskbench's arguments: MiB read sequentially, in reads of KiB, then
# random 4 KiB reads.
VDISK_SEQ_MIB, VDISK_SEQ_KIB, VDISK_RAND = 32, 1024, 2000
VDISK_DOMU_CFG = f"""\
name = "vdb"
type = "pvh"
kernel = "{VDISK_IMAGES}/Image"
ramdisk = "{VDISK_IMAGES}/initramfs.cpio.gz"
extra = "console=hvc0 quiet vdb.args={VDISK_SEQ_MIB},{VDISK_SEQ_KIB},{VDISK_RAND}"
memory = 128
vcpus = 1
disk = [ 'format=raw, vdev=xvda, access=rw, backendtype=standalone, specification=virtio, \
target={VDISK_IMG}' ]
"""
_GONE = ("i=0; while xl list | awk 'NR > 1 { print $1 }' | grep -qv '^Domain-0$'; "
         "do i=$((i + 1)); [ $i -lt 60 ] || break; sleep 1; done; xl list")


def vdisk_commands(backends):
    """dom0's commands for the back ends present ((prefix, program) pairs)."""
    cmds = [f"dd if=/dev/zero of={VDISK_IMG} bs=1M count={VDISK_MIB} 2>/dev/null && "
            f"ls -l {VDISK_IMG}"]
    for prefix, prog in backends:
        cmds += [f"setsid {prog} >/tmp/{prog}.log 2>&1 </dev/null & sleep 2; pidof {prog}",
                 f"echo 'VDBENCH backend {prefix}'; pidof {prog} >/dev/null && "
                 f"xl create -c {VDISK_CFG}",
                 _GONE,
                 f"kill $(pidof {prog}); sleep 1; tail -n 4 /tmp/{prog}.log"]
    return cmds


_VDB_SEG = re.compile(r"^VDBENCH backend (\S+)\r*$", re.M)
_VDB_FREQ = re.compile(r"^DISKBENCH freq hz=(\d+)", re.M)
_VDB_SEQ = re.compile(r"^DISKBENCH seq bytes=(\d+) ticks=(\d+)", re.M)
_VDB_RAND = re.compile(r"^DISKBENCH rand reads=(\d+) ticks=(\d+)", re.M)
_VDB_ERR = re.compile(r"^(DISKBENCH error .*?|libxl: error: .*?)\r*$", re.M)


def parse_vdisk(out, prefix):
    """{prefix_seq: MiB/s, prefix_iops: reads/s} from the part of dom0's
    console after "VDBENCH backend <prefix>"."""
    keys = (f"{prefix}_seq", f"{prefix}_iops")
    segs = list(_VDB_SEG.finditer(out))
    mine = [i for i, m in enumerate(segs) if m[1] == prefix]
    if not mine:
        return {k: Value(None, "the back end's turn never came") for k in keys}
    i = mine[0]
    text = out[segs[i].end():segs[i + 1].start() if i + 1 < len(segs) else len(out)]
    freq, seq, rand = _VDB_FREQ.search(text), _VDB_SEQ.search(text), _VDB_RAND.search(text)
    if not (freq and seq and rand):
        err = _VDB_ERR.search(text)
        why = err[1].strip() if err else "the domU printed no figures"
        return {k: Value(None, why) for k in keys}
    hz = int(freq[1])
    return {keys[0]: Value(int(seq[1]) / 2**20 / (int(seq[2]) / hz)),
            keys[1]: Value(int(rand[1]) / (int(rand[2]) / hz))}


# ---------------------------------------------------------------------------
# Scenarios: each returns {figure key: Value} for one hypervisor.

class Bench:
    def __init__(self, hyp, build, quick, logdir, cache):
        self.hyp = hyp
        self.build = Path(build)
        self.quick = quick
        self.logdir = Path(logdir)
        self.cache = Path(cache)
        self.iters = 1024 if quick else 4096
        self.prefix_ticks = 0       # guest start-up before guest_main (bare QEMU)

    def guest(self, name="bench_micro", **kw):
        return Guest(self.build / "guests" / f"{name}.bin", **kw)

    def run(self, label, guests, **kw):
        log = self.logdir / f"{self.hyp.name}-{label}.log"
        return boot(self.hyp, guests, log=log, **kw).output

    def micro(self, nguests):
        """Micro figures with nguests copies sharing one pCPU: the mean per
        operation over the guests (1 guest: the plain figure)."""
        guests = [self.guest(bootargs=f"mode=micro iters={self.iters}") for _ in range(nguests)]
        out = self.run(f"micro{nguests}", guests, timeout=60 + 20 * nguests)
        res = {}
        keys = ["null_hypercall", "smccc_psci_version", "mmio_uartfr",
                "vtimer_latency_spin", "vtimer_latency_wfi"]
        per_key = {k: [] for k in keys}
        for d in range(1, nguests + 1):
            found, main, freq = parse_guest(out, d)
            if freq is None:
                raise RunError(f"{self.hyp.name}: guest {d} printed no frequency")
            for k in keys:
                per_key[k].append(per_op_ns(found, k, freq))
            if d == 1:
                ret = found.get("null_hypercall")
                if isinstance(ret, tuple) and ret[2] == XEN_ENOSYS:
                    res["null_hc_note"] = Value(None, "xen_version returned -ENOSYS")
                if nguests == 1 and main:
                    res["reset_to_guest"] = Value(
                        ticks_to_ns(main[0] - self.prefix_ticks, freq) / 1000)
        for k, vals in per_key.items():
            bad = [v for v in vals if v.value is None]
            res[f"{k}@{nguests}"] = (bad[0] if bad else
                                     Value(statistics.fmean(v.value for v in vals)))
        return res

    def vcpu_switch(self):
        guests = [self.guest(bootargs=f"mode=yield iters={self.iters}") for _ in range(2)]
        out = self.run("yield", guests, timeout=90)
        found, _, freq = parse_guest(out, 1)
        v = per_op_ns(found, "sched_yield", freq)
        if v.value is not None:
            v.value /= 2    # one yield round = a switch away and a switch back
        return {"vcpu_switch": v}

    def domain_build(self, mib):
        """Reset to guest_main of one mib-MiB guest, guest start-up subtracted."""
        host = "6G" if mib > 1024 else "2G"
        out = self.run(f"build{mib}", [self.guest(memory_mib=mib, bootargs="mode=boot")],
                       mem=host, timeout=300)
        _, main, freq = parse_guest(out, 1)
        if main is None:
            raise RunError(f"{self.hyp.name}: {mib} MiB guest printed no counter")
        return {f"build_{mib}": Value(ticks_to_ns(main[0] - self.prefix_ticks, freq) / 1000)}

    def linux(self, initrd):
        kernel = self.cache / "linux" / "Image"
        if not kernel.is_file():
            return {"linux_init": Value(None, f"no Debian kernel at {kernel}")}
        g = Guest(kernel, memory_mib=256, bootargs="console=ttyAMA0 quiet", ramdisk=initrd)
        out = self.run("linux", [g], until=r"BENCH-INIT-REACHED", timeout=300)
        m = [re.match(r"^CNTVCT (\d+)$", l) for l in guest_lines(out, 1)]
        m = [x for x in m if x]
        if not m:
            return {"linux_init": Value(None, "init printed no counter")}
        return {"linux_init": Value(int(m[0][1]) * 1e9 / 62.5e6 / 1e6)}     # ms

    def linux_dom0(self, initrd, vcpus=1, pcpus=1, runs=1):
        """Debian's Linux as dom0 (dom0_mem=256M, console=hvc0) to its
        /init, read as the virtual counter /init prints; the median of
        runs boots. More than one pCPU runs without -icount (Xen 4.17
        stalls at boot under it with -smp 2): host time."""
        key = "linux_dom0_init" if vcpus == 1 else f"linux_dom0_init_{vcpus}v{pcpus}p"
        kernel = self.cache / "linux" / "Image"
        if not kernel.is_file():
            return {key: Value(None, f"no Debian kernel at {kernel}")}
        g = Guest(kernel, bootargs="console=hvc0 quiet", ramdisk=initrd)
        ms = []
        for run in range(runs):
            log = self.logdir / f"{self.hyp.name}-{key}{run if runs > 1 else ''}.log"
            out = boot(self.hyp, [], dom0=g, smp=pcpus, icount=pcpus == 1,
                       until=r"BENCH-INIT-REACHED", count=1, timeout=300, log=log,
                       hyp_args=XEN_ARGS + f" dom0_mem=256M dom0_max_vcpus={vcpus}").output
            m = re.findall(r"^CNTVCT (\d+)\s*$", out, re.M)
            if not m:
                return {key: Value(None, "init printed no counter")}
            ms.append(int(m[0]) * 1e9 / 62.5e6 / 1e6)
        return {key: Value(statistics.median(ms))}

    def xl_lifecycle(self, initrd, missing, runs):
        """Debian's Xen 4.17 toolstack in a Linux dom0 (1 vCPU, 512 MiB, the
        image of scripts/mkinitramfs-toolstack.sh running XL_COMMANDS): xl
        create -c of the example domU to its first console line as it reaches
        dom0, then xl destroy until it returns, then xl create -p (the build
        alone) until it returns, read from dom0's own CNTVCT
        (bench/initrd/cntvct.c, firstline.c); the median of `runs` boots.
        A boot that measures nothing ends the scenario with its reason.
        initrd None: n/a, with `missing` as the reason."""
        if initrd is None:
            why = f"no toolstack dom0 image ({missing})"
            return {k: Value(None, why) for k in XL_FIGURES}
        g = Guest(self.cache / "linux" / "Image", bootargs="console=hvc0", ramdisk=initrd)
        samples = {k: [] for k in XL_FIGURES}
        for i in range(runs):
            log = self.logdir / f"{self.hyp.name}-xl{i}.log"
            try:
                out = boot(self.hyp, [], dom0=g, until=r"^dom0-toolstack: commands done",
                           count=1, timeout=XL_TIMEOUT, log=log, qemu_args=XL_QEMU_ARGS,
                           fixed_seeds=True,
                           hyp_args=XEN_ARGS + f" dom0_mem={XL_DOM0_MIB}M dom0_max_vcpus=1"
                           ).output
            except RunError as e:
                why = "run failed: " + str(e).splitlines()[0]
                return {k: Value(None, why) for k in XL_FIGURES}
            got = parse_xl(out)
            for k, v in got.items():
                if v.value is None:
                    return got
                samples[k].append(v.value)
        return {k: Value(statistics.median(v)) for k, v in samples.items()}

    def virtio_disk(self, initrd, missing, backends):
        """Sequential read throughput and 4 KiB random-read IOPS of a virtio
        disk in an xl-created Debian Linux domU (1 vCPU, 128 MiB), served by
        each back end of `backends` ((prefix, program) pairs in the dom0
        image) in turn: the toolstack dom0 (1 vCPU, 512 MiB) and the domU
        on one pCPU under -icount, so the figures count the whole path
        (the domU's driver, the trap, the IOREQ server, the back end in
        dom0, its notification back) in instructions, not in a loaded
        host's time. One boot. Xen: the full-config build (Debian's has no
        IOREQ server). initrd None: n/a, with `missing` as the reason."""
        keys = [f"{p}_{k}" for p, _ in VDISK_BACKENDS for k in ("seq", "iops")]
        if initrd is None:
            return {k: Value(None, missing) for k in keys}
        hyp, why = self._full_xen()
        if why:
            return {k: Value(None, why) for k in keys}
        g = Guest(self.cache / "linux" / "Image", bootargs="console=hvc0", ramdisk=initrd)
        log = self.logdir / f"{self.hyp.name}-vdisk.log"
        try:
            out = boot(hyp, [], dom0=g, until=r"^dom0-toolstack: commands done", count=1,
                       timeout=XL_TIMEOUT, log=log, qemu_args=XL_QEMU_ARGS, fixed_seeds=True,
                       hyp_args=XEN_ARGS + f" dom0_mem={XL_DOM0_MIB}M dom0_max_vcpus=1"
                       ).output
        except RunError as e:
            why = "run failed: " + str(e).splitlines()[0]
            return {k: Value(None, why) for k in keys}
        res = {}
        present = dict(backends)
        for prefix, prog in VDISK_BACKENDS:
            if prefix in present:
                res.update(parse_vdisk(out, prefix))
            else:
                res.update({f"{prefix}_{k}": Value(None, f"no {prog} back end built")
                            for k in ("seq", "iops")})
        return res

    def idle_memory(self, host_mib=2048, nguests=4, guest_mib=32):
        """Host RAM minus what the hypervisor reports free minus the guests'
        RAM, with four idle guests, read through the 'm' debug key."""
        guests = [self.guest(memory_mib=guest_mib, bootargs="mode=boot hold=1")
                  for _ in range(nguests)]
        out = self.run("memory", guests, mem=f"{host_mib}M", keys=["m"], timeout=120)
        free_kib = None
        if m := re.findall(r"Dom heap: (\d+)kB free", out):
            free_kib = int(m[-1])
        elif m := re.findall(r"Page allocator: .* managed, (\d+) free", out):
            free_kib = int(m[-1]) * 4
        if free_kib is None:
            return {"idle_memory": Value(None, "no free-memory line after the 'm' key")}
        used = host_mib - free_kib / 1024 - nguests * guest_mib
        return {"idle_memory": Value(used)}


    def _full_xen(self):
        """(hypervisor, None) to run what Debian's Xen build leaves out: on
        Xen, the full-config build (make xen-reference); (None, why) when
        it is absent."""
        if self.hyp.name != "xen":
            return self.hyp, None
        full = self.cache / "xen-full" / "xen-4.17-full-arm64"
        if not full.is_file():
            return None, f"no full-config Xen at {full} (make xen-reference)"
        return type(self.hyp)(self.hyp.name, full), None

    def sched_share(self, name, sched, params, promised, smp=1, icount=True):
        """Scheduler `sched` as Pool-0's (sched=) with one cpushare domU per
        entry of params (None: the defaults) and promised (its share in
        permille, what the algorithm promises); dom0 (guests/schedctl)
        gives them their parameters through XEN_DOMCTL_scheduler_op, then
        idles. The guests spin 300 ms first (while dom0 works), then
        measure 1 s. Figures share_<name>_<i>: guest i's share, permille.
        arinc653: params are (run time, None) in us per 10 ms major frame;
        the domUs go to a boot-time pool of CPU 1 of that scheduler, and
        dom0 stays in Pool-0 (credit2, CPU 0): on Xen, its default ARINC 653
        schedule hands dom0's slot to the last dom0less domU (they share
        handle 0), so dom0 in the same pool would never run to set one.
        Two pCPUs: no -icount (Xen 4.17 stalls with it).
        rtds, null and arinc653 run on the full-config Xen 4.17 (make
        xen-reference): Debian's build has none of them."""
        full_only = ("rtds", "null", "arinc653")
        hyp, missing = self._full_xen() if sched in full_only else (self.hyp, None)
        if missing:
            return {f"share_{name}_{i}": Value(None, missing) for i in range(1, len(promised) + 1)}
        sets = ",".join(f"{i}:{a}:{b or 0}" for i, (a, b) in enumerate(params, start=1)
                        if (a, b) != (None, None))
        pool, extra, pool0 = "", [], sched
        if sched == "arinc653":
            sets += f" frame={A653_FRAME_US} pool=1"
            pool, extra, pool0, smp, icount = pool1_dts(sched), [IN_POOL1], "credit2", 2, False
        dom0 = self.guest("schedctl", bootargs=f"sched={sched} set={sets}")
        guests = [self.guest("cpushare", bootargs=f"name=g{i} skip_ms=300 ms=1000", extra=extra)
                  for i in range(1, len(promised) + 1)]
        log = self.logdir / f"{self.hyp.name}-share_{name}.log"
        out = boot(hyp, guests, dom0=dom0, smp=smp, icount=icount, timeout=240, log=log,
                   chosen_extra=pool, until=r"cpushare g\d+: share [^\n]* us\r?\n",
                   hyp_args=XEN_ARGS + f" sched={pool0} dom0_max_vcpus=1 dom0_mem=64M").output
        if not re.search(r"^schedctl: set\s*$", out, re.M):
            bad = re.search(r"^schedctl: FAILED.*$", out, re.M)
            raise RunError(f"{hyp.name}: dom0 could not set the parameters: "
                           f"{bad.group(0) if bad else 'no answer'}")
        res = {}
        for i in range(1, len(promised) + 1):
            m = re.search(r"cpushare g\d+: share (\d+) permille", "\n".join(guest_lines(out, i)))
            res[f"share_{name}_{i}"] = (Value(float(m.group(1))) if m
                                        else Value(None, "no share printed"))
        return res

    def pool_latency(self, sched, busy):
        """A guest alone in a one-CPU boot-time cpupool (CPU 1) of `sched`
        runs 1 ms and sleeps 2 ms on its virtual timer for 1 s, counting
        how late each wake-up comes (guests/cpushare); with busy, a CPU hog
        runs meanwhile in Pool-0 (CPU 0, credit2). No -icount (Xen 4.17
        stalls at boot with -smp 2 under it): host time, where the host's
        scheduling of QEMU's threads shows too; the median of 3 runs' worst.
        Xen: the full-config build (Debian's has no boot-time cpupools)."""
        key = f"pool_late_{sched}_{'busy' if busy else 'alone'}"
        hyp, missing = self._full_xen()
        if missing:
            return {key: Value(None, missing)}
        pool = pool1_dts(sched)
        guests = [self.guest("cpushare", bootargs="name=hog skip_ms=100 ms=1400")] if busy else []
        guests.append(self.guest("cpushare", extra=[IN_POOL1],
                                 bootargs="name=timely skip_ms=100 ms=1000 run_us=1000 "
                                          "wait_us=2000"))
        domid = len(guests)
        worst = []
        for run in range(3):
            log = self.logdir / f"{self.hyp.name}-{key}{run}.log"
            out = boot(hyp, guests, smp=2, icount=False, count=1, timeout=120,
                       chosen_extra=pool, log=log,
                       until=rf"(?:\(d{domid}\) |DOM{domid}: )TEST cpushare_measured").output
            # Xen's vpl011 breaks a domU's line after 128 characters: joined.
            m = re.search(r"cpushare timely: .*? wake-ups (\d+) late avg (\d+) max (\d+) us",
                          "".join(guest_lines(out, domid)))
            if not m:
                return {key: Value(None, "no wake-up figures printed")}
            worst.append(float(m.group(3)))
        return {key: Value(statistics.median(worst))}

    def ioreq_read(self):
        """One read of a register that a device model in dom0 emulates
        through an IOREQ server (guests/ioreq_backend, as a VirtIO back end
        serves a virtio-mmio register), timed by the domU (guests/ioreq_front
        with bench=): the trap, the request, the switch to dom0, its answer
        (EVTCHNOP_send), the switch back, the completed load. dom0 and the
        domU share one pCPU, so -icount counts it exactly. Xen: the
        full-config build (Debian's has no IOREQ server)."""
        hyp, missing = self._full_xen()
        if missing:
            return {"ioreq_mmio_read": Value(None, missing)}
        dom0 = self.guest("ioreq_backend", bootargs="target=1 vcpus=2")
        guests = [self.guest("ioreq_front", cpus=2, bootargs=f"bench={self.iters} rounds=1")]
        log = self.logdir / f"{self.hyp.name}-ioreq.log"
        out = boot(hyp, guests, dom0=dom0, smp=1, icount=True, timeout=180, log=log,
                   until=r"BENCH ioreq_mmio_read .*\r?\n",
                   hyp_args=XEN_ARGS + " dom0_max_vcpus=1 dom0_mem=64M").output
        found, _, freq = parse_guest(out, 1)
        if freq is None:
            raise RunError(f"{self.hyp.name}: ioreq guest printed no frequency")
        got = found.get("ioreq_mmio_read")
        if isinstance(got, tuple) and got[2] != 0:
            return {"ioreq_mmio_read": Value(None, "the register read back a wrong value")}
        return {"ioreq_mmio_read": per_op_ns(found, "ioreq_mmio_read", freq)}

    def evtchn(self, runs):
        """Two domUs with /hypervisor nodes on two pCPUs, no -icount (Xen 4.17
        stalls at boot with -smp 2 under -icount): the guest's fastest round
        trip of each boot (the one the host disturbed least), and the
        median of that over `runs` boots.
        xsm=dummy: Debian's Xen defaults to XSM SILO, which refuses an
        interdomain channel between two domUs (Proxenos ignores the option)."""
        enhanced = ['xen,enhanced = "no-xenstore";']
        rounds = 200 if self.quick else 1000
        guests = [self.guest("bench_evtchn", bootargs="role=a peer=2", extra=enhanced),
                  self.guest("bench_evtchn", extra=enhanced,
                             bootargs=f"role=b peer=1 rounds={rounds} ports=30000")]
        keys = ["evtchn_pingpong_min", "evtchn_send_10", "evtchn_send_1000",
                "evtchn_send_30000"]
        samples = {k: [] for k in keys}
        for i in range(runs):
            out = self.run(f"evtchn{i}", guests, smp=2, icount=False, count=1,
                           until=r"^\((?:d2\)|XEN\) DOM2:) BENCH end", timeout=240,
                           hyp_args=XEN_ARGS + " xsm=dummy")
            found, _, freq = parse_guest(out, 2)
            if freq is None:
                raise RunError(f"{self.hyp.name}: evtchn guest printed no frequency")
            for k in keys:
                samples[k].append(per_op_ns(found, k, freq))
        res = {}
        for k, vals in samples.items():
            bad = [v for v in vals if v.value is None]
            res[k] = bad[0] if bad else Value(statistics.median(v.value for v in vals))
        pp = res["evtchn_pingpong"] = res.pop("evtchn_pingpong_min")
        res["evtchn_latency"] = (Value(pp.value / 2) if pp.value is not None
                                 else Value(None, pp.why))
        return res
