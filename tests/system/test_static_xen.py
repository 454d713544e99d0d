"""The static configuration trees on the full-config Xen 4.17
($PROXENOS_CACHE/xen-full/xen-4.17-full-arm64, which
scripts/build-xen-reference.sh builds: Debian's Xen leaves static memory
and static shared memory out). Each test boots a tree of
test_static_mem.py, test_static_shm.py, test_static_heap.py or
test_static_evtchn.py, built by their own helpers, and checks what the
guests report; where Xen 4.17 behaves otherwise than Proxenos, the test
asserts what Xen does and docs/static-config.md ("Compared with Xen 4.17")
says how they differ. Skipped when the image is absent."""

import re
import time
from types import SimpleNamespace

import pytest

from conftest import CACHE, STD_APPEND
from dom0less import Guest, boot_dtb
import test_static_evtchn as evtchn
import test_static_heap as heap
import test_static_mem as mem
import test_static_shm as shm
from test_qemu_line import Qmp

XEN_FULL = CACHE / "xen-full" / "xen-4.17-full-arm64"
pytestmark = pytest.mark.skipif(
    not XEN_FULL.is_file(),
    reason=f"no full-config Xen 4.17 at {XEN_FULL}: build it with "
           "scripts/build-xen-reference.sh (docs/testing.md)")

# Xen prints a domU's console_io lines only with guest_loglvl=all, and
# its own INFO lines (the static banks) only with loglvl=all.
XEN_APPEND = STD_APPEND + " loglvl=all guest_loglvl=all"
DONE = r"^\(d{id}\) GUEST DONE (\d+) passed (\d+) failed$"
MIB = 1 << 20


def boot_xen(qemu, tool, dumpdtb, tmp_path, guests, chosen_extra="", timeout=120,
             qemu_args=()):
    """Boot these dom0less guests on the full-config Xen (2 CPUs, 1 GiB, as
    the Proxenos runs); return the run and when it started."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    dtb, loaders = boot_dtb(tool, dumpdtb, tmp_path, guests, 2, "1G", XEN_APPEND,
                            chosen_extra)
    start = time.monotonic()
    q = qemu("--image", XEN_FULL, "--smp", 2, "--mem", "1G", "--append", "", "--dtb", dtb,
             "--", *loaders, *qemu_args, label="xen", hard_timeout=timeout + 30)
    return q, start


def guest_lines(q):
    """The run's output with Xen's vpl011 lines ("(XEN) DOM1: ...") written
    as its console_io lines ("(d1) ..."), which the Proxenos tests read."""
    return re.sub(r"^\(XEN\) DOM(\d+): ", r"(d\1) ", q.output, flags=re.M)


def vpl011_done(d):
    """A vpl011 guest's GUEST DONE line on Xen's console."""
    return rf"^\(XEN\) DOM{d}: GUEST DONE (\d+) passed (\d+) failed$"


def any_done(d):
    """Domain d's GUEST DONE line on either hypervisor, by either console."""
    return rf"^(?:\(d{d}\)|\(XEN\) DOM{d}:) GUEST DONE (\d+) passed (\d+) failed$"


def mem_guests():
    """test_static_mem's good tree: d1 static, d2 direct-mapped."""
    return [
        Guest("st", "dtdump", vpl011=True,
              extra=[mem.memory(32 * 1024),
                     mem.static_mem((0x60000000, 16 * MIB), (0x62000000, 16 * MIB))]),
        Guest("dm", "dtdump", vpl011=True,
              extra=[mem.memory(32 * 1024), mem.static_mem((0x64000000, 32 * MIB)),
                     "direct-map;"]),
    ]


def heap_bank():
    """test_static_heap's good bank: 128 MiB in the middle of 1 GiB."""
    return f"xen,static-heap = <0x0 {heap.HEAP:#x} 0x0 {heap.HEAP_SIZE:#x}>;"


def heap_guests(count=5):
    """Two 32 MiB hello domains, as test_static_heap's that fit."""
    return [Guest("small1", "hello", memory_kib=32 * 1024, bootargs=f"name=s1 count={count}"),
            Guest("small2", "hello", memory_kib=32 * 1024, bootargs="name=s2")]


def test_static_and_direct_mapped_domains(qemu, tool, dumpdtb, tmp_path):
    """test_static_mem's tree: d1 on 16 + 16 MiB of static banks, seen at
    GUEST_RAM0 as on Proxenos; d2 direct-mapped on 32 MiB, seen at its host
    address with the host's GIC and PL011 address and interrupt."""
    q, _ = boot_xen(qemu, tool, dumpdtb, tmp_path, mem_guests())
    q.wait_for_all([r"^\(XEN\) d1: STATIC BANK\[0\] 0x00000060000000-0x00000061000000$",
                    r"^\(XEN\) d1: STATIC BANK\[1\] 0x00000062000000-0x00000063000000$",
                    r"^\(XEN\) d2: STATIC BANK\[0\] 0x00000064000000-0x00000066000000$"],
                   timeout=30)
    # the direct-mapped kernel is loaded at its host address
    q.wait_for(r"^\(XEN\) Loading zImage from 0000000050200000 to 0000000064000000-",
               timeout=30)
    done = q.wait_for_all([vpl011_done(d) for d in (1, 2)], timeout=60)
    assert [m.group(2) for m in done] == ["0", "0"], q.output

    out = SimpleNamespace(output=guest_lines(q))
    st = mem.guest_dtb(out, 1, tool, tmp_path / "d1.dtb")
    assert mem.pairs(mem.reg_of(st, "memory@")) == [(0x40000000, 32 * MIB)], st
    dm = mem.guest_dtb(out, 2, tool, tmp_path / "d2.dtb")
    assert mem.pairs(mem.reg_of(dm, "memory@")) == [(0x64000000, 32 * MIB)], dm
    gic = mem.pairs(mem.reg_of(dm, "interrupt-controller@"))
    assert gic[0] == (0x8000000, 0x10000) and gic[1][0] == 0x80a0000, dm
    assert mem.pairs(mem.reg_of(dm, "sbsa-uart@")) == [(0x9000000, 0x1000)], dm
    uart = re.search(r"sbsa-uart@9000000 \{.*?interrupts = <([^>]*)>;", dm, re.S)
    assert uart and [int(c, 16) for c in uart.group(1).split()][:2] == [0, 1], dm


def test_static_shm_pairs(qemu, tool, dumpdtb, tmp_path):
    """test_static_shm's good tree: an owner and a borrower of shm-a, two
    borrowers of shm-io (owned by dom_io); each finds its
    /reserved-memory node and the bytes pass both ways. One difference:
    Xen 4.17 gives the owner (which has /hypervisor) an extended region
    over its shared region, which the guest's shm_not_ext_region test
    catches; Proxenos leaves the region out of the extended regions."""
    q, _ = boot_xen(qemu, tool, dumpdtb, tmp_path, shm.good_domains())
    q.wait_for_all([
        r"^\(XEN\) d1: allocate static shared memory BANK "
        r"0x00000070000000-0x00000070200000\.$",
        r"^\(XEN\) d\[IO\]: allocate static shared memory BANK "
        r"0x00000070400000-0x00000070410000\.$",
        # guest 0x50000000 + 2 MiB lies inside it
        r"^\(XEN\) d1: extended region 0: 0x44000000->0x100000000$",
    ], timeout=30)
    done = q.wait_for_all([DONE.format(id=d) for d in (1, 2, 3, 4)], timeout=90)
    counts = {d: (int(m.group(1)), int(m.group(2))) for d, m in zip((1, 2, 3, 4), done)}
    assert counts == {1: (10, 1), 2: (10, 0), 3: (10, 0), 4: (10, 0)}, q.output[-6000:]
    failed = re.findall(r"^\(d\d\) TEST (\w+): FAIL (.*)$", q.output, re.M)
    assert failed == [("shm_not_ext_region", "an extended region covers the region")], failed
    for d, gaddr in ((1, "50000000"), (2, "60000000"), (3, "48000000"), (4, "48000000")):
        assert re.search(rf"^\(d{d}\) static_shm: xen-shmem@{gaddr}: shm-", q.output, re.M)
    # the bytes went both ways all the same
    for d, line in ((2, "read the first pattern, wrote the answer"), (4, "read the first "
                    "pattern, wrote the answer"), (1, "TEST shm_reply_read: PASS"),
                    (3, "TEST shm_reply_read: PASS")):
        assert re.search(rf"^\(d{d}\) (static_shm: )?{line}$", q.output, re.M), (d, line)


def test_static_evtchn_pair(qemu, tool, dumpdtb, tmp_path):
    """test_static_evtchn's good pair: each end finds its port interdomain
    to the other and both receive the other's events."""
    q, _ = boot_xen(qemu, tool, dumpdtb, tmp_path, evtchn.good_pair())
    evtchn.check_good_pair(q)


def to_xen(q):
    """Move the console input to Xen: Ctrl-a three times steps through
    the domains (DOM0 first, though a dom0less system has none) to Xen."""
    for _ in range(6):
        q.send(b"\x01\x01\x01")
        # Up to the " (" after the name: a line still arriving ("to Xe")
        # must not count as another domain's.
        if q.wait_for(r"\*\*\* Serial input to (\S+) \(", timeout=10).group(1) == "Xen":
            return
    raise AssertionError("the console input never reached Xen")


def test_static_heap_domains_fit(qemu, tool, dumpdtb, tmp_path):
    """xen,static-heap of 128 MiB in 1 GiB: two 32 MiB domains are built
    from it and run, and Xen's 'm' key finds less than the bank's 128 MiB
    less theirs free: the rest of RAM is not in the heap."""
    q, _ = boot_xen(qemu, tool, dumpdtb, tmp_path, heap_guests(count=100),
                    chosen_extra=heap_bank())
    q.wait_for_all([r"^\(XEN\) d1 BANK\[0\] 0x00000040000000-0x00000042000000 \(32MB\)$",
                    r"^\(XEN\) d2 BANK\[0\] 0x00000040000000-0x00000042000000 \(32MB\)$",
                    r"^\(XEN\) \*\*\* Serial input to DOM0"], timeout=30)
    # Asked while s1 still prints its 100 lines.
    to_xen(q)
    q.send(b"m")
    free = int(q.wait_for(r"^\(XEN\)     Dom heap: (\d+)kB free$", timeout=20).group(1))
    assert 0 < free * 1024 <= heap.HEAP_SIZE - 64 * MIB, free
    done = q.wait_for_all([vpl011_done(d) for d in (1, 2)], timeout=60)
    assert [m.group(2) for m in done] == ["0", "0"], q.output[-3000:]
    for d in (1, 2):
        assert re.search(rf"^\(XEN\) DOM{d}: TEST hello: PASS$", q.output, re.M)


# Bad trees. Proxenos skips the domain named and runs the others
# (test_static_heap.py, test_static_mem.py); Xen 4.17 stops the machine
# while building the domains, before any runs. One run of each records it.

def test_static_heap_domain_too_big_panics(qemu, tool, dumpdtb, tmp_path):
    """test_static_heap's 256 MiB domain between two 32 MiB ones in the
    128 MiB heap: Proxenos refuses it with Xen's words and runs both
    others; Xen 4.17 panics with them, and no domain runs."""
    guests = [Guest("small1", "hello", memory_kib=32 * 1024, bootargs="name=s1"),
              Guest("big", "hello", memory_kib=256 * 1024, bootargs="name=big"),
              Guest("small2", "hello", memory_kib=32 * 1024, bootargs="name=s2")]
    q, _ = boot_xen(qemu, tool, dumpdtb, tmp_path, guests, chosen_extra=heap_bank(),
                    timeout=60)
    q.wait_for(r"^\(XEN\) Allocating mappings totalling 256MB for d2:$", timeout=30)
    q.wait_for(r"^\(XEN\) Panic on CPU 0:$", timeout=10)
    q.wait_for(r"^\(XEN\) Failed to allocate requested domain memory\. 262144KB "
               r"unallocated\. Fix the VMs configurations\.$", timeout=10)
    q.wait_for(r"Reboot in five seconds", timeout=10)
    assert q.expect_exit(30) == 0       # -no-reboot: the reset ends QEMU
    assert not re.search(r"^(\(d\d+\)|\(XEN\) DOM\d+:) ", q.output, re.M), q.output[-3000:]


def test_static_mem_overlap_hangs(qemu, tool, dumpdtb, tmp_path):
    """test_static_mem's overlapping banks: a second domain whose
    xen,static-mem overlaps the first's. Proxenos names the bank and the
    domain it overlaps and skips it; Xen 4.17 prints nothing at all, not
    even its banner, and does not stop. The first domain alone boots
    (the control), so the overlap is what does it. Xen's console ring,
    read from guest RAM through QEMU, says why: a BUG freeing the page
    both banks share, before the serial console is up."""
    good = Guest("good", "hello", bootargs="name=good",
                 extra=[mem.memory(16 * 1024), mem.static_mem((0x60000000, 16 * MIB))])
    overlap = Guest("overlap", "hello",
                    extra=[mem.memory(16 * 1024), mem.static_mem((0x60800000, 16 * MIB))])
    q, _ = boot_xen(qemu, tool, dumpdtb, tmp_path / "alone", [good], timeout=60)
    q.wait_for(r"^\(XEN\) DOM1: GUEST DONE 2 passed 0 failed$", timeout=60)
    q.close()
    sock = tmp_path / "qmp.sock"
    q, _ = boot_xen(qemu, tool, dumpdtb, tmp_path / "both", [good, overlap], timeout=60,
                    qemu_args=["-qmp", f"unix:{sock},server=on,wait=off"])
    q.expect_absent(r"Xen|\(XEN\)", within=20)
    assert q.running(), q.output
    # Xen runs where QEMU loaded it (0x40200000); its console ring is in
    # its data, within the image's first 2 MiB.
    image = tmp_path / "xen-ram.bin"
    qmp = Qmp(sock)
    try:
        qmp.call("pmemsave", val=0x40200000, size=0x200000, filename=str(image))
    finally:
        qmp.close()
    ring = image.read_bytes()
    for line in (b"(XEN)  RESVD[1]: 0000000060800000 - 00000000617fffff",
                 b"(XEN) pg MFN 60800 ", b"(XEN) Xen BUG at ", b"mark_page_free",
                 b"(XEN) Reboot in five seconds..."):
        assert line in ring, f"{line!r} not in Xen's console ring"

TREES = {
    "static-mem": lambda: (mem_guests(), ""),
    "static-shm": lambda: (shm.good_domains(), ""),
    "static-heap": lambda: (heap_guests(), heap_bank()),
    "static-evtchn": lambda: (evtchn.good_pair(), ""),
}


@pytest.mark.parametrize("tree", list(TREES))
def test_time_to_done_side_by_side(tree, qemu, hypervisor, tool, dumpdtb, tmp_path):
    """Each good tree on Proxenos ($PROXENOS_BUILD) and on Xen: both run
    every domain to its GUEST DONE line; the seconds from QEMU's start to
    the last one are printed (pytest -s) for docs/static-config.md."""
    guests, chosen = TREES[tree]()
    ids = range(1, len(guests) + 1)
    (tmp_path / "pxn").mkdir()
    dtb, loaders = boot_dtb(tool, dumpdtb, tmp_path / "pxn", guests, 2, "1G", STD_APPEND,
                            chosen)
    start = time.monotonic()
    q = hypervisor(smp=2, mem="1G", append="", args=["--dtb", dtb], qemu_args=loaders,
                   label="proxenos", hard_timeout=150)
    q.wait_for_all([any_done(d) for d in ids], timeout=120)
    on_pxn = time.monotonic() - start
    q.close()
    q, start = boot_xen(qemu, tool, dumpdtb, tmp_path / "xen", guests, chosen)
    q.wait_for_all([any_done(d) for d in ids], timeout=120)
    on_xen = time.monotonic() - start
    print(f"\n{tree}: last GUEST DONE of {len(guests)} domains after {on_pxn:.2f} s on "
          f"Proxenos, {on_xen:.2f} s on Xen 4.17")
