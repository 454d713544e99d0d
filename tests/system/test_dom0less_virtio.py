"""dom0less VirtIO-MMIO devices (Proxenos's binding, docs/virtio.md): a
xen,domain node with a proxenos,virtio-mmio-v1 child and nothing else said
gets libxl's layout (0x2000000, 0x200 bytes, SPI 33). The hypervisor
writes the domU's virtio@2000000 node, lists the device in dom0's
/chosen/proxenos-virtio, reserves the range for dom0 and holds the domU
paused until dom0 has claimed it. dom0 is guests/ioreq_backend in its
fromdt=1 mode: it takes its target and the device from its own device
tree, then serves it as in test_ioreq.py; the domU (guests/ioreq_front,
dom0less=1) checks its node, that its very first access is answered (it
was held, not aborted) and then runs test_ioreq's whole exchange. A
second boot has a dom0 that never claims the device: the domU stays held,
and the 'q' key says so. A third gives domUs bad device nodes: those
domains alone are skipped."""

import re
import time

from conftest import STD_APPEND
from dom0less import Guest, boot_dtb, dom0_module
from test_ioreq import BACKEND_TESTS, DOM0, DOMU, FRONT_TESTS, results, wait_done

APPEND = STD_APPEND + " dom0_mem=64M"
# What fromdt=1 and dom0less=1 add to each guest's TEST lines.
BACKEND_DT_TESTS = 7
FRONT_DT_TESTS = 6

VDISK = """vdisk {
                compatible = "proxenos,virtio-mmio-v1";
                proxenos,device-type = "blk";
                proxenos,backend-args = "toy register file";
            };"""


def test_dom0less_virtio_device(hypervisor, tool, dumpdtb, tmp_path):
    module, dom0 = dom0_module("ioreq_backend", "fromdt=1 vcpus=2")
    front = Guest("front", "ioreq_front", cpus=2, bootargs="rounds=20 dom0less=1", extra=[VDISK])
    dtb, loaders = boot_dtb(tool, dumpdtb, tmp_path, [front], 2, "1G", APPEND, module)
    q = hypervisor(smp=2, mem="1G", append="", args=["--dtb", dtb], qemu_args=loaders + dom0,
                   hard_timeout=300)
    front_done, back_done = wait_done(q)
    out = q.output
    failed = [(who, t, r) for who, prefix in (("dom0", DOM0), ("d1", DOMU))
              for t, r in results(out, prefix) if r != "PASS"]
    assert not failed, f"{failed}\n{out[-6000:]}"
    assert (int(back_done.group(1)), int(back_done.group(2))) == \
        (BACKEND_TESTS + BACKEND_DT_TESTS, 0), out[-6000:]
    assert (int(front_done.group(1)), int(front_done.group(2))) == \
        (FRONT_TESTS + FRONT_DT_TESTS, 0), out[-6000:]
    # the hypervisor's own account: placed, held, released once
    assert re.search(r"Domain 1: virtio blk vdisk at 0x2000000-0x20001ff, SPI 33, back end dom0",
                     out), out[-6000:]
    held = out.find("Domain 1 (front): held paused until dom0 claims its 1 virtio device(s)")
    released = out.find("Domain 1 (front): its virtio devices are claimed: unpaused")
    assert 0 <= held < released, out[-6000:]
    assert out.count("its virtio devices are claimed: unpaused") == 1, out[-6000:]
    # dom0 found it in its device tree, with what the node said
    assert re.search(r"ioreq_backend: device tree lists d1-2000000: d1 blk \(id 2\) vdisk at "
                     r"0x2000000\+0x200, irq 33, args \"toy register file\"", out), out[-6000:]
    for name in ("dt_virtio_window", "dt_virtio_irq"):
        assert (name, "PASS") in results(out, DOM0), name
    for name in ("front_dt_virtio_node", "front_dt_virtio_irq", "front_held_until_claimed"):
        assert (name, "PASS") in results(out, DOMU), name


def test_held_while_nobody_claims(hypervisor, tool, dumpdtb, tmp_path):
    """dom0 is a guest that serves nothing (hello): the domU never runs a
    single instruction of its own, and the debug key shows why."""
    module, dom0 = dom0_module("hello", "name=dom0 count=2")
    front = Guest("front", "ioreq_front", cpus=2, bootargs="dom0less=1", extra=[VDISK])
    dtb, loaders = boot_dtb(tool, dumpdtb, tmp_path, [front], 2, "1G", APPEND, module)
    q = hypervisor(smp=2, mem="1G", append="", args=["--dtb", dtb], qemu_args=loaders + dom0,
                   hard_timeout=120)
    q.wait_for(r"Domain 1 \(front\): held paused until dom0 claims its 1 virtio device", timeout=60)
    q.wait_for(r"^GUEST DONE \d+ passed 0 failed", timeout=60)
    time.sleep(2)
    # the console input to the hypervisor, whichever domains are left
    for _ in range(3):
        if "Serial input to Proxenos" in q.output:
            break
        q.send(b"\x01\x01\x01")
        time.sleep(1)
    q.send(b"q")
    q.wait_for(r"Domain 1 \(front\): running, .*, held paused until its virtio back end claims "
               r"its devices", timeout=30)
    out = q.output
    assert "(d1)" not in out, out[-4000:]
    assert "its virtio devices are claimed" not in out, out[-4000:]


def test_bad_virtio_node_skips_its_domain(hypervisor, tool, dumpdtb, tmp_path):
    """An SPI outside the window: that domain is named and skipped, the
    other runs; and without a dom0 no domain may have a virtio device."""
    bad = Guest("badvirt", "hello", extra=["v { compatible = \"proxenos,virtio-mmio-v1\"; "
                                           "proxenos,device-type = \"blk\"; "
                                           "proxenos,irq = <50>; };"])
    good = Guest("good", "hello")
    nodom0 = Guest("wantsdom0", "hello", extra=[VDISK])
    dtb, loaders = boot_dtb(tool, dumpdtb, tmp_path, [bad, good, nodom0], 2, "1G", APPEND)
    q = hypervisor(smp=2, mem="1G", append="", args=["--dtb", dtb], qemu_args=loaders,
                   hard_timeout=120)
    q.wait_for(r"dom0less: 1 of 3 domains started", timeout=60)
    out = q.output
    assert re.search(r"dom0less: badvirt: virtio device v: \"proxenos,irq\" is not one of the "
                     r"virtio-mmio SPIs: domain skipped", out), out[-4000:]
    assert re.search(r"dom0less: wantsdom0: virtio device vdisk: its back end is dom0, and no "
                     r"dom0 kernel was given: domain skipped", out), out[-4000:]
    q.wait_for(r"\(d2\) .*", timeout=60)
