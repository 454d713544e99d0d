"""Broken boot environments end in one clear FATAL line, never a hang."""

import fdtedit
import pxn
from conftest import IMAGE, QEMU_SH

DTB_ADDR = 0x48000000       # where QEMU puts the DTB for -kernel without -initrd (test_harness)


def test_corrupt_device_tree(hypervisor, dumpdtb, tool, tmp_path):
    # QEMU's dump is padded to 1 MiB, and QEMU doubles that when it loads a
    # -dtb, past the 2 MiB a device tree may take; dtc writes it compactly.
    good = tmp_path / "good.dtb"
    tool("dtc", "-q", "-I", "dtb", "-O", "dtb", "-o", good, dumpdtb(smp=1, mem="512M"))
    # A property name pointing far past the strings block, in a node QEMU
    # does not rewrite when it loads a -dtb.
    bad = tmp_path / "bad.dtb"
    bad.write_bytes(fdtedit.set_nameoff(good.read_bytes(), "/cpus", "#size-cells", 0x00FFFF00))

    # Preconditions: QEMU hands the damage through unchanged, and the same
    # tree undamaged boots.
    redump = tmp_path / "redump.dtb"
    tool("sh", QEMU_SH, "--pipe", "--image", IMAGE, "--smp", 1, "--mem", "512M",
         "--dtb", bad, "--dumpdtb", redump, timeout=30)
    passed = redump.read_bytes()
    assert fdtedit.nameoff_at(passed, "/cpus", 0) > fdtedit.header(passed)["size_dt_strings"], \
        "QEMU repaired the corrupted DTB; the test needs another corruption"
    control = hypervisor(smp=1, mem="512M", args=["--dtb", good], label="undamaged")
    control.wait_for(pxn.BOOT_COMPLETE, timeout=30)
    control.close()

    q = hypervisor(smp=1, mem="512M", args=["--dtb", bad], label="damaged")
    m = q.wait_for(pxn.FATAL_BAD_DT, timeout=20)
    assert int(m["addr"], 16) == DTB_ADDR
    q.expect_absent(pxn.BOOT_COMPLETE, within=1.0)


def test_no_device_tree(hypervisor):
    # Entered through QEMU's generic loader: PC = the image, x0 = 0.
    q = hypervisor(smp=1, mem="512M", append="", args=["--no-image"],
                   qemu_args=["-device", f"loader,file={IMAGE},addr=0x40200000,cpu-num=0"])
    q.wait_for(pxn.FATAL_NO_DT, timeout=20)
    q.expect_absent(pxn.BOOT_COMPLETE, within=1.0)


def test_entered_at_el1(hypervisor):
    q = hypervisor(smp=1, mem="512M", args=["--no-virt"])
    m = q.wait_for(pxn.FATAL_EL, timeout=20)
    assert m["el"] == "1"
    q.expect_absent(pxn.BOOT_COMPLETE, within=1.0)
