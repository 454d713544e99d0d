#!/bin/sh
# Build the toolstack dom0's initramfs: busybox, Debian's Xen 4.17 tools
# (the staging root scripts/setup.sh caches), tools/dom0/init as /init,
# which starts them (docs/toolstack.md), and the example domU that
# tools/examples/debian-domu.cfg names (the cached kernel and a busybox
# initramfs), so that `xl create -c /etc/xen/debian-domu.cfg` works in it.
#
#   mkinitramfs-toolstack.sh [options] OUTPUT
#     --marker TEXT     line /init prints first (default: PROXENOS-DOM0-TOOLSTACK)
#     --run CMD         what /init runs once the tools are up (default: a
#                       shell on the console; leaving it powers dom0 off)
#     --commands FILE   instead, run each line of FILE as a shell command,
#                       framed by "dom0-toolstack: $ <line>" and
#                       "dom0-toolstack: status <N>", then power off
#     --xenstored NAME  oxenstored (Debian's first choice, the default) or
#                       xenstored (the C one)
#     --timeout SEC     how long one start-up step or command may take (300)
#     --add SRC:DEST    also put file SRC at DEST (absolute path) in dom0's image
#     --no-domu         leave the example domU out (a smaller image)
#     --virtio BACKEND  also carry our virtio-blk back end (BACKEND, from
#                       `make tools`) and the example domU with a VirtIO disk
#                       (tools/examples/virtio-domu.cfg, its initramfs with
#                       the kernel's virtio modules from
#                       $PROXENOS_CACHE/sysroot-arm64/domu); /init makes the
#                       disk image and starts the back end (docs/virtio.md)
#     --libvirt         also carry Debian's libvirtd (its libxl driver only)
#                       and virsh (setup.sh --libvirt fetches them) and start
#                       libvirtd after xenconsoled; with the domU, its
#                       libvirt domain at /etc/libvirt/debian-domu.xml
#     --libvirt-root DIR  libvirt's staging root (default: $PROXENOS_CACHE/libvirt/root)
#     --kernel FILE     the domU's kernel (default: $PROXENOS_CACHE/linux/Image)
#     --toolstack DIR   the staging root (default: $PROXENOS_CACHE/toolstack/root)
#     --busybox FILE    static arm64 busybox (default: $PROXENOS_CACHE/busybox/busybox)
set -eu

usage() {
    sed -n '8,35s/^# \{0,1\}//p' "$0" >&2
    exit 2
}
die() {
    echo "mkinitramfs-toolstack.sh: $*" >&2
    exit 1
}

SRC=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${PROXENOS_CACHE:-${HOME:-/root}/.cache/proxenos}
marker=PROXENOS-DOM0-TOOLSTACK
run=
commands=
xenstored=oxenstored
step_timeout=300
domu=yes
adds=
kernel=$CACHE/linux/Image
toolstack=$CACHE/toolstack/root
busybox=$CACHE/busybox/busybox
libvirt=no
libvirt_root=$CACHE/libvirt/root
virtio=
out=
while [ $# -gt 0 ]; do
    case $1 in
        --marker) [ $# -ge 2 ] || usage; marker=$2; shift 2 ;;
        --run) [ $# -ge 2 ] || usage; run=$2; shift 2 ;;
        --commands) [ $# -ge 2 ] || usage; commands=$2; shift 2 ;;
        --xenstored) [ $# -ge 2 ] || usage; xenstored=$2; shift 2 ;;
        --timeout) [ $# -ge 2 ] || usage; step_timeout=$2; shift 2 ;;
        --no-domu) domu=no; shift ;;
        --virtio) [ $# -ge 2 ] || usage; virtio=$2; shift 2 ;;
        --libvirt) libvirt=yes; shift ;;
        --libvirt-root) [ $# -ge 2 ] || usage; libvirt_root=$2; shift 2 ;;
        --add) [ $# -ge 2 ] || usage; adds="$adds
$2"; shift 2 ;;
        --kernel) [ $# -ge 2 ] || usage; kernel=$2; shift 2 ;;
        --toolstack) [ $# -ge 2 ] || usage; toolstack=$2; shift 2 ;;
        --busybox) [ $# -ge 2 ] || usage; busybox=$2; shift 2 ;;
        -h|--help) usage ;;
        -*) echo "mkinitramfs-toolstack.sh: unknown option $1" >&2; usage ;;
        *) [ -z "$out" ] || usage; out=$1; shift ;;
    esac
done
[ -n "$out" ] || usage
case $xenstored in xenstored|oxenstored) ;; *) die "--xenstored: oxenstored or xenstored, not $xenstored" ;; esac
case $step_timeout in ''|*[!0-9]*) die "--timeout: a number of seconds, not $step_timeout" ;; esac
[ -x "$toolstack/usr/lib/xen-4.17/bin/xl" ] && [ -s "$toolstack/etc/proxenos/modules" ] ||
    die "no Xen 4.17 toolstack at $toolstack (run scripts/setup.sh)"
[ -z "$commands" ] || [ -f "$commands" ] || die "no such command file: $commands"
[ "$libvirt" = no ] || [ -x "$libvirt_root/usr/sbin/libvirtd" ] ||
    die "no libvirt at $libvirt_root (run scripts/setup.sh --libvirt)"
[ "$domu" = no ] || [ -f "$kernel" ] || die "no domU kernel at $kernel (run scripts/setup.sh)"
virtio_modules=$CACHE/sysroot-arm64/domu
if [ -n "$virtio" ]; then
    [ -x "$virtio" ] || die "--virtio: no back end at $virtio (make tools)"
    [ -f "$kernel" ] || die "no domU kernel at $kernel (run scripts/setup.sh)"
    [ -s "$virtio_modules/etc/proxenos/modules" ] ||
        die "no domU virtio modules at $virtio_modules (run scripts/setup.sh)"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A shell-quoted value for the configuration file /init sources.
quote() {
    printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}
{
    echo "# Written by scripts/mkinitramfs-toolstack.sh; read by /init."
    echo "MARKER=$(quote "$marker")"
    echo "RUN=$(quote "$run")"
    if [ -n "$commands" ]; then echo "COMMANDS=/etc/proxenos/commands"; else echo "COMMANDS="; fi
    echo "XENSTORED=$xenstored"
    echo "STEP_TIMEOUT=$step_timeout"
    echo "LIBVIRT=$libvirt"
    if [ -n "$virtio" ]; then echo "VIRTIO=yes"; else echo "VIRTIO=no"; fi
} >"$work/toolstack.conf"

set -- --init "$SRC/tools/dom0/init" --busybox "$busybox" --tree "$toolstack" \
    --add "$work/toolstack.conf:/etc/proxenos/toolstack.conf"
[ -z "$commands" ] || set -- "$@" --add "$commands:/etc/proxenos/commands"
if [ "$libvirt" = yes ]; then
    # libvirtd looks its user up (root) and its unix socket's group.
    printf 'root:x:0:0:root:/root:/bin/sh\n' >"$work/passwd"
    printf 'root:x:0:\n' >"$work/group"
    set -- "$@" --tree "$libvirt_root" \
        --add "$SRC/tools/dom0/libvirtd.conf:/etc/libvirt/libvirtd.conf" \
        --add "$work/passwd:/etc/passwd" --add "$work/group:/etc/group"
    [ "$domu" = no ] ||
        set -- "$@" --add "$SRC/tools/examples/debian-domu.xml:/etc/libvirt/debian-domu.xml"
fi
# Each --add as given (SRC:DEST, one a line: paths without newlines).
while IFS= read -r add; do
    [ -z "$add" ] || set -- "$@" --add "$add"
done <<ADDS
$adds
ADDS

if [ "$domu" = yes ]; then
    # The example domU: its busybox init prints its marker and the
    # hypervisor it found, then gives a shell on its console (hvc0, which
    # xenconsoled serves to `xl console`); leaving it powers the domU off.
    # `xl shutdown` makes the domU's Linux run /sbin/poweroff, which must
    # power off at once: busybox's own poweroff would only signal init,
    # and init here is a script that does not listen.
    printf '#!/bin/busybox sh\nexec /bin/busybox poweroff -f\n' >"$work/poweroff"
    chmod 755 "$work/poweroff"
    sh "$SRC/scripts/mkinitramfs.sh" --busybox "$busybox" \
        --add "$work/poweroff:/sbin/poweroff" \
        --marker "Proxenos demo: xl domU busybox init running" \
        --run 'echo "hypervisor: $(cat /sys/hypervisor/type) $(cat /sys/hypervisor/version/major).$(cat /sys/hypervisor/version/minor)"; echo "shell on $(tty); exit powers the domain off"; setsid cttyhack sh' \
        "$work/domu.cpio.gz"
    set -- "$@" --add "$kernel:/var/lib/xen/images/debian-domu/Image" \
        --add "$work/domu.cpio.gz:/var/lib/xen/images/debian-domu/initramfs.cpio.gz" \
        --add "$SRC/tools/examples/debian-domu.cfg:/etc/xen/debian-domu.cfg"
fi

if [ -n "$virtio" ]; then
    # The VirtIO example: our back end, and a domU whose init shows /dev/vda.
    sh "$SRC/scripts/mkinitramfs.sh" --busybox "$busybox" \
        --init "$SRC/tools/domu/virtio-demo" --tree "$virtio_modules" "$work/virtio-domu.cpio.gz"
    set -- "$@" --add "$virtio:/usr/bin/virtio-blk-backend" \
        --add "$kernel:/var/lib/xen/images/virtio-domu/Image" \
        --add "$work/virtio-domu.cpio.gz:/var/lib/xen/images/virtio-domu/initramfs.cpio.gz" \
        --add "$SRC/tools/examples/virtio-domu.cfg:/etc/xen/virtio-domu.cfg"
fi

sh "$SRC/scripts/mkinitramfs.sh" "$@" "$out"
