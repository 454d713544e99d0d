#!/bin/sh
# Install whatever Proxenos needs to build, test and run, and fetch the guest
# binaries (a Debian arm64 Linux kernel and a static arm64 busybox) into a
# cache outside the source tree. Prints nothing when all is already there.
#
#   PROXENOS_CACHE   cache directory (default: ~/.cache/proxenos)
#   QEMU             the QEMU binary scripts/qemu.sh runs (default: qemu-system-aarch64)
#   PROXENOS_QEMU_CHECK_SECONDS  bound of the QEMU self-check (default: 30)
#
# After a successful run the cache holds, at stable paths:
#   $PROXENOS_CACHE/linux/Image          raw arm64 Image (what QEMU and guest-loader take)
#   $PROXENOS_CACHE/linux/vmlinuz        the kernel exactly as Debian ships it
#   $PROXENOS_CACHE/linux/config         its kernel configuration
#   $PROXENOS_CACHE/linux/version        the Debian package it came from
#   $PROXENOS_CACHE/busybox/busybox      static arm64 busybox
#   $PROXENOS_CACHE/xen/xen-4.17-arm64   Debian's Xen 4.17 hypervisor (an arm64 Image),
#                                        the reference guests/run-xen.sh and the
#                                        benchmarks boot the same guests on
#   $PROXENOS_CACHE/xen/config           its build configuration
#   $PROXENOS_CACHE/xen/version          the Debian package it came from
#   $PROXENOS_CACHE/toolstack/root       Debian's Xen 4.17 toolstack for a dom0, as a
#                                        staging root: xen-utils-4.17, xen-utils-common,
#                                        xenstore-utils, only the libraries their
#                                        programs load, the Xen modules of the cached
#                                        kernel (load order in etc/proxenos/modules),
#                                        /etc/xen, /var/lib/xen, /run/xen
#                                        bash and flock (the hotplug scripts' shell and lock)
#   $PROXENOS_CACHE/toolstack/domu       the Xen PV front ends (xen-blkfront, xen-netfront),
#                                        ext4 and crc32c of the cached kernel, for a domU's
#                                        initramfs (load order in etc/proxenos/modules)
#   $PROXENOS_CACHE/toolstack/version    the packages (and kernel) it came from
#   $PROXENOS_CACHE/sysroot-arm64        a sysroot to build dom0 programs against
#                                        Debian's Xen 4.17 libraries (tools/virtio-backend):
#                                        arm64 libc6-dev, linux-libc-dev and libxen-dev at
#                                        the toolstack root's versions, linked against
#                                        that root's own libraries
#   $PROXENOS_CACHE/sysroot-arm64/domu   virtio_mmio and virtio_blk of the cached kernel,
#                                        for a domU's initramfs (load order in
#                                        etc/proxenos/modules)
#   $PROXENOS_CACHE/sysroot-arm64/domu-net virtio_mmio and virtio_net (with failover and
#                                        net_failover, which it needs) likewise
#   $PROXENOS_CACHE/sysroot-arm64/dom0-net tun, for a dom0 running our virtio-net back end
#                                        (dom0's bridge is in the toolstack root already)
#   $PROXENOS_CACHE/sysroot-arm64/version  the packages (and kernel) they came from
#
# With --libvirt (what tests/system/test_libvirt.py runs), also:
#   $PROXENOS_CACHE/libvirt/root         Debian's libvirtd with its libxl driver and
#                                        virsh, only the libraries they load: a
#                                        staging root laid over the toolstack's
#                                        (scripts/mkinitramfs-toolstack.sh --libvirt)
#   $PROXENOS_CACHE/libvirt/version      the packages it came from
#
# Debian 12 only: host tools come from apt-get; the arm64 binaries are fetched
# with `apt-get download` (which needs arm64 added to dpkg's architectures so
# apt knows the arm64 package lists) and unpacked with dpkg-deb, never installed.
set -eu

WITH_LIBVIRT=no
for arg in "$@"; do
    case $arg in
        --libvirt) WITH_LIBVIRT=yes ;;
        *) echo "usage: setup.sh [--libvirt]" >&2; exit 2 ;;
    esac
done

CACHE=${PROXENOS_CACHE:-${HOME:-/root}/.cache/proxenos}
QEMU_CHECK_SECONDS=${PROXENOS_QEMU_CHECK_SECONDS:-30}
SRC=$(cd "$(dirname "$0")/.." && pwd)

# Debian packages the host needs (checked with dpkg-query): every command
# that scripts/, tests/ and bench/ run comes from one of these or from
# Debian's base system (tests/scripts/test_setup_packages.py checks that).
# libclang-rt-14-dev holds libFuzzer for `clang -fsanitize=fuzzer` (make
# fuzz); gnuplot-nox draws make bench's plots; debootstrap builds the root
# of `make fresh-check`.
HOST_PACKAGES="
gcc-aarch64-linux-gnu
qemu-system-arm
device-tree-compiler
libcmocka-dev
python3-pytest
cppcheck
clang
libclang-rt-14-dev
cpio
gzip
gcc
make
git
gnuplot-nox
debootstrap
"

die() {
    echo "setup: $*" >&2
    exit 1
}

if [ "$(id -u)" -eq 0 ]; then
    SUDO=
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    SUDO=none
fi

need_root() {
    [ "$SUDO" != none ] || die "need root (or password-less sudo) to $*"
}
as_root() {
    $SUDO env DEBIAN_FRONTEND=noninteractive "$@" </dev/null
}

mkdir -p "$CACHE" || die "cannot create cache directory $CACHE"
LOG=$CACHE/setup.log

# Two concurrent runs (e.g. `make run` and `make test`) must not both run apt
# or unpack into the cache at the same time: the second waits for the first.
if command -v flock >/dev/null 2>&1; then
    exec 9>"$CACHE/.setup.lock"
    flock 9 || die "cannot lock $CACHE/.setup.lock"
fi

# Run a command with its output in the log; on failure show the log's tail.
LOG_STARTED=no
logged() {
    [ "$LOG_STARTED" = yes ] || { : >"$LOG"; LOG_STARTED=yes; }
    if ! "$@" >>"$LOG" 2>&1; then
        echo "setup: failed: $*" >&2
        tail -n 20 "$LOG" | sed 's/^/setup:   /' >&2
        return 1
    fi
}

installed() {
    dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q ' installed$'
}

APT_UPDATED=no
apt_update() {
    [ "$APT_UPDATED" = yes ] && return 0
    # A stale or unreachable third-party source makes `apt-get update` exit
    # non-zero although Debian's own lists were refreshed; the install or
    # download that follows is the real test.
    logged as_root apt-get update || echo "setup: apt-get update reported errors (see $LOG); continuing" >&2
    APT_UPDATED=yes
}

# ---------------------------------------------------------------------------
# Host packages
command -v dpkg-query >/dev/null 2>&1 || die "this script supports Debian 12 only (no dpkg-query)"
missing=
for pkg in $HOST_PACKAGES; do
    installed "$pkg" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
    need_root "install:$missing"
    echo "setup: installing$missing"
    apt_update
    logged as_root apt-get install -y -q --no-install-recommends $missing ||
        die "could not install:$missing (Debian 12 with its apt archive reachable is required)"
    for pkg in $missing; do
        installed "$pkg" || die "package $pkg still missing after apt-get install"
    done
fi

# ---------------------------------------------------------------------------
# What was installed must work: QEMU runs the project's own machine line
# (scripts/qemu.sh, as make run, the tests and the benchmarks call it) on a
# four-instruction program that powers the machine off through PSCI
# SYSTEM_OFF over SMC, the conduit at EL2. A firmware file, a library or a
# machine option QEMU lacks shows here, in well under a second, instead of
# as dozens of failed tests later.
qemu_check() {
    prog=$(mktemp "${TMPDIR:-/tmp}/proxenos-qemu-check.XXXXXX") || die "cannot create a temporary file"
    # movz w0, #0x8; movk w0, #0x8400, lsl #16; smc #0; b .
    printf '\000\001\200\122\000\200\260\162\003\000\000\324\000\000\000\024' >"$prog"
    rc=0
    out=$(timeout "$QEMU_CHECK_SECONDS" sh "$SRC/scripts/qemu.sh" --pipe --image "$prog" \
        --append "" </dev/null 2>&1) || rc=$?
    rm -f "$prog"
    [ "$rc" -ne 0 ] || return 0
    echo "setup: QEMU cannot run the project's machine line (scripts/qemu.sh --dry-run shows it):" >&2
    printf '%s\n' "$out" | tail -n 5 | sed 's/^/setup:   /' >&2
    rom=$(printf '%s\n' "$out" | sed -n 's/.*failed to find romfile "\([^"]*\)".*/\1/p' | head -n 1)
    if [ -n "$rom" ]; then
        die "missing: QEMU's firmware file $rom, which a device on the line needs (Debian ships network boot ROMs in ipxe-qemu; the project's lines add no NIC, -nic none)"
    elif [ "$rc" -eq 124 ]; then
        die "QEMU did not power off within $QEMU_CHECK_SECONDS s: the test program never reached PSCI SYSTEM_OFF"
    fi
    die "QEMU exited with status $rc"
}
qemu_check

# ---------------------------------------------------------------------------
# Guest binaries from Debian arm64 packages
is_arm64_image() {      # arm64 Image header: magic "ARMd" at offset 0x38
    [ "$(od -A n -t x1 -j 56 -N 4 "$1" 2>/dev/null | tr -d ' \n')" = 41524d64 ]
}
is_gzip() {
    [ "$(od -A n -t x1 -N 2 "$1" 2>/dev/null | tr -d ' \n')" = 1f8b ]
}
is_arm64_elf() {        # ELF magic, 64-bit, little-endian, e_machine EM_AARCH64 (183)
    [ "$(od -A n -t x1 -N 6 "$1" 2>/dev/null | tr -d ' \n')" = 7f454c460201 ] &&
    [ "$(od -A n -t x1 -j 18 -N 2 "$1" 2>/dev/null | tr -d ' \n')" = b700 ]
}

XEN_PKG=xen-hypervisor-4.17-arm64
XEN_IMAGE=xen-4.17-arm64

# Debian's Xen 4.17 toolstack for a dom0 (scripts/mkinitramfs-toolstack.sh):
# the tool packages, the libraries their programs load, found by following
# the programs' ELF NEEDED entries through the packages' library
# dependencies, and the Xen kernel modules of the cached kernel, all in one
# staging root. xenstore-utils gives xenstore-read and friends; libgcc-s1
# holds libgcc_s.so.1, which libc loads by itself (thread cancellation), so
# no NEEDED entry names it.
#
# The hotplug scripts libxl runs for `disk=`/`xl block-attach` and
# `vif=`/`xl network-attach` (/etc/xen/scripts/block, vif-bridge) are bash
# scripts that take a lock with flock(1); busybox has neither, so bash comes
# whole and util-linux gives flock only (TS_PICKED: package:path, the rest of
# util-linux would pull in a dozen libraries). losetup, stat, ip, brctl, awk
# and the rest are busybox's applets. loop backs a file-backed disk.
#
# TS_DOMU_MODULES, the front ends a domU's Linux needs for those devices and
# ext4 (which mounts ext2 too; it asks for crc32c whatever the file system,
# a soft dependency .modinfo does not list as depends=), go to a second root, $TS/domu, that a
# domU's initramfs takes whole (tests/system/test_dom0less_pv.py).
TS=$CACHE/toolstack
TS_PACKAGES="xen-utils-4.17 xen-utils-common xenstore-utils libgcc-s1 bash util-linux"
TS_PICKED="util-linux:usr/bin/flock"
TS_DLOPENED="libgcc_s.so.1"
# What stage_root (below) works on: the packages, the parts of some of them
# to unpack alone (package:path), the sonames loaded with dlopen, the
# plugins (root-relative paths of dlopened objects inside the library
# directories, kept and followed like programs) and the function that trims
# the unpacked packages. Set before each staging root.
ST_PACKAGES=$TS_PACKAGES
ST_PICKED=$TS_PICKED
ST_DLOPENED=$TS_DLOPENED
ST_PLUGINS=
ST_TRIM=ts_trim
TS_MODULES="xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs xen-blkback xen-netback bridge loop"
TS_DOMU_MODULES="xen-blkfront xen-netfront crc32c_generic ext4"
TS_LIBDIRS="lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu lib usr/lib"
READELF=aarch64-linux-gnu-readelf
# libvirt (setup.sh --libvirt): packages, and its libxl driver, which
# libvirtd loads with dlopen (fetch_libvirt below).
LV=$CACHE/libvirt
LV_PACKAGES="libvirt-daemon libvirt-daemon-driver-xen libvirt-clients libvirt0 libgcc-s1"
LV_PLUGINS="usr/lib/aarch64-linux-gnu/libvirt/connection-driver/libvirt_driver_libxl.so"

need_linux=no
need_busybox=no
need_xen=no
need_toolstack=no
[ -s "$CACHE/linux/Image" ] && is_arm64_image "$CACHE/linux/Image" || need_linux=yes
[ -x "$CACHE/busybox/busybox" ] && is_arm64_elf "$CACHE/busybox/busybox" || need_busybox=yes
[ -s "$CACHE/xen/$XEN_IMAGE" ] && is_arm64_image "$CACHE/xen/$XEN_IMAGE" || need_xen=yes
# The modules must be those of the cached kernel: a new kernel means new ones.
if [ "$need_linux" = yes ] || ! [ -x "$TS/root/usr/lib/xen-4.17/bin/xl" ] ||
    ! [ -s "$TS/root/etc/proxenos/modules" ] || ! [ -x "$TS/root/bin/bash" ] ||
    ! [ -x "$TS/root/usr/bin/flock" ] ||
    ! grep -q crc32c "$TS/domu/etc/proxenos/modules" 2>/dev/null ||
    [ "$(sed -n 's/^kernel-modules: //p' "$TS/version" 2>/dev/null)" != \
      "$(cat "$CACHE/linux/version" 2>/dev/null)" ]; then
    need_toolstack=yes
fi

# The dom0 sysroot follows the toolstack root: the headers and link names
# must be those of the libraries the programs will run on, the domU's
# VirtIO front ends those of the cached kernel.
SR=$CACHE/sysroot-arm64
SR_DOMU_MODULES="drivers/virtio/virtio_mmio.ko drivers/block/virtio_blk.ko"
# In load order: each after those it depends on.
SR_DOMU_NET_MODULES="drivers/virtio/virtio_mmio.ko net/core/failover.ko drivers/net/net_failover.ko drivers/net/virtio_net.ko"
SR_DOM0_NET_MODULES="drivers/net/tun.ko"
need_sysroot=no
sr_wanted() {       # what the sysroot's version file must say, from the toolstack's
    sed -n 's/^\(libc6\|libxenmisc4.17\) /&/p' "$TS/version" 2>/dev/null
    sed -n 's/^kernel-modules: .*/&/p' "$TS/version" 2>/dev/null
}
if [ "$need_toolstack" = yes ] || ! [ -e "$SR/usr/include/xendevicemodel.h" ] ||
    ! [ -s "$SR/domu/etc/proxenos/modules" ] ||
    ! [ -s "$SR/domu-net/etc/proxenos/modules" ] || ! [ -s "$SR/dom0-net/etc/proxenos/modules" ] ||
    [ "$(cat "$SR/version" 2>/dev/null)" != "$(sr_wanted)" ]; then
    need_sysroot=yes
fi

need_libvirt=no
if [ "$WITH_LIBVIRT" = yes ] && { ! [ -x "$LV/root/usr/sbin/libvirtd" ] ||
    ! [ -s "$LV/root/$LV_PLUGINS" ] || ! [ -s "$LV/version" ]; }; then
    need_libvirt=yes
fi

# ts_needed <file>: the sonames an ELF file's NEEDED entries name.
ts_needed() {
    "$READELF" -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'
}
# ts_find_lib <root> <soname>: the path, relative to root, the dynamic
# loader would find soname at (its default directories, no ld.so.cache).
ts_find_lib() {
    for d in $TS_LIBDIRS; do
        if [ -e "$1/$d/$2" ]; then
            echo "$d/$2"
            return 0
        fi
    done
    return 1
}
# ts_programs <root>: the ELF files outside the library directories (the
# programs; kernel modules are not in the root yet when this runs), and
# the plugins (ST_PLUGINS) there are.
ts_programs() {
    find "$1" -type f ! -path "$1/lib/*" ! -path "$1/usr/lib/aarch64-linux-gnu/*" |
        LC_ALL=C sort | while IFS= read -r f; do
            [ "$(od -A n -t x1 -N 4 "$f" 2>/dev/null | tr -d ' \n')" != 7f454c46 ] || echo "$f"
        done
    for p in $ST_PLUGINS; do
        [ ! -f "$1/$p" ] || echo "$1/$p"
    done
}
# ts_closure <root> <dir>: write <dir>/libs (root-relative paths of every
# library the programs load, directly or through other libraries, plus
# ST_DLOPENED) and <dir>/missing (sonames found nowhere in root).
ts_closure() {
    : >"$2/libs"
    : >"$2/missing"
    : >"$2/seen"
    todo=$(ts_programs "$1")
    first=yes
    while [ -n "$todo" ] || [ "$first" = yes ]; do
        names=$(for f in $todo; do ts_needed "$f"; done)
        [ "$first" = no ] || names="$names $ST_DLOPENED"
        first=no
        todo=
        for so in $names; do
            ! grep -qxF "$so" "$2/seen" || continue
            echo "$so" >>"$2/seen"
            if p=$(ts_find_lib "$1" "$so"); then
                echo "$p" >>"$2/libs"
                todo="$todo $1/$p"
            else
                echo "$so" >>"$2/missing"
            fi
        done
    done
}
# ts_lib_depends <package>...: their Depends and Pre-Depends that are
# libraries (Debian names library packages after the library: lib*, and
# zlib1g), first alternative of each. One apt-cache call: each takes a second.
ts_lib_depends() {
    # shellcheck disable=SC2046
    apt-cache show --no-all-versions $(for p in "$@"; do printf '%s:arm64 ' "$p"; done) 2>/dev/null |
        sed -n 's/^\(Pre-\)\{0,1\}Depends: //p' | tr ',' '\n' |
        sed 's/|.*//; s/(.*)//; s/:.*//; s/[[:space:]]//g' | grep -E '^(lib|zlib)' || true
}
# ts_trim_common <root>: init scripts and settings for a full system,
# pygrub's file-system plugins (usr/lib/xen-4.17/lib) and
# gconv's charset modules.
ts_trim_common() {
    rm -rf "$1/etc/init.d" "$1/etc/default" "$1/etc/ld.so.conf.d" "$1/usr/lib/xen-4.17/lib" \
        "$1/usr/lib/aarch64-linux-gnu/gconv"
}
# ts_trim <root>: drop what a dom0 initramfs has no use for: documentation,
# the Python parts (no Python in the image) and pygrub's file-system
# plugins (usr/lib/xen-4.17/lib), init scripts for a full system.
ts_trim() {
    rm -rf "$1/usr/share"
    ts_trim_common "$1"
    for f in "$1"/usr/bin/* "$1"/usr/sbin/* "$1"/usr/lib/xen-4.17/bin/*; do
        [ -f "$f" ] && [ ! -L "$f" ] || continue
        case $(head -c 64 "$f" | head -n 1) in '#!'*python*) rm -f "$f" ;; esac
    done
}

# stage_root <dir>: fetch ST_PACKAGES and the libraries their programs
# (and ST_PLUGINS) load into <dir>/root, each library under its soname;
# <dir>/packages lists what was fetched. Called with the fetch helpers below.
stage_root() {
    ts=$1
    mkdir -p "$ts/debs" "$ts/unpacked"
    command -v "$READELF" >/dev/null 2>&1 ||
        die "no $READELF (binutils-aarch64-linux-gnu, which gcc-aarch64-linux-gnu brings)"

    # Tools first, then the library dependencies of everything fetched so
    # far, round after round, until every NEEDED entry is met.
    want=$ST_PACKAGES
    fetched=
    deps=
    : >"$ts/packages"
    while :; do
        # shellcheck disable=SC2046
        ( cd "$ts/debs" && logged apt-get download -o APT::Sandbox::User=root \
            $(for p in $want; do printf '%s:arm64 ' "$p"; done) ) ||
            die "could not download$want with apt-get download"
        for p in $want; do
            deb=$(ls "$ts/debs/${p}_"*.deb 2>/dev/null | head -n 1)
            [ -n "$deb" ] || die "apt-get download left no .deb for $p"
            picked=$(for e in $ST_PICKED; do
                case $e in "$p":*) printf './%s ' "${e#*:}" ;; esac
            done)
            if [ -n "$picked" ]; then
                # shellcheck disable=SC2086
                dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$ts/unpacked" $picked ||
                    die "could not unpack$picked from $deb"
            else
                dpkg-deb -x "$deb" "$ts/unpacked" || die "could not unpack $deb"
            fi
            echo "$p $(dpkg-deb -f "$deb" Version)" >>"$ts/packages"
            fetched="$fetched $p"
        done
        # shellcheck disable=SC2086
        deps="$deps $(ts_lib_depends $want)"
        "$ST_TRIM" "$ts/unpacked"
        ts_closure "$ts/unpacked" "$ts"
        [ -s "$ts/missing" ] || break
        want=
        for d in $deps; do
            case " $fetched $want " in *" $d "*) ;; *) want="$want $d" ;; esac
        done
        # Architecture-independent ones (libtirpc-common, libaudit-common:
        # configuration, no libraries) have no arm64 candidate: left out.
        # shellcheck disable=SC2046
        want=$(apt-cache show --no-all-versions $(for p in $want; do printf '%s:arm64 ' "$p"; done) 2>/dev/null |
            sed -n 's/^Package: //p' | LC_ALL=C sort -u | tr '\n' ' ')
        [ -n "$want" ] || die "no library package that$fetched depend on provides: $(tr '\n' ' ' <"$ts/missing")"
    done

    # The root: everything but the library directories, then only the
    # libraries in use, each as a plain file under the name it is looked
    # up by, and the program interpreter where the programs ask for it.
    mkdir -p "$ts/root"
    ( cd "$ts/unpacked" && tar -c -f - --exclude=./lib --exclude=./usr/lib/aarch64-linux-gnu . ) |
        tar -x -f - -C "$ts/root" || die "could not copy the tools into the staging root"
    while IFS= read -r p; do
        mkdir -p "$ts/root/$(dirname "$p")"
        cp -L "$ts/unpacked/$p" "$ts/root/$p" || die "could not copy $p"
    done <"$ts/libs"
    for p in $ST_PLUGINS; do
        mkdir -p "$ts/root/$(dirname "$p")"
        cp -L "$ts/unpacked/$p" "$ts/root/$p" || die "could not copy $p"
    done
    for f in $(ts_programs "$ts/root"); do
        "$READELF" -l "$f" 2>/dev/null | sed -n 's/.*program interpreter: \(.*\)\]$/\1/p'
    done | LC_ALL=C sort -u | while IFS= read -r interp; do
        [ -e "$ts/root$interp" ] && continue
        mkdir -p "$ts/root$(dirname "$interp")"
        cp -P "$ts/unpacked$interp" "$ts/root$interp" 2>/dev/null &&
            [ -e "$ts/root$interp" ] || die "no program interpreter $interp in the libraries fetched"
    done || exit 1
    # Links to what was trimmed (usr/bin/pygrub) go too.
    find "$ts/root" -type l | while IFS= read -r l; do
        case $(readlink "$l") in
            /*) [ -e "$ts/root$(readlink "$l")" ] || rm -f "$l" ;;
            *) [ -e "$l" ] || rm -f "$l" ;;
        esac
    done
    # Check the result itself: every NEEDED entry of every file in it met.
    ts_closure "$ts/root" "$ts"
    [ ! -s "$ts/missing" ] || die "the staging root lacks: $(tr '\n' ' ' <"$ts/missing")"
}

# root_origin <dir>: the packages of <dir>/packages that left a file in
# <dir>/root, one "package version" a line.
root_origin() {
    while read -r p v; do
        deb=$(ls "$1/debs/${p}_"*.deb | head -n 1)
        # (The loop stops reading at the first hit: no broken-pipe noise.)
        dpkg-deb --fsys-tarfile "$deb" 2>/dev/null | tar -t 2>/dev/null | sed -n 's|^\./\(.*[^/]\)$|\1|p' |
            while IFS= read -r f; do
                if [ -e "$1/root/$f" ] || [ -L "$1/root/$f" ]; then
                    echo "$p $v"
                    break
                fi
            done
    done <"$1/packages"
}

# libvirt for the toolstack dom0, optional (setup.sh --libvirt;
# scripts/mkinitramfs-toolstack.sh --libvirt, tests/system/test_libvirt.py):
# Debian's libvirtd with only its libxl driver (libvirt-daemon-driver-xen),
# virsh, and the libraries they load, in a staging root of its own that is
# laid over the toolstack's ($LV/root). The other connection drivers, the
# storage back ends, the lock and log daemons and the helpers are left out.
# lv_trim <root>: what libvirtd's libxl driver and virsh do not use.
lv_trim() {
    ts_trim_common "$1"
    if [ -d "$1/usr/share" ]; then
        find "$1/usr/share" -mindepth 1 -maxdepth 1 ! -name libvirt -exec rm -rf {} +
    fi
    rm -rf "$1/usr/share/libvirt/test-screenshot.png" "$1/usr/lib/libvirt" \
        "$1/usr/sbin/virtlockd" "$1/usr/sbin/virtlogd" \
        "$1/usr/lib/aarch64-linux-gnu/libvirt/lock-driver" \
        "$1/usr/lib/aarch64-linux-gnu/libvirt/storage-backend" \
        "$1/usr/lib/aarch64-linux-gnu/libvirt/storage-file" \
        "$1/etc/apparmor.d" "$1/etc/logrotate.d" "$1/etc/sasl2"
    for f in "$1"/usr/bin/* "$1"/usr/lib/aarch64-linux-gnu/libvirt/connection-driver/*; do
        case $f in
            */usr/bin/virsh|*/libvirt_driver_libxl.so) ;;
            *) [ ! -e "$f" ] && [ ! -L "$f" ] || rm -rf "$f" ;;
        esac
    done
}

# fetch_libvirt <dir>: build libvirt's staging root in <dir>/root and the
# list of what it came from in <dir>/version.
fetch_libvirt() {
    ts=$1
    ST_PACKAGES=$LV_PACKAGES ST_PICKED='' ST_DLOPENED=$TS_DLOPENED ST_PLUGINS=$LV_PLUGINS ST_TRIM=lv_trim
    stage_root "$ts"
    for p in usr/sbin/libvirtd usr/bin/virsh $LV_PLUGINS; do
        [ -f "$ts/root/$p" ] || die "the libvirt packages hold no $p"
    done
    # Directories libvirtd and its libxl driver use.
    mkdir -p "$ts/root/etc/libvirt/libxl" "$ts/root/var/lib/libvirt/libxl" \
        "$ts/root/var/log/libvirt/libxl" "$ts/root/run/libvirt"
    root_origin "$ts" >"$ts/version"
}

# fetch_toolstack <dir>: build the staging root in <dir>/root and the list
# of what it came from in <dir>/version (called with the fetch helpers below).
fetch_toolstack() {
    ts=$1
    ST_PACKAGES=$TS_PACKAGES ST_PICKED=$TS_PICKED ST_DLOPENED=$TS_DLOPENED ST_PLUGINS='' ST_TRIM=ts_trim
    stage_root "$ts"
    mkdir -p "$ts/kernel"
    for p in xl xenstored oxenstored xenconsoled xenconsole xen-init-dom0 init-dom0less; do
        [ -x "$ts/root/usr/lib/xen-4.17/bin/$p" ] || die "xen-utils-4.17 holds no usr/lib/xen-4.17/bin/$p"
    done
    for p in bin/bash usr/bin/flock; do
        [ -x "$ts/root/$p" ] || die "no $p in the packages fetched"
    done

    # Directories the tools use (Debian's /var/run is /run).
    mkdir -p "$ts/root/var/lib/xen" "$ts/root/var/log/xen" "$ts/root/run/xen" \
        "$ts/root/run/xenstored" "$ts/root/etc/proxenos"
    ln -s ../run "$ts/root/var/run"

    # Kernel modules: those of the cached kernel's package and every module
    # they depend on. The package has no modules.dep (depmod writes it when
    # the kernel is installed), so modules.order gives each module's path
    # and each module's own .modinfo its dependencies ("depends=").
    kline=$(cat "$CACHE/linux/version") || die "no $CACHE/linux/version"
    kpkg=${kline%% *}
    kversion=${kline#* }
    kver=${kpkg#linux-image-}
    moddir=lib/modules/$kver
    kdeb=$(ls "$work/${kpkg}_"*.deb 2>/dev/null | head -n 1)
    if [ -z "$kdeb" ]; then
        ( cd "$ts/debs" && logged apt-get download -o APT::Sandbox::User=root "$kpkg:arm64=$kversion" ) ||
            die "could not download $kpkg $kversion, the kernel cached in $CACHE/linux, for its modules; if the archive has a newer one now, remove $CACHE/linux and run setup again to fetch both"
        kdeb=$(ls "$ts/debs/${kpkg}_"*.deb 2>/dev/null | head -n 1)
    fi
    dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$ts/kernel" "./$moddir/modules.order" ||
        die "could not unpack $moddir/modules.order from $kpkg"
    # Module names: the file name without .ko, "-" read as "_".
    sed -n 's|^\(.*/\)\{0,1\}\([^/]*\)\.ko$|\2 &|p' "$ts/kernel/$moddir/modules.order" |
        sed ':a; s/^\([^ -]*\)-/\1_/; ta' >"$ts/modpaths"
    # ts_modules <names> <root>: those modules and every module they depend
    # on into <root>, with their load order in <root>/etc/proxenos/modules.
    ts_modules() {
        : >"$ts/moddeps"
        names=$(echo "$1" | tr - _)
        have=
        while [ -n "$names" ]; do
            paths=
            for n in $names; do
                path=$(sed -n "s|^$n ||p" "$ts/modpaths")
                [ -n "$path" ] || die "$kpkg has no module $n"
                paths="$paths ./$moddir/$path"
            done
            have="$have $names"
            # shellcheck disable=SC2086
            dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$ts/kernel" $paths ||
                die "could not unpack$paths from $kpkg"
            next=
            for n in $names; do
                path=$(sed -n "s|^$n ||p" "$ts/modpaths")
                mdeps=$("$READELF" -p .modinfo "$ts/kernel/$moddir/$path" |
                    sed -n 's/^ *\[ *[0-9a-f]*\]  depends=//p' | tr ,- ' _')
                echo "$n $mdeps" >>"$ts/moddeps"
                for d in $mdeps; do
                    case " $have $next " in *" $d "*) ;; *) next="$next $d" ;; esac
                done
            done
            names=$next
        done
        # Load order: a module after everything it depends on.
        order=
        ts_visit() {        # ts_visit <module name>
            case " $order " in *" $1 "*) return 0 ;; esac
            for d in $(sed -n "s|^$1 ||p" "$ts/moddeps"); do
                ts_visit "$d"
            done
            order="$order $1"
        }
        for n in $have; do
            ts_visit "$n"
        done
        mkdir -p "$2/etc/proxenos"
        for n in $order; do
            path=$(sed -n "s|^$n ||p" "$ts/modpaths")
            mkdir -p "$2/$moddir/$(dirname "$path")"
            cp "$ts/kernel/$moddir/$path" "$2/$moddir/$path" || die "could not copy $path"
            echo "/$moddir/$path"
        done >"$2/etc/proxenos/modules"
    }
    ts_modules "$TS_MODULES" "$ts/root"
    # The domU's front ends, in a root of their own.
    ts_modules "$TS_DOMU_MODULES" "$ts/domu"

    # What the root came from: the packages that left a file in it.
    {
        root_origin "$ts"
        echo "kernel-modules: $kline"
    } >"$ts/version"
}

# fetch_sysroot <dir>: the dom0 sysroot in <dir>/root (runs after the
# toolstack root is in place: it takes that root's versions and libraries).
# Only link names and headers come from libxen-dev; the libraries behind
# them are the toolstack root's, so what links here runs there.
fetch_sysroot() {
    sr=$1
    mkdir -p "$sr/debs" "$sr/root" "$sr/kernel"
    libcver=$(sed -n 's/^libc6 //p' "$TS/version" | head -n 1)
    xenver=$(sed -n 's/^libxenmisc4.17 //p' "$TS/version" | head -n 1)
    kline=$(sed -n 's/^kernel-modules: //p' "$TS/version")
    [ -n "$libcver" ] && [ -n "$xenver" ] && [ -n "$kline" ] ||
        die "$TS/version names no libc6, libxenmisc4.17 or kernel (remove $TS and run setup again)"
    kpkg=${kline%% *}
    kversion=${kline#* }
    ( cd "$sr/debs" && logged apt-get download -o APT::Sandbox::User=root "libc6:arm64=$libcver" \
        "libc6-dev:arm64=$libcver" linux-libc-dev:arm64 "libxen-dev:arm64=$xenver" \
        "$kpkg:arm64=$kversion" ) ||
        die "could not download libc6-dev $libcver, libxen-dev $xenver or $kpkg $kversion with apt-get download"
    for p in libc6 libc6-dev linux-libc-dev libxen-dev; do
        deb=$(ls "$sr/debs/${p}_"*.deb 2>/dev/null | head -n 1)
        [ -n "$deb" ] || die "apt-get download left no .deb for $p"
        dpkg-deb -x "$deb" "$sr/root" || die "could not unpack $deb"
    done
    rm -rf "$sr/root/usr/share"
    cp -a "$TS/root/usr/lib/aarch64-linux-gnu"/libxen*.so.* "$sr/root/usr/lib/aarch64-linux-gnu/" ||
        die "could not copy the toolstack root's libxen libraries"
    # The libraries those need in turn (yajl, zlib, ...), for the linker's
    # checks; libc's own come from libc6.
    for f in "$TS/root/usr/lib/aarch64-linux-gnu"/*.so.*; do
        [ -e "$sr/root/usr/lib/aarch64-linux-gnu/${f##*/}" ] ||
            cp -a "$f" "$sr/root/usr/lib/aarch64-linux-gnu/"
    done
    [ -e "$sr/root/usr/include/xendevicemodel.h" ] || die "libxen-dev holds no xendevicemodel.h"

    # The domU's front ends (virtio_blk depends on no other module; the net
    # list is in load order) and dom0's tun.
    kver=${kpkg#linux-image-}
    moddir=lib/modules/$kver/kernel
    kdeb=$(ls "$sr/debs/${kpkg}_"*.deb | head -n 1)
    sr_all=$(printf '%s\n' $SR_DOMU_MODULES $SR_DOMU_NET_MODULES $SR_DOM0_NET_MODULES | sort -u)
    # shellcheck disable=SC2086
    dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$sr/kernel" \
        $(for m in $sr_all; do printf './%s/%s ' "$moddir" "$m"; done) ||
        die "could not unpack $sr_all from $kpkg"
    # sr_tree <dir> <modules>: those modules into <dir>, their order in
    # <dir>/etc/proxenos/modules.
    sr_tree() {
        mkdir -p "$1/etc/proxenos"
        for m in $2; do
            mkdir -p "$1/$moddir/$(dirname "$m")"
            cp "$sr/kernel/$moddir/$m" "$1/$moddir/$m" || die "could not copy $m"
            echo "/$moddir/$m"
        done >"$1/etc/proxenos/modules"
    }
    sr_tree "$sr/root/domu" "$SR_DOMU_MODULES"
    sr_tree "$sr/root/domu-net" "$SR_DOMU_NET_MODULES"
    sr_tree "$sr/root/dom0-net" "$SR_DOM0_NET_MODULES"
    sr_wanted >"$sr/root/version"
}

if [ "$need_linux" = yes ] || [ "$need_busybox" = yes ] || [ "$need_xen" = yes ] ||
    [ "$need_toolstack" = yes ] || [ "$need_sysroot" = yes ] || [ "$need_libvirt" = yes ]; then
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        need_root "add the arm64 architecture to dpkg (dpkg --add-architecture arm64)"
        echo "setup: adding arm64 to dpkg's architectures (package lists only; nothing arm64 is installed)"
        logged as_root dpkg --add-architecture arm64 || die "could not add the arm64 architecture"
        APT_UPDATED=no
        apt_update
    fi
    # apt must know the arm64 lists; refresh them once if it does not yet.
    if ! apt-cache show --no-all-versions busybox-static:arm64 >/dev/null 2>&1; then
        need_root "refresh the arm64 package lists (apt-get update)"
        apt_update
    fi

    work=$(mktemp -d "$CACHE/.fetch.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    chmod 755 "$work"

    download() {        # download <package:arm64> into $work
        ( cd "$work" && logged apt-get download -o APT::Sandbox::User=root "$1" ) ||
            die "could not download $1 with apt-get download"
    }

    if [ "$need_busybox" = yes ]; then
        echo "setup: fetching busybox-static:arm64 into $CACHE/busybox"
        download busybox-static:arm64
        mkdir -p "$work/busybox"
        dpkg -x "$work"/busybox-static_*_arm64.deb "$work/busybox" || die "could not unpack busybox-static"
        bb=$work/busybox/bin/busybox
        is_arm64_elf "$bb" || die "busybox-static:arm64 holds no arm64 bin/busybox"
        mkdir -p "$CACHE/busybox"
        cp "$bb" "$CACHE/busybox/busybox.tmp"
        chmod 755 "$CACHE/busybox/busybox.tmp"
        mv -f "$CACHE/busybox/busybox.tmp" "$CACHE/busybox/busybox"
    fi

    if [ "$need_linux" = yes ]; then
        # The metapackage names the current kernel: "Depends: linux-image-6.1.0-NN-arm64 (= ...)".
        kpkg=$(apt-cache show --no-all-versions linux-image-arm64:arm64 2>/dev/null |
            sed -n 's/^Depends:.*\(linux-image-[0-9][^ ,]*-arm64\).*/\1/p' | head -n 1)
        [ -n "$kpkg" ] || die "cannot find the kernel linux-image-arm64:arm64 depends on"
        kver=${kpkg#linux-image-}
        echo "setup: fetching $kpkg:arm64 into $CACHE/linux"
        download "$kpkg:arm64"
        # Only /boot is needed (the image is ~60 MB, its modules ~350 MB unpacked).
        mkdir -p "$work/linux"
        dpkg-deb --fsys-tarfile "$work/$kpkg"_*_arm64.deb |
            tar -x -C "$work/linux" "./boot/vmlinuz-$kver" "./boot/config-$kver" ||
            die "could not unpack /boot/vmlinuz-$kver from $kpkg"
        vmlinuz=$work/linux/boot/vmlinuz-$kver
        mkdir -p "$CACHE/linux"
        cp "$vmlinuz" "$CACHE/linux/vmlinuz.tmp"
        cp "$work/linux/boot/config-$kver" "$CACHE/linux/config"
        # Debian's arm64 vmlinuz is a raw Image in bookworm; older releases
        # gzip it. QEMU's guest-loader and a hypervisor want the raw Image.
        if is_gzip "$vmlinuz"; then
            gzip -dc "$vmlinuz" >"$CACHE/linux/Image.tmp" || die "could not decompress $vmlinuz"
        else
            ln -f "$CACHE/linux/vmlinuz.tmp" "$CACHE/linux/Image.tmp" 2>/dev/null ||
                cp "$vmlinuz" "$CACHE/linux/Image.tmp"
        fi
        is_arm64_image "$CACHE/linux/Image.tmp" ||
            die "$kpkg: vmlinuz-$kver is not an arm64 Image (nor a gzip-compressed one)"
        echo "$kpkg $(dpkg-deb -f "$work/$kpkg"_*_arm64.deb Version)" >"$CACHE/linux/version"
        mv -f "$CACHE/linux/vmlinuz.tmp" "$CACHE/linux/vmlinuz"
        mv -f "$CACHE/linux/Image.tmp" "$CACHE/linux/Image"
    fi
    if [ "$need_xen" = yes ]; then
        echo "setup: fetching $XEN_PKG:arm64 into $CACHE/xen"
        download "$XEN_PKG:arm64"
        # /boot holds the Image (what QEMU's -kernel takes), an EFI copy of
        # it and the build configuration; only the first and last are kept.
        mkdir -p "$work/xen"
        dpkg-deb --fsys-tarfile "$work/$XEN_PKG"_*_arm64.deb |
            tar -x -C "$work/xen" "./boot/$XEN_IMAGE" "./boot/$XEN_IMAGE.config" ||
            die "could not unpack /boot/$XEN_IMAGE from $XEN_PKG"
        is_arm64_image "$work/xen/boot/$XEN_IMAGE" ||
            die "$XEN_PKG: boot/$XEN_IMAGE is not an arm64 Image"
        mkdir -p "$CACHE/xen"
        cp "$work/xen/boot/$XEN_IMAGE" "$CACHE/xen/$XEN_IMAGE.tmp"
        cp "$work/xen/boot/$XEN_IMAGE.config" "$CACHE/xen/config"
        echo "$XEN_PKG $(dpkg-deb -f "$work/$XEN_PKG"_*_arm64.deb Version)" >"$CACHE/xen/version"
        mv -f "$CACHE/xen/$XEN_IMAGE.tmp" "$CACHE/xen/$XEN_IMAGE"
    fi
    if [ "$need_toolstack" = yes ]; then
        echo "setup: fetching Debian's Xen 4.17 tools, their libraries and the Xen modules of $(sed 's/ .*//' "$CACHE/linux/version") into $TS"
        fetch_toolstack "$work/toolstack"
        mkdir -p "$work/toolstack.done"
        mv "$work/toolstack/root" "$work/toolstack/domu" "$work/toolstack/version" \
            "$work/toolstack.done/"
        rm -rf "$TS"
        mv "$work/toolstack.done" "$TS"
    fi
    if [ "$need_sysroot" = yes ]; then
        echo "setup: fetching Debian's arm64 libc6-dev, linux-libc-dev and libxen-dev into $SR"
        fetch_sysroot "$work/sysroot"
        rm -rf "$SR"
        mv "$work/sysroot/root" "$SR"
    fi
    if [ "$need_libvirt" = yes ]; then
        echo "setup: fetching Debian's libvirt (libvirtd, its libxl driver, virsh) and their libraries into $LV"
        fetch_libvirt "$work/libvirt"
        mkdir -p "$work/libvirt.done"
        mv "$work/libvirt/root" "$work/libvirt/version" "$work/libvirt.done/"
        rm -rf "$LV"
        mv "$work/libvirt.done" "$LV"
    fi
    rm -rf "$work"
    trap - EXIT
fi
exit 0
