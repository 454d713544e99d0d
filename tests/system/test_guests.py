"""The guest binaries scripts/setup.sh caches and scripts/mkinitramfs.sh
packs, checked on their own: Debian's arm64 Linux boots the busybox
initramfs straight on QEMU (no hypervisor), reaches /init and powers off."""

import subprocess

import pytest

from conftest import CACHE, REPO


def test_linux_reaches_busybox_init(qemu, tmp_path):
    kernel = CACHE / "linux" / "Image"
    busybox = CACHE / "busybox" / "busybox"
    if not kernel.is_file() or not busybox.is_file():
        pytest.fail(f"no cached guest binaries under {CACHE}: run scripts/setup.sh")
    initrd = tmp_path / "initramfs.cpio.gz"
    subprocess.run(["sh", str(REPO / "scripts" / "mkinitramfs.sh"),
                    "--marker", "GUEST-INIT-REACHED", "--run", "echo cmdline: $(cat /proc/cmdline)",
                    str(initrd)], check=True, timeout=60)
    q = qemu("--image", kernel, "--smp", 2, "--mem", "1G", "--append", "console=ttyAMA0 quiet",
             "--", "-initrd", initrd, hard_timeout=120)
    q.wait_for(r"^GUEST-INIT-REACHED$", timeout=90)
    q.wait_for(r"^cmdline: console=ttyAMA0 quiet$", timeout=10)
    assert q.expect_exit(timeout=30) == 0
