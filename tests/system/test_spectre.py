"""Spectre-BHB and friends on three QEMU CPU models: the boot log names the
branch-history mitigation each CPU chose, and a dom0less guest (guests/smccc)
gets from SMCCC_ARCH_FEATURES what Xen 4.17 answers on the same model.

The Xen 4.17 column was measured with Debian's xen-hypervisor-4.17-arm64
(4.17.7) under QEMU 7.2, booting the same smccc guest through
guests/run-xen.sh with its "-cpu cortex-a57" changed to each model below
(spec-ctrl as in each test). QEMU's own PSCI is the firmware: SMCCC 1.0, so
no ARCH_WORKAROUND_* from firmware anywhere."""

import re

import pytest

from conftest import STD_APPEND
from dom0less import Guest, boot_dtb

NOT_SUPPORTED, NOT_REQUIRED = -1, -2

# model: (MIDR, core as printed, mitigation, Xen 4.17's answers to ARCH_FEATURES
# for ARCH_WORKAROUND_1, _2, _3)
MODELS = {
    "cortex-a57": ("0x411fd070", "Cortex-A57 r1p0", "loop x8", (0, 0, NOT_SUPPORTED)),
    "cortex-a72": ("0x410fd083", "Cortex-A72 r0p3", "loop x8", (0, 0, NOT_SUPPORTED)),
    "max": ("0x000f0510", "unknown core", "none, not a known affected core",
            (NOT_SUPPORTED, 0, NOT_SUPPORTED)),
}

DONE = r"^\(d1\) GUEST DONE (\d+) passed (\d+) failed$"


def u32(v):
    return f"0x{v & 0xffffffff:08x}"


def boot_smccc(hypervisor, tool, dumpdtb, tmp_path, cpu, xen_args=STD_APPEND, smp=2):
    dtb, loaders = boot_dtb(tool, dumpdtb, tmp_path, [Guest("smccc", "smccc")], smp, "512M",
                            xen_args)
    return hypervisor(smp=smp, mem="512M", append="", args=["--dtb", dtb],
                      qemu_args=[*loaders, "-cpu", cpu], hard_timeout=20)


def guest_answers(q):
    """Run the guest to its end; return its raw SMCCC lines as a dict."""
    m = q.wait_for(DONE, timeout=20)
    assert m.group(2) == "0", q.output
    return dict(re.findall(r"^\(d1\) SMCCC (.+?) = (.+)$", q.output, re.M))


@pytest.mark.parametrize("cpu", sorted(MODELS))
def test_mitigation_and_guest_answers(hypervisor, tool, dumpdtb, tmp_path, cpu):
    midr, core, choice, xen = MODELS[cpu]
    q = boot_smccc(hypervisor, tool, dumpdtb, tmp_path, cpu)
    # One line per CPU, each from the CPU itself.
    for n in (0, 1):
        q.wait_for(rf"^\(PXN\) CPU {n}: Spectre-BHB mitigation: {re.escape(choice)} "
                   rf"\({re.escape(core)}, MIDR {midr}\)$", timeout=15)
    assert "Spectre: firmware has SMCCC 1.0: no ARCH_WORKAROUND_1/2/3" in q.output
    assert (f"Spectre: SSBD runtime; guests see ARCH_WORKAROUND_1 {xen[0]}, _2 {xen[1]}, "
            f"_3 {xen[2]}") in q.output
    answers = guest_answers(q)
    for n, want in enumerate(xen, start=1):
        assert answers[f"ARCH_FEATURES(ARCH_WORKAROUND_{n})"] == u32(want), answers
        # Every workaround offered is called once and returns 0; the others are not.
        called = answers.get(f"ARCH_WORKAROUND_{n} call")
        assert called == (u32(0) if want == 0 else None), answers
    # SMCCC 1.1 is what makes ARCH_FEATURES meaningful to the guest.
    assert answers["SMCCC_VERSION"] == u32(0x10001)
    assert answers["PSCI_FEATURES(SMCCC_VERSION)"] == u32(0)


@pytest.mark.parametrize("value,state,want", [("force-disable", "force-disable", NOT_SUPPORTED),
                                               ("force-enable", "force-enable", NOT_REQUIRED),
                                               ("sometimes", "runtime", 0)])
def test_spec_ctrl_ssbd(hypervisor, tool, dumpdtb, tmp_path, value, state, want):
    """spec-ctrl=ssbd=... changes ARCH_WORKAROUND_2 as on Xen 4.17 (measured:
    force-disable -1, force-enable -2 on cortex-a57); a value Xen does not
    know is reported and leaves the default, runtime. WORKAROUND_1 and _3
    do not move."""
    q = boot_smccc(hypervisor, tool, dumpdtb, tmp_path, "cortex-a57",
                   xen_args=f"{STD_APPEND} spec-ctrl=ssbd={value}", smp=1)
    if value != state:
        q.wait_for(rf'^\(PXN\) parameter "spec-ctrl" has invalid value "ssbd={value}", '
                   r"rc=-22!$", timeout=10)
    q.wait_for(rf"^\(PXN\) Spectre: SSBD {state}; guests see ARCH_WORKAROUND_1 0, "
               rf"_2 {want}, _3 -1$", timeout=15)
    answers = guest_answers(q)
    assert answers["ARCH_FEATURES(ARCH_WORKAROUND_2)"] == u32(want)
    assert answers["ARCH_FEATURES(ARCH_WORKAROUND_1)"] == u32(0)
    assert answers["ARCH_FEATURES(ARCH_WORKAROUND_3)"] == u32(NOT_SUPPORTED)
    # The guest calls WORKAROUND_2 only when it is offered (0).
    assert answers.get("ARCH_WORKAROUND_2 call") == (u32(0) if want == 0 else None)
