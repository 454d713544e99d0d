#!/bin/sh
# What `make run` boots: Proxenos on QEMU virt with 4 CPUs and 1 GiB, its
# console on the PL011, and Debian's arm64 Linux plus a busybox initramfs
# handed over as dom0 modules, the way Xen 4.17 is booted on QEMU.
#
#   run-demo.sh [BUILD_DIR] [-- extra QEMU arguments]
set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
O=${1:-$SRC/build}
[ $# -eq 0 ] || shift
[ "${1:-}" != -- ] || shift
CACHE=${PROXENOS_CACHE:-${HOME:-/root}/.cache/proxenos}

kernel=$CACHE/linux/Image
busybox=$CACHE/busybox/busybox
if [ ! -f "$kernel" ] || [ ! -x "$busybox" ]; then
    sh "$SRC/scripts/setup.sh"
fi

initrd=$O/demo/initramfs.cpio.gz
if [ ! -f "$initrd" ] ||
   [ -n "$(find "$busybox" "$SRC/scripts/mkinitramfs.sh" -newer "$initrd" 2>/dev/null)" ]; then
    sh "$SRC/scripts/mkinitramfs.sh" --busybox "$busybox" \
        --marker "Proxenos demo: dom0 busybox init running" \
        --run 'echo "dom0 shell; exit powers the domain off"; setsid cttyhack sh' \
        "$initrd"
fi

if [ -t 0 ]; then
    leave="leave QEMU with Ctrl-a x"
else
    leave="stop with Ctrl-C"
fi
echo "Proxenos demo: $leave; debug keys: h help, m memory, r run queues, q domains"

exec sh "$SRC/scripts/qemu.sh" --image "$O/proxenos.bin" --smp 4 --mem 1G \
    --append "console=dtuart dtuart=/pl011@9000000" \
    --guest-kernel "$kernel" --guest-args "console=hvc0 earlycon=xen" \
    --guest-initrd "$initrd" \
    -- "$@"
