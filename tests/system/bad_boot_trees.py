"""Generator of malformed boot device trees (issue 14): QEMU's own tree plus
/chosen xen,domain nodes, each damaged in one way, beside one good domain
that must still run.

A case is one xen,domain node: its properties, its cells and its module
nodes written as dts text, and the regex its refusal must match on the
console (each names the domain's node or the module's path). Many cases
share one boot: the hypervisor reports and skips each, and the good
domain shows the boot went on. dom0's own kernel is a tree of its own.
Memory nodes are not among the cases: QEMU's virt machine replaces every
memory node of a -dtb tree with its own, so damaged banks never reach the
hypervisor on it; the unit tests of bootinfo.c and bootmem.c cover them.

Addresses assume QEMU virt with 1 GiB of RAM at 0x40000000, the hypervisor
loaded at 0x40200000 and the device tree at 0x48000000 (QEMU's place for
it beside a -kernel Image), the UART at 0x9000000 and flash below
0x8000000. Every tree also sets 1 MiB aside at 0x70000000 in a
/reserved-memory child (firmware's, as far as the hypervisor knows), which
QEMU leaves in place.

Every refusal of a dom0less domain is one line naming its node and ending
in "domain skipped" (skipped()); test_boot_inputs.py checks that every
dom0less line about a case has that ending.
"""

import re
from dataclasses import dataclass, field

import pxn
from dom0less import FIRST_MODULE, GUEST_DIR

RAM_BASE = 0x40000000
RAM_SIZE = 0x40000000
IMAGE_BASE = 0x40200000
DTB_BASE = 0x48000000
UART = 0x9000000
FLASH = 0x4000000
GOOD_KERNEL = GUEST_DIR / "hello.bin"
UNUSED = 0x60000000             # RAM nothing else uses
RESERVED = 0x70000000           # the /reserved-memory child every tree has
RESERVED_SIZE = 0x100000


@dataclass
class Case:
    name: str                   # the xen,domain node's name
    expect: str                 # regex of its refusal on the console
    modules: str = ""           # dts text of its module nodes
    props: list = field(default_factory=lambda: ["memory = <0x0 0x4000>;", "cpus = <1>;"])
    cells: tuple = (2, 2)       # the domain node's #address-cells, #size-cells
    skip: str = None            # regex of the line that skips it (default skipped())

    def skip_line(self):
        return self.skip if self.skip is not None else skipped(self.name)


def cells64(value, n):
    """value as n cells of dts text (high cells first)."""
    return " ".join(f"{(value >> (32 * (n - 1 - i))) & 0xffffffff:#x}" for i in range(n))


def kernel(start, size, extra=""):
    """A multiboot,kernel module with a 2+2-cell reg."""
    return kernel_raw(f"<{cells64(start, 2)} {cells64(size, 2)}>", extra)


def kernel_raw(reg, extra=""):
    regline = f"reg = {reg};" if reg is not None else ""
    return f"""
            kernel {{
                compatible = "multiboot,kernel", "multiboot,module";
                {regline}
                {extra}
            }};"""


def module_path(case, module="kernel"):
    return f"/chosen/{case}/{module}"


def not_usable(case, reason, module="kernel"):
    return pxn.module_refused(module_path(case, module), ".*" + reason)


def skipped(case):
    return rf"^\(PXN\) dom0less: {re.escape(case)}: .*: domain skipped$"


def address_cases(good_size):
    """Modules whose reg points where nothing may be read."""
    return [
        Case("at_zero", not_usable("at_zero", "not in RAM"), kernel(0, 0x10000)),
        Case("at_uart", not_usable("at_uart", "not in RAM"), kernel(UART, 0x1000)),
        Case("in_flash", not_usable("in_flash", "not in RAM"), kernel(FLASH, 0x100000)),
        Case("high_bit", not_usable("high_bit", "not in RAM"),
             kernel(FIRST_MODULE | (1 << 63), good_size)),
        Case("on_image", not_usable("on_image", "overlaps the hypervisor"),
             kernel(IMAGE_BASE, 0x10000)),
        Case("on_dtb", not_usable("on_dtb", "overlaps the boot device tree"),
             kernel(DTB_BASE, 0x1000)),
        Case("in_reserved", not_usable("in_reserved", "overlaps reserved memory"),
             kernel(RESERVED + 0x1000, 0x1000)),
        Case("over_reserved", not_usable("over_reserved", "overlaps reserved memory"),
             kernel(RESERVED - 0x1000, 0x2000)),
        Case("on_module", not_usable("on_module", "overlaps boot module /chosen/good/kernel"),
             kernel(FIRST_MODULE + 0x1000, 0x2000)),
        Case("wraps", not_usable("wraps", "wraps around"), kernel(0xfffffffffffff000, 0x2000)),
        Case("empty", not_usable("empty", "is empty"), kernel(UNUSED, 0)),
        Case("huge", not_usable("huge", "not in RAM"), kernel(RAM_BASE, 0x100000000)),
        Case("past_end", not_usable("past_end", "not in RAM"),
             kernel(RAM_BASE + RAM_SIZE - 0x1000, 0x2000)),
    ]


def cell_cases():
    """Module reg properties the domain node's cells make unreadable."""
    return [
        Case("ac0", not_usable("ac0", "not in RAM"), kernel_raw("<0x0 0x10000>"),
             cells=(0, 2)),
        Case("ac3", not_usable("ac3", "reg"), kernel_raw("<0x0 0x0 0x50000000 0x0 0x1000>"),
             cells=(3, 2)),
        Case("ac5", not_usable("ac5", "reg"),
             kernel_raw("<0x0 0x0 0x0 0x0 0x50000000 0x0 0x1000>"), cells=(5, 2)),
        Case("sc0", not_usable("sc0", "is empty"), kernel_raw("<0x0 0x60000000>"),
             cells=(2, 0)),
        Case("sc3", not_usable("sc3", "reg"), kernel_raw("<0x0 0x60000000 0x0 0x0 0x1000>"),
             cells=(2, 3)),
        Case("ac0sc0", not_usable("ac0sc0", "reg"), kernel_raw("<0x1>"), cells=(0, 0)),
        Case("reg_len", not_usable("reg_len", "reg"), kernel_raw("<0x0 0x60000000 0x0>")),
        Case("no_reg", not_usable("no_reg", "no reg"), kernel_raw(None)),
        Case("reg_empty", not_usable("reg_empty", "no reg"), kernel_raw("[]")),
    ]


def property_cases():
    """Strings without their NUL and impossible xen,domain properties."""
    ok_reg = f"<{cells64(UNUSED, 2)} {cells64(0x1000, 2)}>"
    return [
        Case("args_unended", not_usable("args_unended", "bootargs"),
             kernel_raw(ok_reg, "bootargs = [41 42 43];")),
        Case("compat_unended", skipped("compat_unended"), f"""
            kernel {{
                compatible = [6d 75 6c 74 69 62 6f 6f 74 2c 6d 6f 64 75 6c 65];
                reg = {ok_reg};
            }};"""),
        Case("cpus_zero", skipped("cpus_zero"), props=["memory = <0x0 0x4000>;", "cpus = <0>;"]),
        Case("cpus_1000", skipped("cpus_1000"),
             props=["memory = <0x0 0x4000>;", "cpus = <1000>;"]),
        Case("cpus_empty", skipped("cpus_empty"), props=["memory = <0x0 0x4000>;", "cpus;"]),
        Case("mem_zero", skipped("mem_zero"), props=["memory = <0x0 0x0>;", "cpus = <1>;"]),
        Case("mem_huge", skipped("mem_huge"),
             props=["memory = <0xffffffff 0xfffffffc>;", "cpus = <1>;"]),
        Case("mem_string", skipped("mem_string"), props=['memory = "lots";', "cpus = <1>;"]),
        # 16 GiB: the guest's address space holds it, the host's 1 GiB not.
        Case("mem_16g", r"^\(PXN\) dom0less: mem_16g: cannot populate 16777216 KiB of RAM",
             props=["memory = <0x0 0x1000000>;", "cpus = <1>;"]),
        Case("mem_odd", skipped("mem_odd"), props=["memory = <0x0 0x3>;", "cpus = <1>;"]),
        Case("p2m_huge", r"^\(PXN\) dom0less: p2m_huge: ",
             props=["memory = <0x0 0x4000>;", "cpus = <1>;",
                    "xen,domain-p2m-mem-mb = <0xffffffff>;"]),
        Case("spis_huge", r"^\(PXN\) dom0less: spis_huge: ",
             props=["memory = <0x0 0x4000>;", "cpus = <1>;", "nr_spis = <0xffffffff>;"]),
        Case("pool_bogus", skipped("pool_bogus"),
             props=["memory = <0x0 0x4000>;", "cpus = <1>;", "domain-cpupool = <0x7777>;"]),
        # A node path longer than any buffer that prints it.
        Case("x" * 200, r"^\(PXN\) Boot module kernel \(in x{100,}: \[0x0, \+0x1000\) "
             r"is not in RAM$", kernel(0, 0x1000)),
    ]


def _domain(case):
    ac, sc = case.cells
    props = "\n".join(f"            {p}" for p in case.props)
    # A domain whose defect is elsewhere gets a module in RAM it may read.
    modules = case.modules or kernel(UNUSED, 0x1000)
    return f"""
        {case.name} {{
            compatible = "xen,domain";
            #address-cells = <{ac}>;
            #size-cells = <{sc}>;
{props}
{modules}
        }};"""


def good_domain(name="good"):
    size = GOOD_KERNEL.stat().st_size
    return f"""
        {name} {{
            compatible = "xen,domain";
            #address-cells = <2>;
            #size-cells = <2>;
            memory = <0x0 0x10000>;
            cpus = <1>;
            vpl011;
{kernel(FIRST_MODULE, size, 'bootargs = "name=' + name + '";')}
        }};"""


def loader_args():
    """QEMU options that put the good domain's kernel where its module says."""
    return ["-device", f"loader,file={GOOD_KERNEL},addr={FIRST_MODULE:#x},force-raw=on"]


def tree(qemu_dts, cases, chosen_extra="", good=("good",)):
    """dts text: QEMU's tree with the good domain(s) first, then the cases."""
    domains = "".join(good_domain(g) for g in good) + "".join(_domain(c) for c in cases)
    return qemu_dts + f"""
/ {{
    reserved-memory {{
        #address-cells = <2>;
        #size-cells = <2>;
        ranges;
        firmware@{RESERVED:x} {{
            reg = <{cells64(RESERVED, 2)} {cells64(RESERVED_SIZE, 2)}>;
            no-map;
        }};
    }};
    chosen {{
        xen,xen-bootargs = "console=dtuart dtuart=/pl011@9000000";
        #address-cells = <2>;
        #size-cells = <2>;
{chosen_extra}
{domains}
    }};
}};
"""


def compile_tree(tool, dts, path):
    src = path.with_suffix(".dts")
    src.write_text(dts)
    tool("dtc", "-q", "-I", "dts", "-O", "dtb", "-o", path, src)
    return path
