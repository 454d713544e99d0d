"""Static memory (xen,static-mem and direct-map, Xen 4.17's bindings;
docs/static-config.md): a dom0less domain's RAM is exactly its host
banks. The dtdump guest prints the device tree it was given: a static
domain sees its RAM at GUEST_RAM0, a direct-mapped one at the host
addresses of its banks, with the host's GIC and console UART (address and
interrupt) and extended regions of host RAM that no static bank holds;
the hypervisor's log says which host frames back which guest addresses.
Banks that are not RAM, overlap the hypervisor, the boot tree, a boot
module, another domain's banks, a static shared memory region or a
/reserved-memory child, or do not add up to "memory" are named and their
domain skipped, while a good domain still boots. A static domain that
reboots comes back on the same banks."""

import re

import pytest

from conftest import CACHE, REPO, STD_APPEND
from dom0less import Guest, boot_dtb

DONE = r"^\(d{id}\) GUEST DONE (\d+) passed (\d+) failed$"
MIB = 1 << 20


def static_mem(*banks):
    """The property for these (address, size) banks, with /chosen's 2 + 2
    cells (dom0less.py writes those)."""
    cells = " ".join(f"0x0 {a:#x} 0x0 {s:#x}" for a, s in banks)
    return f"xen,static-mem = <{cells}>;"


def memory(kib):
    return f"memory = <0x0 {kib:#x}>;"


def boot(hypervisor, tool, dumpdtb, tmp_path, guests, timeout=90, root_extra=""):
    dtb, loaders = boot_dtb(tool, dumpdtb, tmp_path, guests, 2, "1G", STD_APPEND,
                            root_extra=root_extra)
    return hypervisor(smp=2, mem="1G", append="", args=["--dtb", dtb], qemu_args=loaders,
                      hard_timeout=timeout + 30)


def guest_dtb(q, domid, tool, path):
    """The tree domain domid printed (guests/dtdump), as dts text."""
    hexdata = "".join(re.findall(rf"^\(d{domid}\) DTB [0-9a-f]{{8}} ([0-9a-f]+)$",
                                 q.output, re.M))
    path.write_bytes(bytes.fromhex(hexdata))
    return tool("dtc", "-q", "-I", "dtb", "-O", "dts", path).stdout


def reg_of(dts, node_prefix):
    """The reg cells of the first node whose name starts with node_prefix,
    as ints."""
    m = re.search(rf"^\s*{re.escape(node_prefix)}[^{{]*\{{(.*?)\}};", dts, re.M | re.S)
    assert m, f"no {node_prefix} node in:\n{dts}"
    reg = re.search(r"\breg = <([^>]*)>;", m.group(1))
    return [int(c, 16) for c in reg.group(1).split()]


def pairs(cells):
    """2 + 2 cell <address size> entries as (address, size) tuples."""
    return [((cells[i] << 32) | cells[i + 1], (cells[i + 2] << 32) | cells[i + 3])
            for i in range(0, len(cells), 4)]


def test_static_and_direct_mapped_domains(hypervisor, tool, dumpdtb, tmp_path):
    """d1: 16 MiB + 16 MiB of static banks, seen at GUEST_RAM0 as one
    32 MiB bank; d2: 32 MiB direct-mapped, seen at its host address with
    the host's GIC and PL011 (0x9000000, SPI 1) as its vpl011, and (with
    xen,enhanced) extended regions of host RAM that no static bank holds,
    as Xen 4.17's find_unallocated_memory gives them."""
    guests = [
        Guest("st", "dtdump", vpl011=True,
              extra=[memory(32 * 1024),
                     static_mem((0x60000000, 16 * MIB), (0x62000000, 16 * MIB))]),
        Guest("dm", "dtdump", vpl011=True,
              extra=[memory(32 * 1024), static_mem((0x64000000, 32 * MIB)), "direct-map;",
                     'xen,enhanced = "no-xenstore";']),
    ]
    q = boot(hypervisor, tool, dumpdtb, tmp_path, guests)
    q.wait_for(r"^\(PXN\) Static memory: 0x0000000060000000-0x0000000060ffffff$", timeout=30)
    q.wait_for(r"^\(PXN\) Domain 1: static memory 0x60000000-0x61000000 at guest 0x40000000$")
    q.wait_for(r"^\(PXN\) Domain 1: static memory 0x62000000-0x63000000 at guest 0x41000000$")
    q.wait_for(r"^\(PXN\) Domain 2: static memory 0x64000000-0x66000000 at guest 0x64000000 "
               r"\(direct-map\)$")
    q.wait_for(r"^\(PXN\) dom0less: 2 of 2 domains started$", timeout=30)
    done = q.wait_for_all([DONE.format(id=d) for d in (1, 2)], timeout=60)
    assert [m.group(2) for m in done] == ["0", "0"], q.output

    st = guest_dtb(q, 1, tool, tmp_path / "d1.dtb")
    assert pairs(reg_of(st, "memory@")) == [(0x40000000, 32 * MIB)], st

    dm = guest_dtb(q, 2, tool, tmp_path / "d2.dtb")
    # Guest physical == host physical: the tree says the host's addresses.
    assert pairs(reg_of(dm, "memory@")) == [(0x64000000, 32 * MIB)], dm
    # QEMU virt's GICv3 distributor and redistributors, and its PL011.
    gic = pairs(reg_of(dm, "interrupt-controller@"))
    assert gic[0] == (0x8000000, 0x10000) and gic[1][0] == 0x80a0000, dm
    assert pairs(reg_of(dm, "sbsa-uart@")) == [(0x9000000, 0x1000)], dm
    uart = re.search(r"sbsa-uart@9000000 \{.*?interrupts = <([^>]*)>;", dm, re.S)
    assert uart and [int(c, 16) for c in uart.group(1).split()][:2] == [0, 1], dm
    # Host RAM (0x40000000-0x7fffffff) minus every static bank, each piece
    # 2 MiB aligned and at least 64 MiB: below d1's banks, above d2's.
    assert re.search(r"^\(PXN\) Domain 2: extended region 0: 0x40000000->0x60000000$",
                     q.output, re.M), q.output
    assert re.search(r"^\(PXN\) Domain 2: extended region 1: 0x66000000->0x80000000$",
                     q.output, re.M), q.output
    assert not re.search(r"^\(PXN\) Domain 2: extended region 2:", q.output, re.M)
    # The guest's /hypervisor: the grant window, then those two.
    assert pairs(reg_of(dm, "hypervisor")) == [(0x38000000, 16 * MIB), (0x40000000, 512 * MIB),
                                               (0x66000000, 416 * MIB)], dm


def test_bad_banks_are_named_and_the_good_domain_boots(hypervisor, tool, dumpdtb, tmp_path):
    """Each bad domain is named with its bank and reason and skipped; the
    domain with good banks (and one on the heap) still run."""
    guests = [
        Guest("good", "hello", bootargs="name=good",
              extra=[memory(16 * 1024), static_mem((0x60000000, 16 * MIB))]),
        Guest("overlap", "hello",
              extra=[memory(16 * 1024), static_mem((0x60800000, 16 * MIB))]),
        Guest("notram", "hello",
              extra=[memory(16 * 1024), static_mem((0x20000000, 16 * MIB))]),
        Guest("overmodule", "hello",
              extra=[memory(2 * 1024), static_mem((0x50000000, 2 * MIB))]),
        Guest("overxen", "hello",
              extra=[memory(2 * 1024), static_mem((0x40200000, 2 * MIB))]),
        Guest("overdtb", "hello",
              extra=[memory(2 * 1024), static_mem((0x48000000, 2 * MIB))]),
        Guest("badsum", "hello",
              extra=[memory(8 * 1024), static_mem((0x68000000, 16 * MIB))]),
        Guest("dmalone", "hello", extra=["direct-map;"]),
        Guest("heap", "hello", bootargs="name=heap", memory_kib=16 * 1024),
        # Beyond Xen 4.17: banks over a static shared memory region or a
        # /reserved-memory child, named with the other node.
        Guest("sharer", "hello", bootargs="name=sharer", memory_kib=16 * 1024,
              extra=['shm@0 { compatible = "xen,domain-shared-memory-v1"; xen,shm-id = "s"; '
                     'xen,shared-mem = <0x0 0x70000000 0x0 0x70000000 0x0 0x200000>; };']),
        Guest("overshm", "hello",
              extra=[memory(2 * 1024), static_mem((0x70000000, 2 * MIB))]),
        Guest("overresv", "hello",
              extra=[memory(2 * 1024), static_mem((0x72000000, 2 * MIB))]),
    ]
    resv = ("reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges; "
            "fw@72000000 { reg = <0x0 0x72000000 0x0 0x100000>; no-map; }; };")
    q = boot(hypervisor, tool, dumpdtb, tmp_path, guests, root_extra=resv)
    skipped = r": domain skipped$"
    q.wait_for(r"^\(PXN\) dom0less: /chosen/overlap: xen,static-mem bank 0 "
               r"\[0x60800000, \+0x1000000\) overlaps a static memory bank of /chosen/good"
               + skipped, timeout=30)
    q.wait_for(r"^\(PXN\) dom0less: /chosen/notram: xen,static-mem bank 0 "
               r"\[0x20000000, \+0x1000000\) is not in RAM" + skipped)
    q.wait_for(r"^\(PXN\) dom0less: /chosen/overmodule: xen,static-mem bank 0 "
               r"\[0x50000000, \+0x200000\) overlaps boot module /chosen/good/module@50000000"
               + skipped)
    q.wait_for(r"^\(PXN\) dom0less: /chosen/overxen: xen,static-mem bank 0 "
               r"\[0x40200000, \+0x200000\) overlaps the hypervisor" + skipped)
    # QEMU puts the boot tree at 0x48000000 with this much RAM.
    q.wait_for(r"^\(PXN\) dom0less: /chosen/overdtb: xen,static-mem bank 0 "
               r"\[0x48000000, \+0x200000\) overlaps the boot device tree" + skipped)
    q.wait_for(r"^\(PXN\) dom0less: /chosen/badsum: \"memory\" is not the sum of the "
               r"xen,static-mem banks" + skipped)
    q.wait_for(r"^\(PXN\) dom0less: /chosen/dmalone: direct-map needs xen,static-mem" + skipped)
    q.wait_for(r"^\(PXN\) dom0less: /chosen/overshm: xen,static-mem bank 0 "
               r"\[0x70000000, \+0x200000\) overlaps static shared memory /chosen/sharer/shm@0"
               + skipped)
    q.wait_for(r"^\(PXN\) dom0less: /chosen/overresv: xen,static-mem bank 0 "
               r"\[0x72000000, \+0x200000\) overlaps reserved memory "
               r"/reserved-memory/fw@72000000" + skipped)
    q.wait_for(r"^\(PXN\) dom0less: 3 of 12 domains started$", timeout=30)
    q.wait_for_all([r"^\(d1\) TEST hello: PASS$", r"^\(d9\) TEST hello: PASS$",
                    r"^\(d10\) TEST hello: PASS$"], timeout=60)


def test_static_domain_reboots_on_its_banks(hypervisor, tool, dumpdtb, tmp_path):
    """SYSTEM_RESET: the domain is rebuilt on the same banks (Xen 4.17
    would leave it shut down; Proxenos rebuilds dom0less domains)."""
    guests = [Guest("rb", "reboot", vpl011=True,
                    extra=[memory(16 * 1024), static_mem((0x60000000, 16 * MIB))])]
    q = boot(hypervisor, tool, dumpdtb, tmp_path, guests)
    q.wait_for(r"^\(d1\) reboot: boot", timeout=30)
    q.wait_for(r"^\(PXN\) Domain 1 \(rb\) shut down: reboot$", timeout=30)
    q.wait_for(r"^\(d1\) reboot: boot", timeout=30)
    banks = re.findall(r"^\(PXN\) Domain 1: static memory 0x60000000-0x61000000 at guest "
                       r"0x40000000$", q.output, re.M)
    assert len(banks) >= 2, q.output


def test_debian_linux_direct_mapped(hypervisor, tool, dumpdtb, tmp_path):
    """Unmodified Debian Linux as a direct-mapped static domU: its RAM is
    256 MiB of host RAM at the same addresses, its console the vpl011 at
    the host PL011's address and interrupt; it reaches its init and reads
    its extended regions (host RAM outside its bank) in /hypervisor."""
    kernel = CACHE / "linux" / "Image"
    if not kernel.is_file() or not (CACHE / "busybox" / "busybox").is_file():
        pytest.fail(f"no cached Debian kernel/busybox under {CACHE}: run scripts/setup.sh")
    initrd = tmp_path / "initramfs.cpio.gz"
    tool("sh", REPO / "scripts" / "mkinitramfs.sh", "--marker", "DOMU-INIT-REACHED",
         "--run", "grep -i 'system ram' /proc/iomem; echo IRQS; grep ' 33 ' /proc/interrupts; "
         "echo HYPREG $(od -An -tx1 -v /proc/device-tree/hypervisor/reg | tr -d ' \\n')",
         initrd, timeout=60)
    guest = Guest("linux", str(kernel), cpus=1, bootargs="console=ttyAMA0", ramdisk=initrd,
                  extra=[memory(256 * 1024), static_mem((0x60000000, 256 * MIB)), "direct-map;",
                         'xen,enhanced = "no-xenstore";'])
    q = boot(hypervisor, tool, dumpdtb, tmp_path, [guest], timeout=180)
    q.wait_for(r"^\(PXN\) Domain 1: static memory 0x60000000-0x70000000 at guest 0x60000000 "
               r"\(direct-map\)$", timeout=30)
    q.wait_for(r"^\(d1\) \[ *[0-9.]+\] Booting Linux on physical CPU", timeout=60)
    q.wait_for(r"^\(d1\) DOMU-INIT-REACHED$", timeout=150)
    # Its RAM is where the host's is: guest physical == host physical.
    q.wait_for(r"^\(d1\) 60000000-6fffffff : System RAM$", timeout=30)
    # Its console's interrupt is the host PL011's, INTID 33 (SPI 1).
    q.wait_for(r"^\(d1\) IRQS$", timeout=30)
    q.wait_for(r"^\(d1\) +\d+: +\d+ +GICv3 +33 Level", timeout=30)
    # Its /hypervisor node, as Linux reads it: the grant window, then host
    # RAM below and above its bank (QEMU's 1 GiB at 0x40000000).
    m = q.wait_for(r"^\(d1\) HYPREG ([0-9a-f]+)$", timeout=30)
    cells = bytes.fromhex(m.group(1))
    regs = [(int.from_bytes(cells[i:i + 8], "big"), int.from_bytes(cells[i + 8:i + 16], "big"))
            for i in range(0, len(cells), 16)]
    assert regs == [(0x38000000, 16 * MIB), (0x40000000, 512 * MIB),
                    (0x70000000, 256 * MIB)], regs
    m = q.wait_for(r"^\(PXN\) All domains have stopped: (\d+) powered off", timeout=60)
    assert m.group(1) == "1"
