"""What `make run` boots (scripts/run-demo.sh): 4 CPUs, 1 GiB, Debian's
kernel and a busybox initramfs as dom0 modules."""

import pytest

import pxn
from conftest import BUILD, CACHE, IMAGE, REPO


def test_demo_boots_with_dom0_modules(qemu):
    if not IMAGE.is_file():
        pytest.fail(f"no hypervisor image at {IMAGE}: run `make`")
    kernel = CACHE / "linux" / "Image"
    if not kernel.is_file():
        pytest.fail(f"no cached kernel at {kernel}: run scripts/setup.sh")
    q = qemu(cmd=["sh", REPO / "scripts" / "run-demo.sh", BUILD], hard_timeout=90)
    q.wait_for(r"^Proxenos demo: .*Ctrl-C.*; debug keys: h .*m .*r .*q ", timeout=60)
    done = q.wait_for(pxn.BOOT_COMPLETE, timeout=30)
    assert done["n"] == "4"
    lines = q.pxn_lines()
    assert sum(b.mib for b in pxn.ram_banks(lines)) == 1024
    assert "Command line: console=dtuart dtuart=/pl011@9000000" in lines
    k = pxn.module_at(lines, 0x49000000)
    assert (k.end - k.start + 1, k.kind, k.owner, k.bootargs) == \
        (kernel.stat().st_size, "kernel", "dom0", "console=hvc0 earlycon=xen")
    initrd = BUILD / "demo" / "initramfs.cpio.gz"
    r = [m for m in pxn.modules(lines) if m.kind == "ramdisk"]
    assert len(r) == 1 and (r[0].end - r[0].start + 1, r[0].owner) == (initrd.stat().st_size, "dom0")
