"""Building dom0less boot device trees for the system tests: QEMU's own tree
plus /chosen xen,domain nodes (the bindings of Xen 4.17), and the
-device loader options that put each guest image where its module says."""

from dataclasses import dataclass, field
from pathlib import Path

from conftest import BUILD

GUEST_DIR = BUILD / "guests"
FIRST_MODULE = 0x50000000       # clear of the hypervisor and QEMU's DTB
MODULE_ALIGN = 0x00200000


@dataclass
class Guest:
    name: str
    image: str                  # a guest under build/guests/ ("hello"), or a path
    memory_kib: int = 65536
    cpus: int = 1
    vpl011: bool = True
    bootargs: str = ""
    extra: list = field(default_factory=list)   # more properties, as dts lines
    ramdisk: Path = None


def _image_path(image):
    return Path(image) if "/" in str(image) else GUEST_DIR / f"{image}.bin"


def _module(kind, addr, size, bootargs=None):
    args = f'\n                bootargs = "{bootargs}";' if bootargs is not None else ""
    return f"""
            module@{addr:x} {{
                compatible = "multiboot,{kind}", "multiboot,module";
                reg = <0x0 {addr:#x} 0x0 {size:#x}>;{args}
            }};"""


DOM0_AT = 0x49000000            # dom0's kernel: clear of QEMU's tree and the domU modules


def dom0_module(image, bootargs):
    """dom0's kernel (a guest under build/guests/, or a path) as a module
    directly under /chosen, where Xen 4.17's guest-loader puts it: the dts
    text for chosen_extra and the QEMU loader arguments."""
    path = _image_path(image)
    size = path.stat().st_size
    node = (f'module@{DOM0_AT:x} {{ compatible = "multiboot,kernel", "multiboot,module"; '
            f'reg = <0x0 {DOM0_AT:#x} 0x0 {size:#x}>; bootargs = "{bootargs}"; }};')
    return node, ["-device", f"loader,file={path},addr={DOM0_AT:#x},force-raw=on"]


def boot_dtb(tool, dumpdtb, tmp_path, guests, smp, mem, xen_bootargs, chosen_extra="",
             root_extra=""):
    """Return (dtb path, QEMU loader arguments) for these guests;
    chosen_extra is more dts text for /chosen (e.g. xen,cpupool nodes),
    root_extra for the root (e.g. a /reserved-memory node)."""
    virt = dumpdtb(smp=smp, mem=mem)
    dts = tool("dtc", "-q", "-I", "dtb", "-O", "dts", virt).stdout
    nodes, loaders = [], []
    addr = FIRST_MODULE
    for g in guests:
        props = "\n".join(f"            {line}" for line in g.extra)
        modules = ""
        files = [("kernel", _image_path(g.image), g.bootargs)]
        if g.ramdisk is not None:
            files.append(("ramdisk", Path(g.ramdisk), None))
        for kind, path, args in files:
            size = path.stat().st_size
            modules += _module(kind, addr, size, args)
            loaders += ["-device", f"loader,file={path},addr={addr:#x},force-raw=on"]
            addr += (size + MODULE_ALIGN - 1) // MODULE_ALIGN * MODULE_ALIGN
        nodes.append(f"""
        {g.name} {{
            compatible = "xen,domain";
            #address-cells = <2>;
            #size-cells = <2>;
            {"" if any(e.startswith("memory") for e in g.extra) else f"memory = <0x0 {g.memory_kib:#x}>;"}
            {"" if g.cpus is None else f"cpus = <{g.cpus}>;"}
            {"vpl011;" if g.vpl011 else ""}
{props}{modules}
        }};""")
    dts += f"""
/ {{
{root_extra}
    chosen {{
        xen,xen-bootargs = "{xen_bootargs}";
        #address-cells = <2>;
        #size-cells = <2>;
{chosen_extra}
{''.join(nodes)}
    }};
}};
"""
    (tmp_path / "boot.dts").write_text(dts)
    tool("dtc", "-q", "-I", "dts", "-O", "dtb", "-o", tmp_path / "boot.dtb", tmp_path / "boot.dts")
    return tmp_path / "boot.dtb", loaders
