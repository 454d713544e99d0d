#!/bin/sh
# Boot test guests as dom0less domUs of a Xen hypervisor under QEMU (TCG),
# e.g. Debian's Xen 4.17, to check the guests against the real ABI.
#
#   run-xen.sh [options] -g IMAGE [domain options] [-g IMAGE [domain options]]...
#
# Options:
#   -x FILE    Xen Image (default: $XEN, else $PROXENOS_CACHE/xen/xen-4.17-arm64)
#   -s N       host CPUs, QEMU -smp (default 2)
#   -t SEC     give up after SEC seconds (default 60)
#   -e REGEX   stop once REGEX has matched -n times (default "GUEST DONE")
#   -n COUNT   ... that many times (default: one per domain)
#   -X ARGS    Xen command line (default: console=dtuart dtuart=/pl011@9000000 guest_loglvl=all)
#   -w DIR     keep the generated device trees and the log in DIR
#   -M MiB     host memory, QEMU -m (default 2048)
# Domain options (apply to the -g before them):
#   -c N       vCPUs (default 1)     -m MiB    memory (default 64)
#   -a ARGS    guest bootargs        -N        no vpl011 (console_io only)
#   -E VALUE   xen,enhanced = VALUE (e.g. no-xenstore: adds the /hypervisor node)
#
# Prints the console; exits 0 when the stop pattern was seen, 1 on timeout.
set -eu

XEN=${XEN:-${PROXENOS_CACHE:-${HOME:-/root}/.cache/proxenos}/xen/xen-4.17-arm64}
SMP=2
HOST_MEM=2048
TIMEOUT=60
EXPECT="GUEST DONE"
COUNT=
XEN_ARGS="console=dtuart dtuart=/pl011@9000000 guest_loglvl=all"
WORK=

NDOM=0
add_domain() {
    NDOM=$((NDOM + 1))
    eval "DOM${NDOM}_IMAGE=\$1 DOM${NDOM}_CPUS=1 DOM${NDOM}_MEM=64 DOM${NDOM}_ARGS= DOM${NDOM}_VPL011=1 DOM${NDOM}_ENH="
}
set_dom() {
    [ "$NDOM" -gt 0 ] || { echo "run-xen.sh: -$1 before any -g" >&2; exit 2; }
    eval "DOM${NDOM}_$2=\$3"
}

while getopts x:s:t:e:n:X:w:M:g:c:m:a:NE: opt; do
    case $opt in
    x) XEN=$OPTARG ;;
    s) SMP=$OPTARG ;;
    t) TIMEOUT=$OPTARG ;;
    e) EXPECT=$OPTARG ;;
    n) COUNT=$OPTARG ;;
    X) XEN_ARGS=$OPTARG ;;
    w) WORK=$OPTARG ;;
    M) HOST_MEM=$OPTARG ;;
    g) add_domain "$OPTARG" ;;
    c) set_dom c CPUS "$OPTARG" ;;
    m) set_dom m MEM "$OPTARG" ;;
    a) set_dom a ARGS "$OPTARG" ;;
    N) set_dom N VPL011 0 ;;
    E) set_dom E ENH "$OPTARG" ;;
    *) sed -n '2,24s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
    esac
done
[ "$NDOM" -gt 0 ] || { echo "run-xen.sh: no guest (-g IMAGE)" >&2; exit 2; }
[ -f "$XEN" ] || { echo "run-xen.sh: no Xen image at $XEN (use -x)" >&2; exit 2; }
COUNT=${COUNT:-$NDOM}

if [ -z "$WORK" ]; then
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"

# -nic none: no default NIC, whose option ROM (ipxe-qemu) QEMU may not have.
MACHINE="-M virt,gic-version=3,virtualization=on -cpu cortex-a57 -smp $SMP -m $HOST_MEM -nic none -nographic"

# QEMU's own tree, then one xen,domain node per guest added to /chosen.
# shellcheck disable=SC2086
qemu-system-aarch64 $MACHINE -machine dumpdtb="$WORK/virt.dtb" >/dev/null 2>&1
dtc -q -I dtb -O dts "$WORK/virt.dtb" -o "$WORK/virt.dts"

CHOSEN=$WORK/chosen.dtsi
LOADERS=
{
    printf '\t\txen,xen-bootargs = "%s";\n' "$XEN_ARGS"
    printf '\t\t#address-cells = <0x2>;\n\t\t#size-cells = <0x2>;\n'
    i=1
    img='' cpus='' mem='' args='' vpl011='' enhanced=''
    while [ "$i" -le "$NDOM" ]; do
        eval "img=\$DOM${i}_IMAGE cpus=\$DOM${i}_CPUS mem=\$DOM${i}_MEM args=\$DOM${i}_ARGS"
        eval "vpl011=\$DOM${i}_VPL011 enhanced=\$DOM${i}_ENH"
        # modules 16 MiB apart from 0x60000000: clear of Xen and of QEMU's DTB at 0x48000000
        addr=$(printf '0x%x' $((0x60000000 + (i - 1) * 0x1000000)))
        size=$(printf '0x%x' "$(wc -c <"$img")")
        printf '\t\tdomU%d {\n' "$i"
        printf '\t\t\tcompatible = "xen,domain";\n'
        printf '\t\t\t#address-cells = <0x2>;\n\t\t\t#size-cells = <0x2>;\n'
        printf '\t\t\tmemory = <0x0 0x%x>;\n' $((mem * 1024))
        printf '\t\t\tcpus = <%d>;\n' "$cpus"
        [ "$vpl011" = 1 ] && printf '\t\t\tvpl011;\n'
        [ -n "$enhanced" ] && printf '\t\t\txen,enhanced = "%s";\n' "$enhanced"
        printf '\t\t\tmodule@%s {\n' "${addr#0x}"
        printf '\t\t\t\tcompatible = "multiboot,kernel", "multiboot,module";\n'
        printf '\t\t\t\treg = <0x0 %s 0x0 %s>;\n' "$addr" "$size"
        [ -z "$args" ] || printf '\t\t\t\tbootargs = "%s";\n' "$args"
        printf '\t\t\t};\n\t\t};\n'
        LOADERS="$LOADERS -device loader,file=$img,addr=$addr,force-raw=on"
        i=$((i + 1))
    done
} >"$CHOSEN"
# at the end of /chosen: its own properties must stay before the new subnodes
awk -v f="$CHOSEN" '
    /^\tchosen \{/ { in_chosen = 1 }
    in_chosen && /^\t\};/ { while ((getline l < f) > 0) print l; in_chosen = 0 }
    { print }' "$WORK/virt.dts" >"$WORK/boot.dts"
dtc -q -I dts -O dtb "$WORK/boot.dts" -o "$WORK/boot.dtb"

LOG=$WORK/console.log
# shellcheck disable=SC2086
echo "# qemu-system-aarch64 $MACHINE -dtb boot.dtb -kernel $XEN$LOADERS" >"$LOG"
# shellcheck disable=SC2086
qemu-system-aarch64 $MACHINE -dtb "$WORK/boot.dtb" -kernel "$XEN" $LOADERS \
    </dev/null >>"$LOG" 2>&1 &
QEMU=$!

rc=1
start=$(date +%s)
while kill -0 "$QEMU" 2>/dev/null; do
    if [ "$(grep -c -E "$EXPECT" "$LOG" || true)" -ge "$COUNT" ]; then
        sleep 1     # let the last lines (Xen's own) come out
        rc=0
        break
    fi
    if [ $(($(date +%s) - start)) -ge "$TIMEOUT" ]; then
        echo "# timeout after $TIMEOUT s" >>"$LOG"
        break
    fi
    sleep 0.2
done
kill "$QEMU" 2>/dev/null || true
wait "$QEMU" 2>/dev/null || true
cat "$LOG"
exit "$rc"
