"""The console after boot: debug keys and the command-line parser's report."""

import pxn
from conftest import STD_APPEND

KEYS = ("h", "m", "r", "q")


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
    q.wait_for(r"(?i)^\(PXN\) .*\bno domains\b", timeout=10)

    assert "FATAL" not in q.output


def test_unknown_parameter(hypervisor):
    q = hypervisor(smp=1, mem="512M", append=STD_APPEND + " foo=bar")
    q.wait_for(pxn.unknown_parameter("foo"), timeout=30)
    q.wait_for(pxn.BOOT_COMPLETE, timeout=30)
    lines = q.pxn_lines()
    assert f"Command line: {STD_APPEND} foo=bar" in lines
    assert [l for l in lines if l.endswith("unknown!")] == ['parameter "foo" unknown!']
