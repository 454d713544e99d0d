#!/bin/sh
# Build a busybox initramfs (cpio newc, gzip) for arm64 guests.
#
#   mkinitramfs.sh [options] OUTPUT
#     --init FILE      use FILE as /init (a script; it should end with `poweroff -f`)
#     --marker TEXT    line the default /init prints once it runs
#                      (default: "PROXENOS-INIT-OK")
#     --run CMD        shell command the default /init runs after the marker
#     --add SRC:DEST   also put file SRC at DEST (absolute path) in the archive
#     --tree DIR       also put everything under DIR (a staging root: its
#                      files, links and directories) at the archive's root
#     --busybox FILE   static arm64 busybox (default: the one scripts/setup.sh
#                      caches, $PROXENOS_CACHE/busybox/busybox)
#
# The default /init installs the busybox applets into /bin, mounts proc, sys
# and devtmpfs, prints the marker, runs the command and powers off.
set -eu

usage() {
    sed -n '2,17s/^# \{0,1\}//p' "$0" >&2
    exit 2
}

CACHE=${PROXENOS_CACHE:-${HOME:-/root}/.cache/proxenos}
busybox=$CACHE/busybox/busybox
init=
marker=PROXENOS-INIT-OK
run=
adds=
trees=
out=
while [ $# -gt 0 ]; do
    case $1 in
        --init) [ $# -ge 2 ] || usage; init=$2; shift 2 ;;
        --marker) [ $# -ge 2 ] || usage; marker=$2; shift 2 ;;
        --run) [ $# -ge 2 ] || usage; run=$2; shift 2 ;;
        --add) [ $# -ge 2 ] || usage; adds="$adds
$2"; shift 2 ;;
        --busybox) [ $# -ge 2 ] || usage; busybox=$2; shift 2 ;;
        --tree) [ $# -ge 2 ] || usage; trees="$trees
$2"; shift 2 ;;
        -h|--help) usage ;;
        -*) echo "mkinitramfs.sh: unknown option $1" >&2; usage ;;
        *) [ -z "$out" ] || usage; out=$1; shift ;;
    esac
done
[ -n "$out" ] || usage
[ -x "$busybox" ] || { echo "mkinitramfs.sh: no busybox at $busybox (run scripts/setup.sh)" >&2; exit 1; }
[ -z "$init" ] || [ -f "$init" ] || { echo "mkinitramfs.sh: no such init script: $init" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/sbin" "$root/dev" "$root/proc" "$root/sys" \
    "$root/tmp" "$root/etc" "$root/root"
cp "$busybox" "$root/bin/busybox"
chmod 755 "$root/bin/busybox"
# The kernel opens /dev/console for init before devtmpfs is mounted. Creating
# the node needs root; without it the default /init reopens the console itself.
mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null || true

if [ -n "$init" ]; then
    cp "$init" "$root/init"
else
    {
        echo '#!/bin/busybox sh'
        echo '/bin/busybox --install -s /bin'
        echo 'export PATH=/bin:/sbin'
        echo 'mount -t proc proc /proc'
        echo 'mount -t sysfs sysfs /sys'
        echo 'mount -t devtmpfs devtmpfs /dev'
        echo 'exec 0</dev/console 1>/dev/console 2>&1'
        printf 'echo %s\n' "'$(printf '%s' "$marker" | sed "s/'/'\\\\''/g")'"
        [ -z "$run" ] || printf '%s\n' "$run"
        echo 'poweroff -f'
    } >"$root/init"
fi
chmod 755 "$root/init"

printf '%s\n' "$trees" | while IFS= read -r tree; do
    [ -n "$tree" ] || continue
    [ -d "$tree" ] || { echo "mkinitramfs.sh: --tree $tree: no such directory" >&2; exit 1; }
    cp -a "$tree/." "$root/" || { echo "mkinitramfs.sh: could not copy $tree" >&2; exit 1; }
done

printf '%s\n' "$adds" | while IFS= read -r spec; do
    [ -n "$spec" ] || continue
    src=${spec%%:*}
    dest=${spec#*:}
    case $dest in /*) ;; *) echo "mkinitramfs.sh: --add $spec: DEST must be absolute" >&2; exit 1 ;; esac
    mkdir -p "$root$(dirname "$dest")"
    cp "$src" "$root$dest"
done

mkdir -p "$(dirname "$out")"
tmp=$out.tmp.$$
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -9n >"$tmp"
mv -f "$tmp" "$out"
