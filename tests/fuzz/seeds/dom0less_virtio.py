#!/usr/bin/env python3
"""Writes tests/fuzz/corpus/fuzz_dom0less/virtio: a structured input of
fuzz_dom0less (tests/fuzz/fuzz_dom0less.c) with a dom0 kernel and one
domain holding two proxenos,virtio-mmio-v1 nodes that every check accepts
(a blk device placed automatically, a net device on SPI 35), so that the
fuzzer starts from an accepted configuration with devices and the harness's
check_virtio runs: generated trees almost never get a domain accepted at
all, let alone one with a dom0 and sound device nodes.

The bytes follow the order in which the harness reads its fields, as in
dom0less_static_mem.py (whose selectors this reuses); change that order and
both scripts must follow it. Run from anywhere:
python3 tests/fuzz/seeds/dom0less_virtio.py
"""
import os

from dom0less_static_mem import CELLS_2, CPUS_1, MEM_16M, kernel_module


def main():
    data = [
        0x01,               # mode: structured
        0x0F,               # the parser's limit: 16 domains
        0,                  # no cpupools
        1,                  # one domain node
        CELLS_2, CELLS_2,   # /chosen: 2+2 cells
        1,                  # a dom0 module ...
    ] + kernel_module() + [ # ... a kernel: the devices' back end exists
        0,                  # domain flags: plain (heap RAM)
        CELLS_2, CELLS_2,   # the node's cells
        1,                  # one module
        MEM_16M,
        CPUS_1,
    ] + kernel_module() + [
        2,                  # two virtio device nodes
        0x01, 0,            # type only: VIRTIO_TYPES[0], blk
        0x09, 1, 1, 5,      # type VIRTIO_TYPES[1], net; proxenos,irq 30 + 5
    ]
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "corpus", "fuzz_dom0less", "virtio")
    with open(path, "wb") as f:
        f.write(bytes(data))


if __name__ == "__main__":
    main()
