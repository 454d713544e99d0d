"""Schedulers in QEMU, measured by the guests themselves: bare-metal
cpushare guests (guests/cpushare) spin on the virtual counter and count
the time they ran and waited, or run a little and sleep on their timer and
count how late each wake-up came, under -icount. Each test puts them in a boot-time
cpupool (Xen 4.17's xen,cpupool binding) of one CPU with the scheduler it
tests, so that the figures are that scheduler's."""

import re

import pytest

from conftest import STD_APPEND
from dom0less import Guest, boot_dtb, dom0_module

SHARE = (r"^\(d{id}\) cpushare (\S+): share (\d+) permille, slices (\d+) avg (\d+) max (\d+) us, "
         r"waits (\d+) avg (\d+) max (\d+) us(?:, wake-ups (\d+) late avg (\d+) max (\d+) us, "
         r"slept (\d+) ms)?$")
ALL_STOPPED = r"^\(PXN\) All domains have stopped: (\d+) powered off, (\d+) crashed, (\d+) reboots\."


def pool(sched):
    return f"""
        pool1: pool1 {{
            compatible = "xen,cpupool";
            cpupool-cpus = <&{{/cpus/cpu@1}}>;
            cpupool-sched = "{sched}";
        }};
"""


def run_pool(hypervisor, tool, dumpdtb, tmp_path, sched, bootargs, dom0_args=None):
    """One guest per bootargs entry, all in a one-CPU pool of sched; their
    figures, by domain id. dom0_args: dom0 (guests/schedctl, in Pool-0 on
    CPU 0) runs with these bootargs and must say it set them."""
    guests = [Guest(f"g{i}", "cpushare", bootargs=f"name=g{i} {args}",
                    extra=["domain-cpupool = <&pool1>;"])
              for i, args in enumerate(bootargs, start=1)]
    chosen, append, dom0 = pool(sched), STD_APPEND, []
    if dom0_args is not None:
        module, dom0 = dom0_module("schedctl", dom0_args)
        chosen, append = chosen + module, append + " dom0_mem=64M"
    dtb, loaders = boot_dtb(tool, dumpdtb, tmp_path, guests, 2, "1G", append, chosen)
    loaders += dom0
    # -icount: virtual time is instructions, so what a guest measures is
    # the scheduler's doing, not the host's load.
    q = hypervisor(smp=2, mem="1G", append="", args=["--dtb", dtb, "--icount"],
                   qemu_args=loaders, hard_timeout=180)
    q.wait_for(rf"^\(PXN\) Pool-1: CPUs 1, scheduler {sched}$", timeout=30)
    if dom0_args is not None:
        q.wait_for(r"^schedctl: set$", timeout=60)     # dom0's lines: no prefix
        # dom0 idles on: the domUs' ends are what the run waits for.
        # The whole line: its start may come before the rest.
        q.wait_for_all([rf"^\(d{i}\) GUEST DONE \d+ passed \d+ failed$"
                        for i in range(1, len(bootargs) + 1)], timeout=150)
    else:
        q.wait_for(ALL_STOPPED, timeout=150)
    figures = {}
    for i in range(1, len(bootargs) + 1):
        m = re.search(SHARE.format(id=i), q.output, re.M)
        assert m, q.output
        figures[i] = {
            "share": int(m.group(2)), "slices": int(m.group(3)),
            "slice_avg_us": int(m.group(4)), "slice_max_us": int(m.group(5)),
            "wait_max_us": int(m.group(8)),
            "late_avg_us": int(m.group(10)) if m.group(10) else None,
            "late_max_us": int(m.group(11)) if m.group(11) else None,
        }
        assert re.search(rf"^\(d{i}\) GUEST DONE \d+ passed 0 failed$", q.output, re.M)
    return figures


def test_two_cpu_hogs_share_one_cpu(hypervisor, tool, dumpdtb, tmp_path):
    """Two CPU-bound guests of equal weight on one credit2 CPU: half each,
    in slices of about credit2's 10 ms, never waiting much longer."""
    f = run_pool(hypervisor, tool, dumpdtb, tmp_path, "credit2", ["ms=600", "ms=600"])
    for i in (1, 2):
        assert 400 <= f[i]["share"] <= 600, f
        assert f[i]["slices"] >= 10, f
        assert f[i]["slice_avg_us"] <= 12000, f
        assert f[i]["wait_max_us"] <= 25000, f


def test_sleepers_wake_on_time_beside_a_cpu_hog(hypervisor, tool, dumpdtb, tmp_path):
    """Two guests that run 1 ms and sleep 2 ms share a credit2 CPU with one
    that never sleeps: a sleeper that wakes has the most credit and takes
    the CPU from the hog at once (after at most the 1 ms rate limit), so
    every wake-up comes within about a millisecond of its deadline; the
    hog gets what the sleepers leave."""
    f = run_pool(hypervisor, tool, dumpdtb, tmp_path, "credit2",
                 ["ms=300", "ms=300 run_us=1000 wait_us=2000", "ms=300 run_us=1000 wait_us=2000"])
    for i in (2, 3):
        assert f[i]["late_max_us"] is not None, f
        assert f[i]["late_max_us"] <= 1500, f
        assert f[i]["late_avg_us"] <= 1000, f
    assert f[1]["share"] >= 200, f


def test_dom0_sets_credit2_weights_and_caps(hypervisor, tool, dumpdtb, tmp_path):
    """dom0 gives two CPU hogs weights 256 and 512 and a third a 25 % cap
    through XEN_DOMCTL_scheduler_op putinfo (what `xl sched-credit2 -w/-c`
    does): the capped one gets 250 permille, the others share the rest
    1:2 (250 and 500)."""
    f = run_pool(hypervisor, tool, dumpdtb, tmp_path, "credit2",
                 ["skip_ms=200 ms=600"] * 3,
                 dom0_args="sched=credit2 set=1:256:0,2:512:0,3:256:25")
    assert abs(f[3]["share"] - 250) <= 20, f
    assert abs(f[1]["share"] - 250) <= 30, f
    assert abs(f[2]["share"] - 500) <= 30, f


def test_dom0_sets_rtds_budgets(hypervisor, tool, dumpdtb, tmp_path):
    """dom0 gives two CPU hogs in an RTDS pool budgets of 2 and 5 ms every
    10 ms without extra time, per vCPU (putvcpuinfo, what `xl sched-rtds
    -v all -p -b -e 0` does): each gets its budget's share and no more."""
    f = run_pool(hypervisor, tool, dumpdtb, tmp_path, "rtds", ["skip_ms=200 ms=600"] * 2,
                 dom0_args="sched=rtds set=1:10000:2000,2:10000:5000")
    assert abs(f[1]["share"] - 200) <= 15, f
    assert abs(f[2]["share"] - 500) <= 15, f


def test_dom0_sets_an_arinc653_frame(hypervisor, tool, dumpdtb, tmp_path):
    """dom0 names two CPU hogs in an ARINC 653 pool by handles it gives
    them (XEN_DOMCTL_setdomainhandle) and sets the pool's major frame,
    10 ms with 3 ms for one and 6 ms for the other (XEN_SYSCTL_scheduler_op
    putinfo, what xc_sched_arinc653_schedule_set does): each runs its minor
    frame, whole, once a frame, and the last millisecond is idle."""
    f = run_pool(hypervisor, tool, dumpdtb, tmp_path, "arinc653", ["skip_ms=200 ms=600"] * 2,
                 dom0_args="sched=arinc653 set=1:3000:0,2:6000:0 frame=10000 pool=1")
    assert abs(f[1]["share"] - 300) <= 15, f
    assert abs(f[2]["share"] - 600) <= 15, f
    assert abs(f[1]["slice_max_us"] - 3000) <= 100, f
    assert abs(f[2]["slice_max_us"] - 6000) <= 100, f
    assert f[1]["wait_max_us"] <= 7100 and f[2]["wait_max_us"] <= 4100, f
