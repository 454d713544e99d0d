"""Every figure of the table, in order, and the curves that are plotted.
A figure no scenario produced on a hypervisor shows "n/a" with the reason
in NOT_YET (or "run failed" when its boot did not finish)."""

from figures import Figure

_ICOUNT = "-icount, exact"
# The virtio disk rows (figures.Bench.virtio_disk).
_VDISK = ("-icount, one pCPU (dom0 and the 1-vCPU domU share it); the domU's CNTVCT around "
          "bench/initrd/diskbench (32 MiB; 2,000 reads over a 64 MiB image in dom0's RAM); "
          "one boot (boots differ by up to ~1%); Xen: full-config build; higher is better")
# Reasons shown for figures no scenario produced (none today).
NOT_YET = {}

MICRO = [
    ("null_hypercall", "Null hypercall round trip (HVC #0xEA1, xen_version)"),
    ("smccc_psci_version", "SMCCC call round trip (PSCI_VERSION, HVC #0)"),
    ("mmio_uartfr", "Emulated MMIO read (vpl011 UARTFR)"),
    ("vtimer_latency_spin", "Virtual timer IRQ latency, vCPU running"),
    ("vtimer_latency_wfi", "Virtual timer IRQ latency, vCPU in WFI"),
]

# Scheduler shares (issue: schedulers per pool): (name, scheduler, what is
# set, per-guest parameters for guests/schedctl (weight, cap) or (period,
# budget) in us, or (None, None) for the defaults, the share the algorithm
# promises each guest in permille, extra boot() arguments).
SHARES = [
    ("c2w2", "credit2", "weights 256:512", [(256, 0), (512, 0)], [333, 667], {}),
    ("c2w4", "credit2", "weights 128:256:512:1024",
     [(128, 0), (256, 0), (512, 0), (1024, 0)], [67, 133, 267, 533], {}),
    ("c2cap", "credit2", "caps 25%:none", [(256, 25), (256, 0)], [250, 750], {}),
    ("crw2", "credit", "weights 256:512", [(256, 0), (512, 0)], [333, 667], {}),
    ("crcap", "credit", "caps 25%:none", [(256, 25), (256, 0)], [250, 750], {}),
    ("rt2", "rtds", "budgets 2:5 ms per 10 ms, no extra time",
     [(10000, 2000), (10000, 5000)], [200, 500], {}),
    ("rt4", "rtds", "budgets 1:2:3:4 ms per 10 ms, no extra time",
     [(10000, 1000), (10000, 2000), (10000, 3000), (10000, 4000)], [100, 200, 300, 400], {}),
    # A pool of its own on a second pCPU (figures.py): host time.
    ("a653", "arinc653", "run times 3:6 ms of a 10 ms major frame",
     [(3000, None), (6000, None)], [300, 600], {"icount": False}),
    # Xen 4.17 stalls at boot with -smp > 1 under -icount: host time.
    ("null2", "null", "one vCPU per pCPU (3 pCPUs, dom0 on one)", [(None, None)] * 2,
     [1000, 1000], {"smp": 3, "icount": False}),
]

FIGURES = (
    # Targets: the fast-path issue's (18) quarter of Xen 4.17 for each exit.
    [Figure(f"{k}@1", t, "ns", target=0.25, note=_ICOUNT) for k, t in MICRO]
    + [Figure("evtchn_latency", "Event-channel notification latency (2 domUs, 2 pCPUs)", "ns",
              deterministic=False, target=0.5,
              note="no -icount: fastest round of 1,000, median of runs; half the ping-pong"),
       Figure("evtchn_pingpong", "Event-channel ping-pong round trip (2 pCPUs)", "ns",
              deterministic=False, target=0.5,
              note="no -icount: fastest round of 1,000, median of runs"),
       Figure("ioreq_mmio_read", "MMIO read through an IOREQ server (device model in dom0, "
              "same pCPU)", "ns", target=0.5,
              note=_ICOUNT + "; guests/ioreq_backend serving guests/ioreq_front"),
       Figure("vcpu_switch", "vCPU switch (2 domUs on 1 pCPU, SCHEDOP_yield)", "ns",
              target=0.5, note=_ICOUNT + "; half a yield round"),
       Figure("reset_to_guest", "Reset to first guest instruction (32 MiB domU)", "us",
              target=0.1, note=_ICOUNT),
       Figure("build_256", "Reset to first instruction of a 256 MiB domU", "us",
              note=_ICOUNT),
       Figure("linux_init", "Debian Linux domU: domain creation to /init (CNTVCT)", "ms",
              note=_ICOUNT),
       Figure("linux_dom0_init_4v2p", "Debian Linux dom0 (4 vCPUs on 2 pCPUs): domain creation "
              "to /init (CNTVCT)", "ms", deterministic=False,
              note="no -icount (Xen 4.17 stalls with 2 pCPUs under it): host time; "
              "median of 3 boots"),
       Figure("linux_dom0_init", "Debian Linux dom0 (1 vCPU): domain creation to /init (CNTVCT)",
              "ms", deterministic=False,
              note="-icount; dom0 sees QEMU's RTC (host time): runs differ by ~0.01%"),
       Figure("xl_create", "xl create -c of a Debian domU (128 MiB) to its first console line "
              "in dom0 (toolstack dom0, 1 vCPU)", "ms", deterministic=False,
              note="-icount; dom0's CNTVCT; median of 3 boots, which differ by < 0.1%"),
       Figure("xl_destroy", "xl destroy of that domU, until xl returns", "ms",
              deterministic=False,
              note="-icount; dom0's CNTVCT; median of 3 boots, which differ by < 0.1%"),
       Figure("xl_build", "xl create -p of that domU (built, left paused), until xl returns",
              "ms", deterministic=False,
              note="-icount; dom0's CNTVCT; median of 3 boots"),
       Figure("virtio_disk_seq", "VirtIO disk, sequential read (O_DIRECT, 1 MiB reads) in an "
              "xl-created Linux domU: xen-troops' virtio-disk back end in dom0", "MiB/s",
              deterministic=False, target=1.0, higher=True, note=_VDISK),
       Figure("virtio_disk_iops", "VirtIO disk, 4 KiB random reads (O_DIRECT, queue depth 1): "
              "xen-troops' virtio-disk", "IOPS", deterministic=False, target=1.0, higher=True,
              note=_VDISK),
       Figure("virtio_blk_seq", "VirtIO disk, sequential read (O_DIRECT, 1 MiB reads): our "
              "virtio-blk-backend in dom0", "MiB/s", deterministic=False, target=1.0,
              higher=True, note=_VDISK),
       Figure("virtio_blk_iops", "VirtIO disk, 4 KiB random reads (O_DIRECT, queue depth 1): "
              "our virtio-blk-backend", "IOPS", deterministic=False, target=1.0, higher=True,
              note=_VDISK),
       Figure("image_size", "Hypervisor image size", "KiB", target=0.2, note="file size"),
       Figure("idle_memory", "Hypervisor memory in use, 4 idle domUs", "MiB", target=0.5,
              note="RAM - free ('m' key) - guest RAM")]
    + [Figure(f"{k}@{n}", f"{t}, {n} domUs on 1 pCPU", "ns", note=_ICOUNT + "; mean of guests")
       for n in (4, 16) for k, t in MICRO]
    + [Figure(f"build_{m}", f"Reset to first instruction of a {m} MiB domU", "us", note=_ICOUNT)
       for m in (64, 512, 4096)]
    + [Figure(f"evtchn_send_{n}", f"EVTCHNOP_send with {n} bound ports", "ns",
              deterministic=False, note="no -icount: median of runs")
       for n in (10, 1000, 30000)]
    + [Figure(f"pool_late_{sched}_{busy}",
              f"Worst timer wake-up latency of a guest in a one-CPU {sched} pool (runs 1 ms, "
              f"sleeps 2 ms), {'a CPU hog in Pool-0 beside it' if busy == 'busy' else 'alone'}",
              "us", deterministic=False,
              note="no -icount: host time, median of 3 runs' worst; measured by the guest "
              "(guests/cpushare)")
       for sched in ("null", "rtds") for busy in ("alone", "busy")]
    + [Figure(f"share_{name}_{i}", f"CPU share, {sched}, {len(promised)} CPU-bound domUs on "
              f"1 pCPU, {what}: guest {i}" if sched != "null" else
              f"CPU share, null, {what}: guest {i}", "permille",
              deterministic=kw.get("icount", True),
              note=("-icount, exact" if kw.get("icount", True) else "no -icount: one run")
              + "; measured by the guest (guests/cpushare)", promised=p)
       for name, sched, what, _, promised, kw in SHARES
       for i, p in enumerate(promised, start=1)]
)

# (file name, title, x label, y unit, [(x, figure key)])
PLOTS = (
    [(f"scaling_{k}", f"{t} vs domUs on 1 pCPU", "domUs", "ns",
      [(n, f"{k}@{n}") for n in (1, 4, 16)]) for k, t in MICRO]
    + [("domain_build", "Reset to first guest instruction vs domU size", "domU MiB", "us",
        [(m, f"build_{m}") for m in (64, 256, 512, 4096)]),
       ("evtchn_send", "EVTCHNOP_send vs bound ports", "ports", "ns",
        [(n, f"evtchn_send_{n}") for n in (10, 1000, 30000)])]
)
