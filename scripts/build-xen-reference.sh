#!/bin/sh
# Build the full-config Xen 4.17 reference: the arm64 hypervisor alone, from
# Xen's public source, with the options Debian's xen-hypervisor-4.17-arm64
# leaves out (static memory, static shared memory, boot-time CPU pools, the
# IOREQ server, the RTDS, ARINC653 and null schedulers). The static
# configuration system tests run their trees on it side by side with
# Proxenos (tests/system/test_static_xen.py, docs/static-config.md). Nothing
# else needs it: those tests skip when it is absent.
#
#   build-xen-reference.sh [XEN_SRC]
#
#   XEN_SRC          a Xen source tree at RELEASE-4.17.7 (the argument wins):
#                      git clone https://xenbits.xen.org/git-http/xen.git
#                      git -C xen checkout RELEASE-4.17.7
#                    It is only read: the build goes to XEN_BUILD.
#   XEN_BUILD        build directory (default: /tmp/xen-reference-build)
#   XEN_TAG          the tag to record when XEN_SRC is not a git checkout
#                    (e.g. one unpacked with `git archive`)
#   PROXENOS_CACHE   cache directory (default: ~/.cache/proxenos)
#   JOBS             make's -j (default: 2)
#
# Installs, in $PROXENOS_CACHE/xen-full/:
#   xen-4.17-full-arm64   the hypervisor (an arm64 Image, as Debian's)
#   config                its .config
#   version               the Xen version and tag, and the .config's sha256
#
# The configuration is Xen's arm64 defaults plus the options below, debug off
# as in Debian's build; the script checks each is set in the final .config,
# since Kconfig drops an option silently when a dependency is missing.
set -eu

die() { echo "build-xen-reference: $*" >&2; exit 1; }

XEN_SRC=${1:-${XEN_SRC:-}}
[ -n "$XEN_SRC" ] || die "usage: build-xen-reference.sh XEN_SRC (a Xen source tree at RELEASE-4.17.7)"
[ -f "$XEN_SRC/xen/Makefile" ] && [ -f "$XEN_SRC/xen/arch/arm/Kconfig" ] ||
    die "$XEN_SRC is not a Xen source tree (no xen/Makefile, xen/arch/arm/Kconfig)"
XEN_SRC=$(cd "$XEN_SRC" && pwd)
BUILD=${XEN_BUILD:-/tmp/xen-reference-build}
CACHE=${PROXENOS_CACHE:-${HOME:-/root}/.cache/proxenos}
DEST=$CACHE/xen-full
JOBS=${JOBS:-2}
CROSS=aarch64-linux-gnu-
SRC=$(cd "$(dirname "$0")/.." && pwd)

# Proxenos's tree stays as the checkout left it (test_build.py holds its
# own builds to that too), and Xen's objects never mix with its own.
case $BUILD/ in
    "$SRC"/*) die "XEN_BUILD must be outside the Proxenos tree ($SRC)" ;;
esac

# What Xen's build needs beyond Proxenos's own (setup.sh): Kconfig is
# generated from lexer.l and parser.y, which 4.17 does not ship prebuilt.
BUILD_PACKAGES="flex bison python3 gcc-aarch64-linux-gnu make"
missing=
for pkg in $BUILD_PACKAGES; do
    dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q ' installed$' ||
        missing="$missing $pkg"
done
if [ -n "$missing" ]; then
    [ "$(id -u)" = 0 ] || die "missing packages:$missing (apt-get install$missing, as root)"
    echo "build-xen-reference: installing$missing"
    apt-get install -y -q --no-install-recommends $missing >/dev/null ||
        die "apt-get install$missing failed"
fi

# The options on top of arm64_defconfig. EXPERT is there because 4.17
# offers IOREQ_SERVER only under it; it also makes UNSUPPORTED default y.
OPTIONS="
EXPERT=y
UNSUPPORTED=y
STATIC_MEMORY=y
STATIC_SHM=y
IOREQ_SERVER=y
SCHED_CREDIT=y
SCHED_CREDIT2=y
SCHED_RTDS=y
SCHED_ARINC653=y
SCHED_NULL=y
BOOT_TIME_CPUPOOLS=y
DEBUG=n
"

xen_make() {
    nice -n 19 make -C "$XEN_SRC/xen" O="$BUILD" XEN_TARGET_ARCH=arm64 \
        CROSS_COMPILE=$CROSS "$@"
}

mkdir -p "$BUILD"
xen_make defconfig >/dev/null
for opt in $OPTIONS; do
    name=${opt%%=*}
    sed -i "/^CONFIG_$name=/d; /^# CONFIG_$name is not set/d" "$BUILD/.config"
    case $opt in
        *=n) echo "# CONFIG_$name is not set" >>"$BUILD/.config" ;;
        *) echo "CONFIG_$opt" >>"$BUILD/.config" ;;
    esac
done
xen_make olddefconfig >/dev/null
for opt in $OPTIONS; do
    name=${opt%%=*}
    case $opt in
        *=n) ! grep -q "^CONFIG_$name=y" "$BUILD/.config" ||
                 die "CONFIG_$name is still set in $BUILD/.config" ;;
        *) grep -q "^CONFIG_$opt\$" "$BUILD/.config" ||
               die "CONFIG_$opt did not survive olddefconfig (a dependency missing?)" ;;
    esac
done

echo "build-xen-reference: building $XEN_SRC into $BUILD (-j$JOBS)"
xen_make -j"$JOBS" >"$BUILD/build.log" 2>&1 ||
    { tail -n 30 "$BUILD/build.log" >&2; die "build failed (log: $BUILD/build.log)"; }
[ -f "$BUILD/xen" ] || die "the build made no $BUILD/xen"

version=$(xen_make -s --no-print-directory xenversion 2>/dev/null) || version=unknown
tag=${XEN_TAG:-}
if [ -z "$tag" ]; then
    tag=$(git -C "$XEN_SRC" describe --tags --exact-match 2>/dev/null) || tag=unknown
fi
config_sha=$(sha256sum "$BUILD/.config" | cut -d' ' -f1)

mkdir -p "$DEST"
cp "$BUILD/xen" "$DEST/xen-4.17-full-arm64.new"
cp "$BUILD/.config" "$DEST/config"
{
    echo "xen $version"
    echo "tag $tag"
    echo "config-sha256 $config_sha"
    echo "options$(echo $OPTIONS | sed 's/^/ /')"
} >"$DEST/version"
mv "$DEST/xen-4.17-full-arm64.new" "$DEST/xen-4.17-full-arm64"
echo "build-xen-reference: installed $DEST/xen-4.17-full-arm64 (xen $version, tag $tag)"
