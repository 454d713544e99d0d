"""The console after boot (debug keys) and the command line: where it comes
from and how unknown options are reported."""

import pxn
from conftest import STD_APPEND

KEYS = ("h", "m", "r", "q")


def dom0_kernel_args(tmp_path, bootargs="console=hvc0 earlycon=xen"):
    """qemu.sh options for a small dom0 kernel module with its own bootargs:
    with one, /chosen/bootargs (the -append text) is the hypervisor's."""
    kernel = tmp_path / "Image"
    kernel.write_bytes(bytes(range(256)) * 64)
    return ["--guest-kernel", kernel, "--guest-args", bootargs]


def test_debug_keys(hypervisor):
    q = hypervisor(smp=2, mem="512M")
    q.wait_for(pxn.BOOT_COMPLETE, timeout=30)

    q.send(b"h")
    q.wait_for(pxn.key_pressed("h"), timeout=10)
    q.wait_for_all([pxn.key_help(k) for k in KEYS], timeout=10)

    q.send(b"m")
    q.wait_for(pxn.key_pressed("m"), timeout=10)
    q.wait_for(r"(?i)^\(PXN\) .*\bfree\b", timeout=10)

    q.send(b"r")
    q.wait_for(pxn.key_pressed("r"), timeout=10)
    q.wait_for_all([r"^\(PXN\) .*\bCPU ?0\b", r"^\(PXN\) .*\bCPU ?1\b"], timeout=10)

    q.send(b"q")
    q.wait_for(pxn.key_pressed("q"), timeout=10)
    # No domains exist yet: "no domains", "Domains: none" or "Domains: 0".
    q.wait_for(r"(?i)^\(PXN\) .*(\bno domains\b|\bdomains: (none|0)\b)", timeout=10)

    assert "FATAL" not in q.output


def test_unknown_parameter(hypervisor, tmp_path):
    q = hypervisor(smp=1, mem="512M", append=STD_APPEND + " foo=bar",
                   args=dom0_kernel_args(tmp_path))
    q.wait_for(pxn.unknown_parameter("foo"), timeout=30)
    q.wait_for(pxn.BOOT_COMPLETE, timeout=30)
    lines = q.pxn_lines()
    assert f"Command line: {STD_APPEND} foo=bar" in lines
    assert [l for l in lines if l.endswith("unknown!")] == ['parameter "foo" unknown!']


def test_bootargs_are_dom0s_without_a_dom0_kernel(hypervisor):
    # Xen 4.17: with no xen,xen-bootargs, /chosen/bootargs is the hypervisor's
    # only when xen,dom0-bootargs exists or the dom0 kernel has bootargs.
    q = hypervisor(smp=1, mem="512M", append=STD_APPEND + " foo=bar")
    q.wait_for(pxn.BOOT_COMPLETE, timeout=30)
    lines = q.pxn_lines()
    assert [l for l in lines if l.startswith("Command line:")] == ["Command line: "]
    assert not [l for l in lines if l.endswith("unknown!")]


def test_bootargs_are_the_hypervisors_with_a_dom0_kernel(hypervisor, tmp_path):
    q = hypervisor(smp=1, mem="512M", append=STD_APPEND, args=dom0_kernel_args(tmp_path))
    q.wait_for(pxn.BOOT_COMPLETE, timeout=30)
    assert f"Command line: {STD_APPEND}" in q.pxn_lines()
