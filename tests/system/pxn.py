"""The hypervisor's console contract (docs/testing.md), as regexes and
parsers over the lines a run printed. Every hypervisor line starts "(PXN) ";
Qemu.pxn_lines() strips that prefix, so the patterns here do not carry it."""

import re
from dataclasses import dataclass

BANNER = r"^\(PXN\) Proxenos (?P<version>\S+) \(arm64\) starting at EL2$"
COMMAND_LINE = r"^\(PXN\) Command line: (?P<text>.*)$"
BOOT_COMPLETE = r"^\(PXN\) Boot complete: (?P<n>\d+) CPUs online, entering idle loop$"
FATAL_EL = (r"^\(PXN\) FATAL: entered at EL(?P<el>\d); Proxenos must be started at EL2 "
            r"\(QEMU: -M virt,virtualization=on\)$")
FATAL_BAD_DT = r"^\(PXN\) FATAL: invalid device tree at 0x(?P<addr>[0-9a-fA-F]+): (?P<reason>.+)$"
FATAL_NO_DT = r"^\(PXN\) FATAL: no device tree \(x0 = 0\)$"
FATAL_ANY = r"^\(PXN\) FATAL: "


def module_refused(path, reason=".*"):
    """A boot module the hypervisor will not read: its node path and why
    (with its range when its reg could be read)."""
    return (r"^\(PXN\) Boot module " + re.escape(path) +
            r": (?:\[0x[0-9a-f]+, \+0x[0-9a-f]+\) )?" + reason)


def module_owner_skipped(owner, path=None):
    """The domain (a xen,domain node's name, or "dom0") not built because
    of an unusable module."""
    module = re.escape(path) if path is not None else r"\S+"
    if owner == "dom0":
        return rf"^\(PXN\) dom0: \S+ module {module} is unusable \(.*\): dom0 not built$"
    return (rf"^\(PXN\) dom0less: {re.escape(owner)}: \S+ module {module} is unusable "
            r"\(.*\): domain skipped$")


def unknown_parameter(name):
    return r'^\(PXN\) parameter "' + re.escape(name) + r'" unknown!$'


def key_pressed(key):
    return r"^\(PXN\) '" + re.escape(key) + r"' pressed -> (?P<what>.+)$"


def key_help(key):
    # Xen's listing also gives the code: " key 'h' (ascii '68') => ...".
    return (r"^\(PXN\)  key '" + re.escape(key) + r"'(?: \(ascii '[0-9a-fA-F]{2}'\))?"
            r" => (?P<what>.+)$")


_RAM = re.compile(r"^RAM: 0x([0-9a-fA-F]{16})-0x([0-9a-fA-F]{16}) \((\d+) MiB\)$")
_CPU = re.compile(r"^CPU (\d+) online \(MPIDR 0x([0-9a-fA-F]+)\)$")
_MEMORY = re.compile(r"^Memory: (\d+) MiB free of (\d+) MiB$")
_MODULE = re.compile(r'^Module (\d+): 0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+) (\S+) (\S+)'
                     r'(?: bootargs="(.*)")?$')


@dataclass
class Bank:
    start: int
    end: int            # inclusive
    mib: int


@dataclass
class Module:
    index: int
    start: int
    end: int            # inclusive
    kind: str
    owner: str
    bootargs: str | None


def ram_banks(lines):
    return [Bank(int(m[1], 16), int(m[2], 16), int(m[3]))
            for m in map(_RAM.match, lines) if m]


def cpus_online(lines):
    """[(cpu number, MPIDR)] in the order they were printed."""
    return [(int(m[1]), int(m[2], 16)) for m in map(_CPU.match, lines) if m]


def memory_summary(lines):
    """(free MiB, total MiB) of the last "Memory:" line, or None."""
    found = [(int(m[1]), int(m[2])) for m in map(_MEMORY.match, lines) if m]
    return found[-1] if found else None


def modules(lines):
    return [Module(int(m[1]), int(m[2], 16), int(m[3], 16), m[4], m[5], m[6])
            for m in map(_MODULE.match, lines) if m]


def module_at(lines, start):
    found = [mod for mod in modules(lines) if mod.start == start]
    assert len(found) == 1, (f"expected one module at {start:#x}, found {found}; "
                             f"module lines: {[l for l in lines if l.startswith('Module')]}")
    return found[0]


# The 'b' key's line: allocations after the end of boot (docs/debug-keys.md).
AFTER_BOOT = (r"^\(PXN\) Allocations after boot: pages (?P<pages>\d+) xmalloc (?P<xmalloc>\d+); "
              r"refused: pages (?P<refused_pages>\d+) xmalloc (?P<refused_xmalloc>\d+); "
              r"recycled: pages (?P<recycled_pages>\d+) xmalloc (?P<recycled_xmalloc>\d+); "
              r"static mode (?P<static>on|off)$")


def after_boot_counts(match):
    """The 'b' key's figures from a match of AFTER_BOOT, as a dict of ints
    (and 'static': bool)."""
    d = {k: int(v) for k, v in match.groupdict().items() if k != "static"}
    d["static"] = match.group("static") == "on"
    return d
