"""Boot modules, as Xen 4.17 receives them on QEMU: from -device guest-loader
(dom0) and from /chosen xen,domain nodes in a hand-made device tree (dom0less)."""

import os

import pxn

XEN_APPEND = "dom0_mem=512M console=dtuart dtuart=/pl011@9000000"
KERNEL_ADDR = 0x49000000
INITRD_ADDR = 0x50000000
DOMU_KERNEL_ADDR = 0x60000000


def blob(path, size):
    """A module file of an odd size, so an end address off by one shows."""
    path.write_bytes(os.urandom(size))
    return path


def test_xen_command_shape(hypervisor, tmp_path):
    kernel = blob(tmp_path / "Image", 0x12345)
    initrd = blob(tmp_path / "initrd.gz", 0x6789)
    q = hypervisor(smp=1, mem="1G", append=XEN_APPEND, args=[
        "--module-addr", hex(KERNEL_ADDR), "--guest-kernel", kernel,
        "--guest-args", "console=hvc0 earlycon=xen",
        "--module-addr", hex(INITRD_ADDR), "--guest-initrd", initrd])
    q.wait_for(pxn.BOOT_COMPLETE, timeout=30)
    lines = q.pxn_lines()
    assert f"Command line: {XEN_APPEND}" in lines

    k = pxn.module_at(lines, KERNEL_ADDR)
    assert (k.end, k.kind, k.owner, k.bootargs) == \
        (KERNEL_ADDR + 0x12345 - 1, "kernel", "dom0", "console=hvc0 earlycon=xen")
    r = pxn.module_at(lines, INITRD_ADDR)
    assert (r.end, r.kind, r.owner, r.bootargs) == \
        (INITRD_ADDR + 0x6789 - 1, "ramdisk", "dom0", None)
    indices = [m.index for m in pxn.modules(lines)]
    assert len(set(indices)) == len(indices), f"module numbers repeat: {indices}"

    # Xen's own options are known, not "unknown".
    for name in ("dom0_mem", "console", "dtuart"):
        assert f'parameter "{name}" unknown!' not in lines


DOMU_DTS = """
/ {{
    chosen {{
        #address-cells = <2>;
        #size-cells = <2>;
        xen,xen-bootargs = "{bootargs}";

        domU1 {{
            compatible = "xen,domain";
            #address-cells = <2>;
            #size-cells = <2>;
            memory = <0x0 0x20000>;
            cpus = <1>;
            vpl011;

            module@{addr:x} {{
                compatible = "multiboot,kernel", "multiboot,module";
                reg = <0x0 {addr:#x} 0x0 {size:#x}>;
                bootargs = "console=ttyAMA0";
            }};
        }};
    }};
}};
"""


def test_dom0less_domain_module(hypervisor, dumpdtb, tool, tmp_path):
    smp, mem = 1, "1G"
    virt = dumpdtb(smp=smp, mem=mem)
    dts = tool("dtc", "-q", "-I", "dtb", "-O", "dts", virt).stdout
    # dtc merges a second definition of / and /chosen into the first.
    size = 0x5432
    dts += DOMU_DTS.format(bootargs="console=dtuart dtuart=/pl011@9000000",
                           addr=DOMU_KERNEL_ADDR, size=size)
    (tmp_path / "boot.dts").write_text(dts)
    tool("dtc", "-q", "-I", "dts", "-O", "dtb", "-o", tmp_path / "boot.dtb", tmp_path / "boot.dts")
    guest = blob(tmp_path / "domU1.Image", size)

    q = hypervisor(smp=smp, mem=mem, append="", args=["--dtb", tmp_path / "boot.dtb"],
                   qemu_args=["-device", f"loader,file={guest},addr={DOMU_KERNEL_ADDR:#x},force-raw=on"])
    q.wait_for(pxn.BOOT_COMPLETE, timeout=30)
    lines = q.pxn_lines()
    assert "Command line: console=dtuart dtuart=/pl011@9000000" in lines
    m = pxn.module_at(lines, DOMU_KERNEL_ADDR)
    assert (m.end, m.kind, m.owner, m.bootargs) == \
        (DOMU_KERNEL_ADDR + size - 1, "kernel", "/chosen/domU1", "console=ttyAMA0")
    assert not [x for x in pxn.modules(lines) if x.owner == "dom0"], "dom0less boot lists dom0 modules"
