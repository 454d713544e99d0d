#!/bin/sh
# Build xen-troops' virtio-disk (the third-party VirtIO-MMIO disk back end,
# https://github.com/xen-troops/virtio-disk) for an arm64 dom0, unmodified,
# against Debian's Xen 4.17 libraries, and fetch the domU's VirtIO front
# ends, for tests/system/test_virtio_disk.py (docs/virtio.md, "The
# third-party back end"). The project does not fetch GitHub: give it a copy
# of the source (a git clone or an unpacked archive).
#
#   build-virtio-disk.sh SOURCE-DIR
#
# Needs scripts/setup.sh's cache (the toolstack root, the kernel) and its
# arm64 package lists. Fetched with `apt-get download` and unpacked with
# dpkg-deb into a scratch sysroot, never installed: libc6, libc6-dev,
# linux-libc-dev and libxen-dev for arm64, libc and libxen at the versions of
# the toolstack root, whose own libxen*.so libraries the program is linked
# against (dynamically: it runs on them in dom0). The source is built in a
# scratch copy, with its own Makefile, with CC set to the cross compiler and
# the sysroot; nothing is written to SOURCE-DIR.
#
# Leaves in $PROXENOS_CACHE (default ~/.cache/proxenos):
#   virtio-disk/virtio-disk   the back end (arm64, dynamically linked)
#   virtio-disk/domu          virtio_mmio and virtio_blk of the cached kernel,
#                             a root for a domU's initramfs (load order in
#                             etc/proxenos/modules)
#   virtio-disk/version       what they were built from
set -eu

die() {
    echo "build-virtio-disk.sh: $*" >&2
    exit 1
}
[ $# -eq 1 ] && [ "$1" != -h ] && [ "$1" != --help ] || {
    sed -n '8,9s/^# \{0,1\}//p' "$0" >&2
    exit 2
}

CACHE=${PROXENOS_CACHE:-${HOME:-/root}/.cache/proxenos}
CROSS=aarch64-linux-gnu-
TSROOT=$CACHE/toolstack/root
LIBDIR=usr/lib/aarch64-linux-gnu
OUT=$CACHE/virtio-disk

src=$(cd "$1" 2>/dev/null && pwd) || die "no such directory: $1"
[ -f "$src/demu.c" ] && [ -f "$src/Makefile" ] ||
    die "$src does not look like virtio-disk's source (no demu.c and Makefile)"
command -v "${CROSS}gcc" >/dev/null 2>&1 || die "no ${CROSS}gcc (run scripts/setup.sh)"
[ -s "$CACHE/toolstack/version" ] && [ -e "$TSROOT/$LIBDIR/libxenctrl.so.4.17" ] ||
    die "no Xen 4.17 toolstack root at $TSROOT (run scripts/setup.sh)"
[ -s "$CACHE/linux/version" ] || die "no cached kernel at $CACHE/linux (run scripts/setup.sh)"

# The versions to match: the toolstack root's libxen and libc, the kernel's
# package (its modules must be the cached kernel's).
version_of() {      # version_of <package>: from the toolstack root's version file
    sed -n "s/^$1 //p" "$CACHE/toolstack/version" | head -n 1
}
xenver=$(version_of libxenmisc4.17)
libcver=$(version_of libc6)
[ -n "$xenver" ] && [ -n "$libcver" ] ||
    die "$CACHE/toolstack/version names no libxenmisc4.17 or libc6 (run scripts/setup.sh)"
kline=$(cat "$CACHE/linux/version")
kpkg=${kline%% *}
kversion=${kline#* }
kver=${kpkg#linux-image-}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/debs" "$work/sysroot" "$work/kernel"

sandbox=
[ "$(id -u)" -ne 0 ] || sandbox="-o APT::Sandbox::User=root"
echo "build-virtio-disk.sh: fetching libc6 $libcver, libxen-dev $xenver, $kpkg $kversion (arm64)"
# shellcheck disable=SC2086
( cd "$work/debs" && apt-get download -q $sandbox "libc6:arm64=$libcver" \
    "libc6-dev:arm64=$libcver" "libxen-dev:arm64=$xenver" linux-libc-dev:arm64 \
    "$kpkg:arm64=$kversion" >"$work/apt.log" 2>&1 ) || {
    cat "$work/apt.log" >&2
    die "apt-get download failed (are arm64 package lists there? scripts/setup.sh adds them)"
}

# The sysroot: Debian's arm64 libc and kernel headers, libxen-dev's headers
# and link names, and the toolstack root's own libraries behind those names.
for deb in "$work"/debs/libc6_*.deb "$work"/debs/libc6-dev_*.deb \
    "$work"/debs/linux-libc-dev_*.deb "$work"/debs/libxen-dev_*.deb; do
    dpkg-deb -x "$deb" "$work/sysroot" || die "could not unpack $deb"
done
cp -a "$TSROOT/$LIBDIR"/*.so.* "$work/sysroot/$LIBDIR/"

# virtio-disk's own Makefile, in a copy of the source.
mkdir -p "$work/build"
cp -R "$src/." "$work/build/"
make -C "$work/build" clean >/dev/null 2>&1 || true
make -C "$work/build" -j2 CC="${CROSS}gcc --sysroot=$work/sysroot" >"$work/make.log" 2>&1 || {
    tail -n 30 "$work/make.log" >&2
    die "make failed"
}
bin=$work/build/virtio-disk
[ -f "$bin" ] || die "make left no virtio-disk"

# Every library it loads must be in the toolstack root dom0 carries.
for lib in $("${CROSS}readelf" -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    [ -e "$TSROOT/$LIBDIR/$lib" ] || [ -e "$TSROOT/lib/aarch64-linux-gnu/$lib" ] ||
        [ "$lib" = libc.so.6 ] || die "virtio-disk needs $lib, which the toolstack root lacks"
done

# The domU's front ends: the cached kernel has virtio_mmio and virtio_blk as
# modules (neither depends on another).
moddir=lib/modules/$kver/kernel/drivers
kdeb=$(ls "$work"/debs/"$kpkg"_*.deb)
dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$work/kernel" \
    "./$moddir/virtio/virtio_mmio.ko" "./$moddir/block/virtio_blk.ko" ||
    die "could not unpack virtio_mmio and virtio_blk from $kpkg"

rm -rf "$OUT"
mkdir -p "$OUT/domu/etc/proxenos" "$OUT/domu/$moddir/virtio" "$OUT/domu/$moddir/block"
cp "$bin" "$OUT/virtio-disk"
cp "$work/kernel/$moddir/virtio/virtio_mmio.ko" "$OUT/domu/$moddir/virtio/"
cp "$work/kernel/$moddir/block/virtio_blk.ko" "$OUT/domu/$moddir/block/"
printf '/%s\n' "$moddir/virtio/virtio_mmio.ko" "$moddir/block/virtio_blk.ko" \
    >"$OUT/domu/etc/proxenos/modules"
{
    if [ -e "$src/.git" ] && commit=$(git -C "$src" rev-parse HEAD 2>/dev/null); then
        echo "source: $src (git $commit)"
    else
        echo "source: $src"
    fi
    echo "libxen-dev $xenver"
    echo "libc6-dev $libcver"
    echo "kernel-modules: $kline"
} >"$OUT/version"
echo "build-virtio-disk.sh: $OUT/virtio-disk and $OUT/domu"
