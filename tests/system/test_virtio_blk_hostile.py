"""A hostile driver against our virtio-blk back end (issue 17 point 5:
malformed virtqueue descriptors from a guest fail that request, never the
back end). The domU is guests/vblk_hostile, a dom0less domain with a
proxenos,virtio-mmio-v1 blk device (docs/virtio.md); dom0 is the toolstack
dom0 running tools/virtio-backend in its command-line mode on a 16 MiB
image whose sector 0 starts "dom0". The guest offers chains a driver must
never offer (a loop, a next past the table, a wrapping address, nested and
badly sized indirect tables, readable after writable), requests that walk
but make no sense, and an available index far ahead of its ring; each is
refused or failed, good reads work between them and after the reset the
broken ring asks for. dom0's back end is still there afterwards, logs the
malformed chains it refused, and ends when the domU is gone.
"""

import re

import pytest

from conftest import BUILD, REPO
from toolstack import BUSYBOX, KERNEL, TOOLSTACK, dom0_qemu, run_commands
from test_virtio_blk_dom0less import BACKEND, FIND, START_BY_HAND as START

GUEST = BUILD / "guests" / "vblk_hostile.bin"
DISK = "/tmp/vblk.img"
VDISK = """\t\t\tvdisk {
\t\t\t\tcompatible = "proxenos,virtio-mmio-v1";
\t\t\t\tproxenos,device-type = "blk";
\t\t\t};"""
MAKE_DISK = (f"dd if=/dev/zero of={DISK} bs=1M count=16 2>/dev/null && "
             f"echo dom0-image | dd of={DISK} conv=notrunc 2>/dev/null && ls -l {DISK}")
ENDS = ("i=0; while pidof virtio-blk-backend >/dev/null; do i=$((i + 1)); "
        "[ $i -lt 240 ] || exit 1; sleep 1; done; cat /tmp/vblk.log")
COMMANDS = [MAKE_DISK, FIND, START, ENDS]
BUDGET = 300
HARD = 900

TESTS = ["vblk_identity", "vblk_init", "vblk_capacity", "vblk_good_read",
         "vblk_loop_refused", "vblk_next_past_table_refused", "vblk_wrapping_address_refused",
         "vblk_nested_indirect_refused", "vblk_indirect_bad_size_refused",
         "vblk_readable_after_writable_refused", "vblk_good_read_after_bad_chains",
         "vblk_past_the_end_ioerr", "vblk_data_outside_ram_ioerr", "vblk_bad_index_needs_reset",
         "vblk_reset_and_init", "vblk_good_read_after_reset"]


@pytest.fixture(scope="module")
def run(tool, tmp_path_factory):
    for need in (KERNEL, BUSYBOX, TOOLSTACK / "usr/lib/xen-4.17/bin/xl"):
        if not need.exists():
            pytest.fail(f"no {need}: run scripts/setup.sh")
    for need, how in ((BACKEND, "tools"), (GUEST, "guests")):
        if not need.is_file():
            pytest.fail(f"no {need}: run `make O={BUILD} {how}`")
    work = tmp_path_factory.mktemp("virtio-blk-hostile")
    commands = work / "commands"
    commands.write_text("".join(c + "\n" for c in COMMANDS))
    dom0 = work / "dom0.cpio.gz"
    tool("sh", REPO / "scripts" / "mkinitramfs-toolstack.sh", "--no-domu",
         "--commands", commands, "--timeout", BUDGET,
         "--add", f"{BACKEND}:/usr/bin/virtio-blk-backend", dom0, timeout=120)
    q = dom0_qemu("proxenos", dom0, "test_virtio_blk_hostile", HARD,
                  extra=["--domu", GUEST, "--domu-mem", 64, "--domu-node", VDISK])
    try:
        yield run_commands(q, "proxenos", BUDGET)
    finally:
        q.close()


def test_every_hostile_case_fails_alone(run):
    out = run.output
    results = dict(re.findall(r"^\(d1\) TEST (\w+): (PASS|FAIL.*?)\r?$", out, re.M))
    assert {t: results.get(t) for t in TESTS} == {t: "PASS" for t in TESTS}, out[-6000:]
    assert re.search(rf"^\(d1\) GUEST DONE {len(TESTS)} passed 0 failed\r?$", out, re.M), \
        out[-6000:]


def test_backend_survives_and_says_so(run):
    log = run.ok(ENDS)
    assert "queue 0: ring unreadable or inconsistent; device needs reset" in log, log
    assert len(re.findall(r"queue 0: malformed chain at head 0", log)) == 5, log
    assert re.search(r"^virtio-blk dom1: queue 0: \d+ requests, 2 failed, \d+ malformed$", log,
                     re.M), log
    assert "virtio-blk dom1: the guest is gone" in log, log
    assert log.rstrip().endswith("virtio-blk dom1: disconnected"), log
