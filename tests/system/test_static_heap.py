"""The static heap and static mode (docs/static-config.md).

xen,static-heap (Xen 4.17's binding, /chosen, banks of <address size> in the
root's cells): the heap is exactly those banks; a bank outside RAM or over a
boot module is named and left out; a domain that does not fit is refused
with Xen's words while the others run.

Static mode (dom0less domains only): the 'b' debug key's count of
allocations after boot stays 0 through the guests' runs and through a
domain's PSCI SYSTEM_RESET reboots, which take back the memory the domain
gave up."""

import re

from conftest import IMAGE, STD_APPEND
from dom0less import GUEST_DIR, Guest, boot_dtb
import pxn

HEAP = 0x60000000
HEAP_SIZE = 0x08000000          # 128 MiB, in the middle of 1 GiB of RAM


def boot(hypervisor, tool, dumpdtb, tmp_path, guests, chosen_extra="", smp=2, mem="1G"):
    dtb, loaders = boot_dtb(tool, dumpdtb, tmp_path, guests, smp, mem, STD_APPEND, chosen_extra)
    return hypervisor(smp=smp, mem=mem, append="", args=["--dtb", dtb], qemu_args=loaders,
                      hard_timeout=120)


def press_b(q):
    q.send(b"b")
    return pxn.after_boot_counts(q.wait_for(pxn.AFTER_BOOT, timeout=20))


def test_static_heap_refuses_what_does_not_fit(hypervisor, tool, dumpdtb, tmp_path):
    # Root and /chosen both have 2+2 cells in these trees.
    heap = (f"xen,static-heap = <0x0 {HEAP:#x} 0x0 {HEAP_SIZE:#x}"
            "  0x0 0x1000 0x0 0x100000"          # not RAM
            "  0x0 0x50000000 0x0 0x200000>;")   # over the first guest's kernel
    guests = [Guest("small1", "hello", memory_kib=32 * 1024, bootargs="name=s1 count=100"),
              Guest("big", "hello", memory_kib=256 * 1024, bootargs="name=big"),
              Guest("small2", "hello", memory_kib=32 * 1024, bootargs="name=s2")]
    q = boot(hypervisor, tool, dumpdtb, tmp_path, guests, chosen_extra=heap)
    q.wait_for(r"^\(PXN\) /chosen/xen,static-heap: bank \[0x1000, \+0x100000\) is not in RAM: "
               r"left out of the heap$", timeout=30)
    q.wait_for(r"^\(PXN\) /chosen/xen,static-heap: bank \[0x50000000, \+0x200000\) overlaps a "
               r"boot module: left out of the heap$", timeout=10)
    q.wait_for(r"^\(PXN\) Static heap: 0x0000000060000000-0x0000000067ffffff \(128 MiB\)$",
               timeout=10)
    m = q.wait_for(r"^\(PXN\) Memory: (\d+) MiB free of 1024 MiB$", timeout=10)
    # The heap is the bank less the frame tables: nothing else of RAM.
    assert 100 <= int(m.group(1)) < 128, m.group(0)
    q.wait_for(r"^\(PXN\) dom0less: big: Failed to allocate requested domain memory\. "
               r"\d+KB unallocated\. Fix the VMs configurations\.$", timeout=60)
    q.wait_for(r"^\(PXN\) dom0less: 2 of 3 domains started$", timeout=30)
    # The page allocator manages the bank less the frame tables, nothing
    # else of the 1 GiB. Asked while small1 still runs (about 10 s): once
    # every domain has powered off, the machine is gone.
    q.send(b"m")
    m = q.wait_for(r"^\(PXN\) Page allocator: \d+ banks?, (\d+) pages \((\d+) MiB\) managed",
                   timeout=20)
    assert int(m.group(1)) <= HEAP_SIZE >> 12 and int(m.group(2)) >= 100, m.group(0)
    # The two that fit run to the end (domain ids follow the nodes).
    q.wait_for_all([r"^\(d1\) TEST hello: PASS$", r"^\(d3\) TEST hello: PASS$"], timeout=60)
    assert not re.search(r"^\(d2\) ", q.output, re.M)


def test_no_allocation_after_boot_in_static_mode(hypervisor, tool, dumpdtb, tmp_path):
    guests = [Guest("hello", "hello", bootargs="name=h count=3"),
              Guest("rb", "reboot")]
    q = boot(hypervisor, tool, dumpdtb, tmp_path, guests)
    q.wait_for(r"^\(PXN\) Static mode: dom0less domains only, nothing allocated after boot$",
               timeout=30)
    q.wait_for(pxn.BOOT_COMPLETE, timeout=30)
    q.wait_for(r"^\(d1\) TEST hello: PASS$", timeout=60)
    # The reboot guest comes back three times, rebuilt each time.
    for _ in range(3):
        q.wait_for(r"^\(PXN\) Domain 2 \(rb\) shut down: reboot$", timeout=30)
        q.wait_for(r"^\(d2\) reboot: boot", timeout=30)
    counts = press_b(q)
    assert counts["static"]
    assert counts["pages"] == 0 and counts["xmalloc"] == 0, q.output[-3000:]
    assert counts["recycled_pages"] > 0 and counts["recycled_xmalloc"] > 0


def test_counter_runs_beside_a_dom0(qemu):
    """Not static (a dom0, Xen 4.17's command shape, beside a dom0less
    domU that reboots): nothing is refused, and the rebuild's allocations
    count, so the key reads real figures rather than a constant 0."""
    q = qemu("--image", IMAGE, "--smp", 2, "--mem", "1024M",
             "--append", "dom0_mem=128M console=dtuart dtuart=/pl011@9000000",
             "--guest-kernel", GUEST_DIR / "hello.bin", "--guest-args", "name=d0 count=1000",
             "--domu", GUEST_DIR / "reboot.bin", hard_timeout=120)
    q.wait_for(pxn.BOOT_COMPLETE, timeout=30)
    q.wait_for(r"^\(PXN\) Domain 1 \(\S+\) shut down: reboot$", timeout=30)
    q.wait_for(r"^\(d1\) reboot: boot", timeout=30)
    assert not re.search(r"^\(PXN\) Static mode", q.output, re.M)
    # dom0 has the console input: Ctrl-a three times moves it on (dom0 ->
    # domU1 -> Proxenos), one step at a time, since domU1 is skipped while
    # it is being rebuilt.
    for _ in range(4):
        q.send(b"\x01\x01\x01")
        if q.wait_for(r"\*\*\* Serial input to (\S+) ", timeout=10).group(1) == "Proxenos":
            break
    else:
        raise AssertionError("the console input never reached the hypervisor")
    counts = press_b(q)
    assert not counts["static"]
    assert counts["refused_pages"] == 0 and counts["refused_xmalloc"] == 0
    assert counts["recycled_pages"] == 0 and counts["recycled_xmalloc"] == 0
    # The rebuild made a domain again: its structures and RAM.
    assert counts["xmalloc"] > 0 and counts["pages"] > 0, counts
    q.wait_for(r"^\(PXN\)   after-boot allocation 0 called from 0x[0-9a-f]+$", timeout=10)


def test_no_allocation_through_the_hostile_storm(hypervisor, tool, dumpdtb, tmp_path):
    """The hostile guest's random hypercalls on 4 vCPUs (docs/guests.md)
    beside the sibling, in static mode: whatever would allocate is refused,
    nothing is allocated, and the hypervisor stays up."""
    enhanced = ['xen,enhanced = "no-xenstore";']
    guests = [Guest("hostile", "hostile", cpus=4, vpl011=False, extra=list(enhanced),
                    bootargs="seed=0x5eed iters=5000 sibling=2"),
              Guest("sibling", "sibling", cpus=1, vpl011=False, extra=list(enhanced),
                    bootargs="hostile=1 linger=30")]
    q = boot(hypervisor, tool, dumpdtb, tmp_path, guests)
    q.wait_for(r"^\(PXN\) Static mode: ", timeout=30)
    q.wait_for(r"^\(d2\) SIBLING DONE ", timeout=300)
    # Asked while the sibling lingers (30 s): once it powers off too, the
    # machine is gone.
    counts = press_b(q)
    q.wait_for(r"^\(d2\) GUEST DONE \d+ passed \d+ failed$", timeout=120)
    assert counts["static"]
    assert counts["pages"] == 0 and counts["xmalloc"] == 0, q.output[-4000:]
    # The storm did ask (seed 0x5eed: some 140 refusals), so the 0 means
    # something.
    assert counts["refused_pages"] + counts["refused_xmalloc"] > 0, counts
    for bad in (r"PANIC on CPU", r"ESR_EL2:", r"^\(PXN\) FATAL", r"HOSTILE FAILED"):
        assert not re.search(bad, q.output, re.M), bad
