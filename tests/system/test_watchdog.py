"""SCHEDOP_watchdog (issue 14): a dom0less guest takes Xen 4.17's
watchdogs, re-arms one a few times, then stops; the hypervisor shuts it
down with reason watchdog (destroyed like a power-off: only a reboot is
rebuilt) while a sibling domU keeps running (guests/watchdog/main.c)."""

import re

from dom0less import Guest
from test_dom0less import ALL_STOPPED, boot, guest_done


def test_watchdog_fires_when_no_longer_rearmed(hypervisor, tool, dumpdtb, tmp_path):
    guests = [Guest("wd", "watchdog", bootargs="rearms=3 timeout=2"),
              Guest("sibling", "hello", bootargs="name=sibling count=80 interval_ms=100")]
    q = boot(hypervisor, tool, dumpdtb, tmp_path, guests, smp=2)
    q.wait_for(r"^\(d1\) watchdog: re-arm 3 of 3$", timeout=60)
    q.wait_for(r"^\(d1\) watchdog: waiting \(2 s timeout, 10 passed, 0 failed\)$", timeout=10)
    q.wait_for(r"^\(PXN\) Watchdog timer fired for domain 1$", timeout=30)
    q.wait_for(r"^\(PXN\) Domain 1 \(wd\) shut down: watchdog$", timeout=10)
    # Re-arming kept it alive; it died about 2 s after it stopped, not later.
    assert not re.search(r"^\(d1\) watchdog: still alive after [3-9]", q.output, re.M)
    assert not re.search(r"^\(d1\) TEST \w+: FAIL", q.output, re.M), q.output
    # The sibling is still printing after the watchdog shut d1 down (each
    # wait searches on from the previous match).
    q.wait_for(r"^\(d2\) hello sibling: line \d+ of 80$", timeout=10)
    passed, failed = guest_done(q, 2, timeout=60)
    assert passed >= 1 and failed == 0
    m = q.wait_for(ALL_STOPPED, timeout=30)
    assert m.groups() == ("2", "0", "0")
    # No reboot of d1: it never booted a second time.
    assert len(re.findall(r"^\(d1\) watchdog: re-arm 1 of 3$", q.output, re.M)) == 1
