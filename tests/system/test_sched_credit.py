"""Xen's credit scheduler (docs/scheduling.md#credit) on QEMU: as Pool-0's
scheduler (sched=credit) with more vCPUs than CPUs, and as a boot-time
cpupool's (cpupool-sched = "credit")."""
import re

from conftest import STD_APPEND
from dom0less import Guest, boot_dtb

ALL_STOPPED = r"^\(PXN\) All domains have stopped: (\d+) powered off, (\d+) crashed, (\d+) reboots\."


def test_credit_shares_two_cpus_among_four_guests(hypervisor, tool, dumpdtb, tmp_path):
    """sched=credit: four one-vCPU guests on two CPUs all run to the end."""
    guests = [Guest(f"domU{i}", "hello", bootargs=f"name=g{i}") for i in range(1, 5)]
    dtb, loaders = boot_dtb(tool, dumpdtb, tmp_path, guests, 2, "1G",
                            STD_APPEND + " sched=credit sched_credit_tslice_ms=10")
    q = hypervisor(smp=2, mem="1G", append="", args=["--dtb", dtb], qemu_args=loaders,
                   hard_timeout=120)
    q.wait_for(r"^\(PXN\) Scheduler: credit$", timeout=30)
    m = q.wait_for(ALL_STOPPED, timeout=90)
    assert m.groups() == ("4", "0", "0")
    for i in range(1, 5):
        assert re.search(rf"^\(d{i}\) TEST hello: PASS$", q.output, re.M)
    assert q.expect_exit(timeout=20) == 0


POOL = """
        pool1: pool1 {
            compatible = "xen,cpupool";
            cpupool-cpus = <&{/cpus/cpu@2} &{/cpus/cpu@3}>;
            cpupool-sched = "credit";
        };
"""


def test_credit_cpupool_keeps_its_domain(hypervisor, tool, dumpdtb, tmp_path):
    """A boot-time cpupool with credit: its domain runs only on its CPUs."""
    guests = [Guest("pooled", "hello", cpus=2, bootargs="name=pooled",
                    extra=["domain-cpupool = <&pool1>;"]),
              Guest("plain", "hello", cpus=2, bootargs="name=plain")]
    dtb, loaders = boot_dtb(tool, dumpdtb, tmp_path, guests, 4, "1G", STD_APPEND, POOL)
    q = hypervisor(smp=4, mem="1G", append="", args=["--dtb", dtb], qemu_args=loaders,
                   hard_timeout=90)
    q.wait_for(r"^\(PXN\) Pool-1: CPUs 2,3, scheduler credit$", timeout=30)
    q.wait_for(ALL_STOPPED, timeout=60)
    placed = re.findall(r"^\(PXN\) Domain (\d+): vCPU (\d+) on CPU (\d+)$", q.output, re.M)
    cpus = {}
    for dom, _, cpu in placed:
        cpus.setdefault(dom, set()).add(int(cpu))
    assert cpus["1"] <= {2, 3}, q.output
    for i in (1, 2):
        assert re.search(rf"^\(d{i}\) GUEST DONE \d+ passed 0 failed$", q.output, re.M)
