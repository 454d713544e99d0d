"""Bare boot: every CPU comes online, the RAM QEMU gave is what is reported,
and boot completes."""

import re

import pytest

import pxn


@pytest.mark.parametrize("mem_mib", [512, 4096], ids=["512M", "4G"])
@pytest.mark.parametrize("smp", [1, 4], ids=["1cpu", "4cpu"])
def test_boot(hypervisor, smp, mem_mib):
    q = hypervisor(smp=smp, mem=f"{mem_mib}M")
    done = q.wait_for(pxn.BOOT_COMPLETE, timeout=30)
    assert int(done["n"]) == smp

    out = q.output
    lines = q.pxn_lines()
    assert lines, "no (PXN) lines"
    first = "(PXN) " + lines[0]
    assert re.match(pxn.BANNER, first), f"first hypervisor line is {first!r}"
    # Without a dom0 kernel carrying its own bootargs, /chosen/bootargs (the
    # -append text) is dom0's, as in Xen 4.17; test_console.py checks which.
    assert [l for l in lines if l.startswith("Command line:")], "no 'Command line:' line"

    banks = pxn.ram_banks(lines)
    assert banks, "no RAM lines"
    assert banks[0].start == 0x40000000, f"RAM starts at {banks[0].start:#x}"
    for b in banks:
        assert b.end >= b.start
        assert b.end - b.start + 1 == b.mib << 20, f"bank size mismatch: {b}"
    assert sum(b.mib for b in banks) == mem_mib

    cpus = pxn.cpus_online(lines)
    numbers = [n for n, _ in cpus]
    assert sorted(numbers) == list(range(smp)), f"CPUs online: {numbers}"
    affinities = {mpidr & 0xffffff for _, mpidr in cpus}
    assert len(affinities) == smp, f"MPIDRs not distinct: {cpus}"
    assert dict(cpus)[0] & 0xffffff == 0, "CPU 0 is not the boot CPU (MPIDR 0)"

    summary = pxn.memory_summary(lines)
    assert summary, "no 'Memory: <free> MiB free of <total> MiB' line"
    free, total = summary
    assert 0 < free <= total <= mem_mib, f"memory summary {summary} for {mem_mib} MiB"

    assert "FATAL" not in out
    # Boot complete is the last word of the boot.
    assert lines.index(done.group(0)[6:]) > max(lines.index(l) for l in lines
                                               if l.startswith("CPU "))
