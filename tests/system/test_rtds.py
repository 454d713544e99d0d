"""sched=rtds (docs/scheduling.md, rtds): Pool-0 runs Xen's RTDS
scheduler; a dom0 and a two-vCPU dom0less domU share two CPUs under it
with the default reservations (4 ms of every 10 ms, extra time on) and run
to completion, and the 'r' key shows each CPU's RTDS state."""

import re

from conftest import IMAGE, STD_APPEND
from dom0less import GUEST_DIR
import pxn


def test_guests_run_to_completion_under_rtds(qemu):
    q = qemu("--image", IMAGE, "--smp", 2, "--mem", "1024M",
             "--append", f"sched=rtds dom0_mem=128M {STD_APPEND}",
             "--guest-kernel", GUEST_DIR / "hello.bin",
             "--guest-args", "name=d0 count=40 interval_ms=100",
             "--domu", GUEST_DIR / "smp.bin", "--domu-cpus", 2, hard_timeout=120)
    q.wait_for(r"^\(PXN\) Scheduler: rtds$", timeout=30)
    q.wait_for(pxn.BOOT_COMPLETE, timeout=30)
    q.wait_for(r"^\(d1\) GUEST DONE 11 passed 0 failed$", timeout=60)
    q.wait_for(r"^hello d0: line 5 of 40$", timeout=30)
    # dom0 has the console input: Ctrl-a three times moves it on, one step
    # at a time (domU1 has stopped and is skipped, or comes next).
    for _ in range(3):
        q.send(b"\x01\x01\x01")
        if q.wait_for(r"\*\*\* Serial input to (\S+) ", timeout=10).group(1) == "Proxenos":
            break
    else:
        raise AssertionError("the console input never reached the hypervisor")
    q.send(b"r")
    # The last CPU's timer line ends the dump: its RTDS lines are in.
    q.wait_for(r"^\(PXN\) CPU 1: \d+ timers queued", timeout=20)
    states = re.findall(r"^\(PXN\) CPU (\d) \(rtds pool 0\): (running|idle)$", q.output, re.M)
    assert [cpu for cpu, _ in states] == ["0", "1"]
    # A running CPU names its vCPU, with dom0's default reservation.
    runs = re.findall(r"^\(PXN\)   run d0v\d: period 10000000 budget 4000000 \+extra, "
                      r"deadline \d+, left \d+, level \d+$", q.output, re.M)
    assert len(runs) == sum(1 for _, state in states if state == "running")
    q.wait_for(r"^GUEST DONE 2 passed 0 failed$", timeout=30)
    q.wait_for(r"^\(PXN\) All domains have stopped: 2 powered off, 0 crashed, 0 reboots\. "
               r"Powering off\.$", timeout=30)
