"""Malformed boot device trees (issue 14): every address a boot description
gives is checked before anything is read there. Each boot below carries
many damaged xen,domain nodes (tests/system/bad_boot_trees.py) beside one
good domain: each damaged one is refused with a message naming its node,
no exception reaches EL2, and the good domain runs to its end."""

import re

import pytest

import bad_boot_trees as bbt
import pxn

DONE = r"^\(d{id}\) GUEST DONE (\d+) passed (\d+) failed$"
# Any stop of the hypervisor: a FATAL, a PANIC (an exception taken at EL2,
# a failed BUG_ON) or a BUG line.
EL2_FAULT = r"^\(PXN\) (?:FATAL|PANIC|BUG)\b|exception at EL2"


def qemu_dts(tool, dumpdtb, mem):
    virt = dumpdtb(smp=2, mem=mem)
    return tool("dtc", "-q", "-I", "dtb", "-O", "dts", virt).stdout


def boot(hypervisor, dtb, mem="1G", qemu_args=None):
    return hypervisor(smp=2, mem=mem, append="", args=["--dtb", dtb],
                      qemu_args=bbt.loader_args() + (qemu_args or []), hard_timeout=40)


def check_good_domain_ran(q, domid, started, total):
    q.wait_for(rf"^\(PXN\) dom0less: {started} of {total} domains started$", timeout=20)
    m = q.wait_for(DONE.format(id=domid), timeout=20)
    assert int(m.group(1)) >= 1 and int(m.group(2)) == 0
    assert not re.search(EL2_FAULT, q.output, re.M), q.output[-3000:]


XEN_NO_MEMORY = "Failed to allocate requested domain memory."


def run_cases(hypervisor, tool, dumpdtb, tmp_path, cases, good=("good",)):
    dts = bbt.tree(qemu_dts(tool, dumpdtb, "1G"), cases, good=good)
    q = boot(hypervisor, bbt.compile_tree(tool, dts, tmp_path / "boot.dtb"))
    q.wait_for(r"^\(PXN\) Loaded at 0x40200000, device tree at 0x48000000$", timeout=10)
    return q


def check_refusals(q, cases):
    """After the good domain ran: each case was refused, naming its node,
    and its domain skipped; every dom0less line about it says so at its
    end (one wording for every failure path), but for Xen 4.17's own words
    when a domain's memory cannot be had, which the skip line follows."""
    for case in cases:
        assert re.search(case.expect, q.output, re.M), case.name
        assert re.search(case.skip_line(), q.output, re.M), case.name
        about = re.findall(rf"^\(PXN\) dom0less: {re.escape(case.name)}: .*$", q.output, re.M)
        assert about, case.name
        for line in about:
            if XEN_NO_MEMORY in line:
                continue
            assert line.endswith(": domain skipped"), line


@pytest.mark.parametrize("group", ["address", "cells", "properties"])
def test_bad_domains_are_skipped_and_the_good_one_runs(hypervisor, tool, dumpdtb, tmp_path,
                                                      group):
    size = bbt.GOOD_KERNEL.stat().st_size
    cases = {"address": lambda: bbt.address_cases(size),
             "cells": bbt.cell_cases,
             "properties": bbt.property_cases}[group]()
    q = run_cases(hypervisor, tool, dumpdtb, tmp_path, cases)
    check_good_domain_ran(q, 1, 1, len(cases) + 1)
    check_refusals(q, cases)


def test_two_domains_may_share_one_module(hypervisor, tool, dumpdtb, tmp_path):
    """Modules are read-only inputs: two domains given the same kernel range
    (Xen 4.17 merges such modules) both run; one overlapping it partly is
    refused."""
    size = bbt.GOOD_KERNEL.stat().st_size
    part = bbt.Case("part", bbt.not_usable("part", "overlaps boot module /chosen/good/kernel"),
                    bbt.kernel(bbt.FIRST_MODULE + 0x1000, size))
    q = run_cases(hypervisor, tool, dumpdtb, tmp_path, [part])
    check_good_domain_ran(q, 1, 1, 2)
    check_refusals(q, [part])
    dts = bbt.tree(qemu_dts(tool, dumpdtb, "1G"), [], good=("good", "twin"))
    q.close()
    q = boot(hypervisor, bbt.compile_tree(tool, dts, tmp_path / "twin.dtb"))
    q.wait_for(r"^\(PXN\) dom0less: 2 of 2 domains started$", timeout=20)
    # The two finish in either order.
    q.wait_for_all([DONE.format(id=domid) for domid in (1, 2)], timeout=20)
    for domid in (1, 2):
        m = re.search(DONE.format(id=domid), q.output, re.M)
        assert int(m.group(1)) >= 1 and int(m.group(2)) == 0
    assert "Boot module" not in q.output


def test_dom0_kernel_outside_ram_is_refused(hypervisor, tool, dumpdtb, tmp_path):
    """dom0's own kernel at the UART: dom0 is not built, said plainly; the
    dom0less domain beside it runs."""
    dom0 = f"""
        dom0_kernel {{
            compatible = "multiboot,kernel", "multiboot,module";
            reg = <{bbt.cells64(bbt.UART, 2)} 0x0 0x200000>;
            bootargs = "console=hvc0";
        }};"""
    dts = bbt.tree(qemu_dts(tool, dumpdtb, "1G"), [], chosen_extra=dom0)
    q = boot(hypervisor, bbt.compile_tree(tool, dts, tmp_path / "boot.dtb"))
    q.wait_for(r"^\(PXN\) Boot module /chosen/dom0_kernel: \[0x9000000, \+0x200000\) "
               r"is not in RAM$", timeout=20)
    check_good_domain_ran(q, 1, 1, 1)
    assert re.search(pxn.module_owner_skipped("dom0", "/chosen/dom0_kernel"), q.output, re.M)
    assert "dom0: kernel module /chosen/dom0_kernel is unusable (is not in RAM)" in q.output
    assert not re.search(r"^\(PXN\) dom0: kernel at ", q.output, re.M)
