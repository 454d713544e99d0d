"""Schedulers in QEMU, measured by the guests themselves: bare-metal
cpushare guests (guests/cpushare) spin on the virtual counter and count
the time they ran and waited, or run a little and sleep on their timer and
count how late each wake-up came, under -icount. Each test puts them in a boot-time
cpupool (Xen 4.17's xen,cpupool binding) of one CPU with the scheduler it
tests, so that the figures are that scheduler's."""

import re

import pytest

from conftest import STD_APPEND
from dom0less import Guest, boot_dtb

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


def run_pool(hypervisor, tool, dumpdtb, tmp_path, sched, bootargs):
    """One guest per bootargs entry, all in a one-CPU pool of sched; their
    figures, by domain id."""
    guests = [Guest(f"g{i}", "cpushare", bootargs=f"name=g{i} {args}",
                    extra=["domain-cpupool = <&pool1>;"])
              for i, args in enumerate(bootargs, start=1)]
    dtb, loaders = boot_dtb(tool, dumpdtb, tmp_path, guests, 2, "1G", STD_APPEND, pool(sched))
    # -icount: virtual time is instructions, so what a guest measures is
    # the scheduler's doing, not the host's load.
    q = hypervisor(smp=2, mem="1G", append="", args=["--dtb", dtb, "--icount"],
                   qemu_args=loaders, hard_timeout=180)
    q.wait_for(rf"^\(PXN\) Pool-1: CPUs 1, scheduler {sched}$", timeout=30)
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
