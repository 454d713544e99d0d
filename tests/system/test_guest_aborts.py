"""Wild guest accesses (issue 14): a guest that loads, stores or branches
where there is neither RAM nor a device, or accesses an emulated device in
a way that cannot be emulated, gets a synchronous abort injected as on Xen
4.17, takes it on its own EL1 vector and goes on; the hypervisor and a
sibling domU are untouched. The probe guest checks the syndrome and the
fault address it reads (guests/probe/main.c)."""

import re

from dom0less import Guest
from test_dom0less import ALL_STOPPED, boot, guest_done

CASES = [f"{kind}{bits}_{hole}" for hole in ("0x100000", "0x1000000")
         for kind in ("load", "store") for bits in (32, 64)]
CASES += ["ldp_gicd", "stp_gicd", "ldrh_gicd_ctlr", "ldr_post_index_gicd", "ldr_x19_x28_gicd",
          "fetch_0xb0000000"]


def test_wild_accesses_get_aborts_and_the_guest_goes_on(hypervisor, tool, dumpdtb, tmp_path):
    guests = [Guest("probe", "probe"),
              Guest("sibling", "hello", bootargs="name=sibling count=40 interval_ms=50")]
    q = boot(hypervisor, tool, dumpdtb, tmp_path, guests, smp=2)
    q.wait_for(r"^\(d1\) probe: probing ", timeout=60)
    passed, failed = guest_done(q, 1, timeout=60)
    results = dict(re.findall(r"^\(d1\) TEST (\w+): (PASS|FAIL.*)$", q.output, re.M))
    assert {c: results.get(c) for c in CASES} == {c: "PASS" for c in CASES}, q.output
    assert (passed, failed) == (len(CASES), 0)
    for case in CASES:
        assert re.search(rf"^\(d1\) probe: survived {case} ", q.output, re.M), case
    assert re.search(r"^\(d1\) probe: 12 aborts taken, still running$", q.output, re.M)
    # The hypervisor logs the first 8 (device and fetch cases come first),
    # and neither it nor the domain fell over.
    for line in [r"device access at IPA 0x3001000 .* that cannot be decoded: injected",
                 r"device access at IPA 0x3001080 .* that cannot be decoded: injected",
                 r"device access at IPA 0x3001000 .* refused by the device: injected",
                 r"instruction abort at IPA 0xb0000000 .* outside its RAM: injected",
                 r"data abort at IPA 0x100000 .* outside its RAM and devices: injected",
                 r"data abort at IPA 0x100010 .* injected \(no more such lines\)"]:
        assert re.search(rf"^\(PXN\) d1v0: {line}", q.output, re.M), line
    assert len(re.findall(r"^\(PXN\) d1v0: ", q.output, re.M)) == 8
    assert "crashed" not in q.output
    # The sibling ran through to its end beside it.
    s_passed, s_failed = guest_done(q, 2, timeout=60)
    assert s_passed >= 1 and s_failed == 0
    assert re.search(r"^\(d2\) hello sibling: line 40 of 40$", q.output, re.M)
    m = q.wait_for(ALL_STOPPED, timeout=30)
    assert m.groups() == ("2", "0", "0")
