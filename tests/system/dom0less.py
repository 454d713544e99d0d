"""Building dom0less boot device trees for the system tests: QEMU's own tree
plus /chosen xen,domain nodes (the bindings of Xen 4.17), and the
-device loader options that put each guest image where its module says."""

from dataclasses import dataclass, field

from conftest import BUILD

GUEST_DIR = BUILD / "guests"
FIRST_MODULE = 0x60000000
MODULE_STRIDE = 0x01000000      # 16 MiB per guest image


@dataclass
class Guest:
    name: str
    image: str                  # a guest under build/guests/, e.g. "hello"
    memory_kib: int = 65536
    cpus: int = 1
    vpl011: bool = True
    bootargs: str = ""
    extra: list = field(default_factory=list)   # more properties, as dts lines


def boot_dtb(tool, dumpdtb, tmp_path, guests, smp, mem, xen_bootargs):
    """Return (dtb path, QEMU loader arguments) for these guests."""
    virt = dumpdtb(smp=smp, mem=mem)
    dts = tool("dtc", "-q", "-I", "dtb", "-O", "dts", virt).stdout
    nodes, loaders = [], []
    for i, g in enumerate(guests):
        image = GUEST_DIR / f"{g.image}.bin"
        size = image.stat().st_size
        addr = FIRST_MODULE + i * MODULE_STRIDE
        props = "\n".join(f"            {line}" for line in g.extra)
        nodes.append(f"""
        {g.name} {{
            compatible = "xen,domain";
            #address-cells = <2>;
            #size-cells = <2>;
            memory = <0x0 {g.memory_kib:#x}>;
            cpus = <{g.cpus}>;
            {"vpl011;" if g.vpl011 else ""}
{props}
            module@{addr:x} {{
                compatible = "multiboot,kernel", "multiboot,module";
                reg = <0x0 {addr:#x} 0x0 {size:#x}>;
                bootargs = "{g.bootargs}";
            }};
        }};""")
        loaders += ["-device", f"loader,file={image},addr={addr:#x},force-raw=on"]
    dts += f"""
/ {{
    chosen {{
        xen,xen-bootargs = "{xen_bootargs}";
        #address-cells = <2>;
        #size-cells = <2>;
{''.join(nodes)}
    }};
}};
"""
    (tmp_path / "boot.dts").write_text(dts)
    tool("dtc", "-q", "-I", "dts", "-O", "dtb", "-o", tmp_path / "boot.dtb", tmp_path / "boot.dts")
    return tmp_path / "boot.dtb", loaders
