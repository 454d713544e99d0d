#!/usr/bin/env python3
"""Writes tests/fuzz/corpus/fuzz_dom0less/static-mem: a structured input of
fuzz_dom0less (tests/fuzz/fuzz_dom0less.c) whose tree has two xen,domain
nodes with static memory that every check accepts, so that the fuzzer
starts from the accepted static-memory path (static_mem_check_all keeping
the banks, dom0less_parse handing them to the configuration, the harness's
check_static_mem) instead of having to find it. Random seeds almost never
reach it: a bank must be whole pages of the tree's RAM, clear of the
hypervisor (0x40200000 +2 MiB), the tree (0x48000000 +64 KiB), the modules
and every other bank, and the banks must add up to "memory".

The bytes follow the order in which the harness reads its fields; each
line says which field it feeds. fin_pick(sel) takes usual[sel % n] when
sel & 0xc0 is set, so the selectors below are chosen for the index named.
Run from anywhere: python3 tests/fuzz/seeds/dom0less_static_mem.py
"""
import os

CELLS_2 = 0xC3      # CELL_COUNTS[195 % 5 = 0] = 2
MEM_16M = 0xC4      # MEM_KIB[196 % 7 = 0] = 0x4000 KiB
CPUS_1 = 0xC0       # CPUS[192 % 6 = 0] = 1
ADDR_RAM = 0xC1     # ADDRS[193 % 6 = 1] = 0x40000000
SIZE_2M = 0xC0      # SIZES[192 % 6 = 0] = 0x200000
STATIC_MEM = 0x80   # domain flags: only xen,static-mem


def kernel_module():
    """One multiboot,kernel at [0x40000000, +2 MiB): RAM, below the image."""
    return [
        0,              # kind: KINDS[0], multiboot,kernel
        1, 0,           # entries: not none, then 1 + 0
        1,              # reg present
        ADDR_RAM, SIZE_2M,
        1,              # no trailing half cell
        0,              # no bootargs
    ]


def bank(mib_from_ram, mib_size_minus_1):
    """A bank at 0x40000000 + n MiB of (1 + m) MiB (the "in RAM" branch)."""
    return [1, mib_from_ram, 1, mib_size_minus_1]


def domain(banks, last_takes_the_rest, direct_map):
    out = [
        STATIC_MEM,
        CELLS_2, CELLS_2,   # the node's cells (its modules' reg)
        1,                  # one module
        MEM_16M,
        CPUS_1,
        len(banks),         # xen,static-mem: the number of banks
        1,                  # in /chosen's cells, as Xen 4.17 reads them
    ]
    for i, b in enumerate(banks):
        out += b
        if i + 1 == len(banks):
            out.append(1 if last_takes_the_rest else 0)
    out.append(1 if direct_map else 0)
    return out + kernel_module() + [0]     # then no virtio device nodes


def main():
    data = [
        0x01,               # mode: structured (low nibble not 0)
        0x0F,               # the parser's limit: 1 + 15 = 16 domains
        0,                  # no cpupools
        2,                  # two domain nodes
        CELLS_2, CELLS_2,   # /chosen: 2+2 cells
        0,                  # no dom0 module
    ]
    # domU0: 8 MiB at 0x44000000 and the rest (8 MiB) at 0x46000000.
    data += domain([bank(0x40, 7), bank(0x60, 7)], True, False)
    # domU1: 16 MiB at 0x49000000, direct-mapped.
    data += domain([bank(0x90, 15)], True, True)
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "corpus", "fuzz_dom0less", "static-mem")
    with open(path, "wb") as f:
        f.write(bytes(data))


if __name__ == "__main__":
    main()
