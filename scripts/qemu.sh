#!/bin/sh
# The one QEMU launcher, shared by `make run`, the system tests and the
# benchmarks: builds the qemu-system-aarch64 command line for Proxenos on
# QEMU virt (GICv3, EL2, Cortex-A57) and execs it, so the caller's process
# id is QEMU's.
#
#   qemu.sh [options] [-- extra QEMU arguments]
#     --image FILE        hypervisor image (default: $PROXENOS_BUILD/proxenos.bin,
#                         PROXENOS_BUILD defaulting to <repo>/build)
#     --no-image          no -kernel (nor -append) at all: enter some other way,
#                         e.g. -- -device loader,file=IMG,addr=0x40200000,cpu-num=0
#     --smp N             CPUs (default 1)
#     --mem SIZE          RAM as QEMU's -m takes it, e.g. 512M, 4G (default 1G)
#     --append TEXT       hypervisor command line (default:
#                         "console=dtuart dtuart=/pl011@9000000"; "" for none)
#     --dtb FILE          pass FILE instead of QEMU's generated device tree
#     --dumpdtb FILE      write QEMU's device tree to FILE and exit
#     --no-virt           leave virtualization off: the image is entered at EL1
#     --icount            deterministic time (-icount shift=0,sleep=off)
#     --module-addr ADDR  load address of the next guest-loader module (default:
#                         0x49000000, then each next one 2 MiB-aligned after the last)
#     --guest-kernel FILE guest-loader kernel module (a dom0 kernel)
#     --guest-args TEXT   bootargs of the last --guest-kernel
#     --guest-initrd FILE guest-loader ramdisk module
#     --domu FILE         a dom0less domain (xen,domain node) booting kernel FILE:
#                         QEMU's device tree is dumped, the node added, and the
#                         result passed with -dtb; the options below apply to
#                         the last --domu
#     --domu-args TEXT    its kernel's bootargs
#     --domu-initrd FILE  its ramdisk
#     --domu-mem MIB      its memory (default 64)   --domu-cpus N  vCPUs (default 1)
#     --domu-enhanced V   xen,enhanced = V (e.g. no-xenstore)
#     --domu-node DTS     more of its node, as dts text (properties or child
#                         nodes, e.g. a proxenos,virtio-mmio-v1 device)
#     --interactive       -nographic: serial and monitor on the terminal, Ctrl-a x quits
#     --pipe              serial on stdin/stdout only, no monitor (for scripts)
#                         (default: --interactive when stdin is a terminal)
#     --dry-run           print the command line instead of running it
set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
QEMU=${QEMU:-qemu-system-aarch64}

usage() {
    sed -n '7,40s/^# \{0,1\}//p' "$0" >&2
    exit 2
}
die() {
    echo "qemu.sh: $*" >&2
    exit 1
}

image=${PROXENOS_BUILD:-$SRC/build}/proxenos.bin
use_image=yes
smp=1
mem=1G
append="console=dtuart dtuart=/pl011@9000000"
dtb=
dumpdtb=
virt=on
icount=no
if [ -t 0 ]; then mode=interactive; else mode=pipe; fi
dry=no
next_addr=$((0x49000000))
modules=0
last_kernel=
domus=0

# dom0less domains: domu_<field>_<n>; their modules are placed after the
# guest-loader ones, with plain loaders (the device tree describes them).
add_domu() {          # add_domu <kernel>
    [ -f "$1" ] || die "no such domU kernel: $1"
    domus=$((domus + 1))
    eval "domu_kernel_$domus=\$1 domu_args_$domus= domu_initrd_$domus= domu_mem_$domus=64"
    eval "domu_cpus_$domus=1 domu_enh_$domus= domu_node_$domus="
}
set_domu() {          # set_domu <field> <value>
    [ "$domus" -gt 0 ] || die "--domu-$1 must follow a --domu"
    eval "domu_$1_$domus=\$2"
}

# Modules are collected as positional parameters at the end so that file
# names and bootargs with spaces survive; each becomes one -device argument.
set_module() {        # set_module <kind> <file>
    [ -f "$2" ] || die "no such module file: $2"
    modules=$((modules + 1))
    size=$(wc -c <"$2")
    eval "mod_kind_$modules=\$1 mod_file_$modules=\$2 mod_addr_$modules=\$next_addr mod_args_$modules="
    next_addr=$(( (next_addr + size + 0x1fffff) & ~0x1fffff ))
}

while [ $# -gt 0 ]; do
    case $1 in
        --image) [ $# -ge 2 ] || usage; image=$2; shift 2 ;;
        --no-image) use_image=no; shift ;;
        --smp) [ $# -ge 2 ] || usage; smp=$2; shift 2 ;;
        --mem) [ $# -ge 2 ] || usage; mem=$2; shift 2 ;;
        --append) [ $# -ge 2 ] || usage; append=$2; shift 2 ;;
        --dtb) [ $# -ge 2 ] || usage; dtb=$2; shift 2 ;;
        --dumpdtb) [ $# -ge 2 ] || usage; dumpdtb=$2; shift 2 ;;
        --no-virt) virt=off; shift ;;
        --icount) icount=yes; shift ;;
        --module-addr) [ $# -ge 2 ] || usage; next_addr=$(($2)); shift 2 ;;
        --guest-kernel) [ $# -ge 2 ] || usage; set_module kernel "$2"; last_kernel=$modules; shift 2 ;;
        --guest-args) [ $# -ge 2 ] || usage
            [ -n "$last_kernel" ] || die "--guest-args must follow a --guest-kernel"
            eval "mod_args_$last_kernel=\$2"; shift 2 ;;
        --guest-initrd) [ $# -ge 2 ] || usage; set_module initrd "$2"; shift 2 ;;
        --domu) [ $# -ge 2 ] || usage; add_domu "$2"; shift 2 ;;
        --domu-args) [ $# -ge 2 ] || usage; set_domu args "$2"; shift 2 ;;
        --domu-initrd) [ $# -ge 2 ] || usage
            [ -f "$2" ] || die "no such domU ramdisk: $2"; set_domu initrd "$2"; shift 2 ;;
        --domu-mem) [ $# -ge 2 ] || usage; set_domu mem "$2"; shift 2 ;;
        --domu-cpus) [ $# -ge 2 ] || usage; set_domu cpus "$2"; shift 2 ;;
        --domu-enhanced) [ $# -ge 2 ] || usage; set_domu enh "$2"; shift 2 ;;
        --domu-node) [ $# -ge 2 ] || usage; set_domu node "$2"; shift 2 ;;
        --interactive) mode=interactive; shift ;;
        --pipe) mode=pipe; shift ;;
        --dry-run) dry=yes; shift ;;
        --) shift; break ;;
        -h|--help) usage ;;
        *) echo "qemu.sh: unknown option $1" >&2; usage ;;
    esac
done

# Everything left in "$@" is extra QEMU arguments; prepend ours before them.
extra_count=$#
machine="virt,gic-version=3,virtualization=$virt"
[ -z "$dumpdtb" ] || machine="$machine,dumpdtb=$dumpdtb"
# -nic none: the line names every device it wants. QEMU's default NIC on
# virt (virtio-net-pci) needs an option ROM from ipxe-qemu, which a
# --no-install-recommends QEMU lacks, and no guest here uses a network.
set -- "$@" -M "$machine" -cpu cortex-a57 -smp "$smp" -m "$mem" -nic none -no-reboot
if [ "$mode" = interactive ]; then
    set -- "$@" -nographic
else
    set -- "$@" -display none -serial stdio -monitor none
fi
[ "$icount" = no ] || set -- "$@" -icount shift=0,sleep=off
if [ "$use_image" = yes ]; then
    [ -f "$image" ] || [ "$dry" = yes ] || die "no hypervisor image at $image (run make)"
    set -- "$@" -kernel "$image"
fi
# QEMU refuses -append without -kernel.
[ -z "$append" ] || [ "$use_image" = no ] || set -- "$@" -append "$append"
if [ -n "$dtb" ]; then
    [ -f "$dtb" ] || die "no such device tree: $dtb"
    set -- "$@" -dtb "$dtb"
fi
i=1
while [ "$i" -le "$modules" ]; do
    eval "kind=\$mod_kind_$i file=\$mod_file_$i addr=\$mod_addr_$i args=\$mod_args_$i"
    # QEMU option syntax: a literal comma in a value is written twice.
    file=$(printf '%s' "$file" | sed 's/,/,,/g')
    spec=$(printf 'guest-loader,addr=0x%x,%s=%s' "$addr" "$kind" "$file")
    [ -z "$args" ] || spec="$spec,bootargs=$(printf '%s' "$args" | sed 's/,/,,/g')"
    set -- "$@" -device "$spec"
    i=$((i + 1))
done

# Rotate the extra arguments (still at the front) to the end.
while [ "$extra_count" -gt 0 ]; do
    a=$1; shift; set -- "$@" "$a"
    extra_count=$((extra_count - 1))
done

# dom0less domains: dump the tree QEMU makes for exactly this machine (its
# -append and guest-loader nodes included), add a xen,domain node per domU
# to /chosen and boot with the result; the files go in with plain loaders.
if [ "$domus" -gt 0 ]; then
    [ -z "$dtb" ] || die "--domu and --dtb exclude each other"
    [ -z "$dumpdtb" ] || die "--domu and --dumpdtb exclude each other"
    command -v dtc >/dev/null 2>&1 || die "--domu needs dtc (device-tree-compiler)"
    work=$(mktemp -d "${TMPDIR:-/tmp}/proxenos-qemu.XXXXXX")
    "$QEMU" "$@" -machine dumpdtb="$work/virt.dtb" </dev/null >"$work/dump.log" 2>&1 ||
        die "QEMU could not dump its device tree: $(tail -n 3 "$work/dump.log")"
    dtc -q -I dtb -O dts -o "$work/boot.dts" "$work/virt.dtb" || die "dtc could not read QEMU's tree"
    {
        printf '/ {\n\tchosen {\n\t\t#address-cells = <2>;\n\t\t#size-cells = <2>;\n'
        i=1
        while [ "$i" -le "$domus" ]; do
            eval "k=\$domu_kernel_$i a=\$domu_args_$i r=\$domu_initrd_$i"
            eval "m=\$domu_mem_$i c=\$domu_cpus_$i e=\$domu_enh_$i"
            printf '\t\tdomU%d {\n\t\t\tcompatible = "xen,domain";\n' "$i"
            printf '\t\t\t#address-cells = <2>;\n\t\t\t#size-cells = <2>;\n'
            printf '\t\t\tmemory = <0x0 0x%x>;\n\t\t\tcpus = <%d>;\n\t\t\tvpl011;\n' \
                $((m * 1024)) "$c"
            [ -z "$e" ] || printf '\t\t\txen,enhanced = "%s";\n' "$e"
            eval "n=\$domu_node_$i"
            [ -z "$n" ] || printf '%s\n' "$n"
            for kind in kernel ramdisk; do
                if [ "$kind" = kernel ]; then f=$k; else f=$r; fi
                [ -n "$f" ] || continue
                size=$(wc -c <"$f")
                printf '\t\t\tmodule@%x {\n' "$next_addr"
                printf '\t\t\t\tcompatible = "multiboot,%s", "multiboot,module";\n' "$kind"
                printf '\t\t\t\treg = <0x0 0x%x 0x0 0x%x>;\n' "$next_addr" "$size"
                if [ "$kind" = kernel ] && [ -n "$a" ]; then
                    printf '\t\t\t\tbootargs = "%s";\n' "$(printf '%s' "$a" | sed 's/[\\"]/\\&/g')"
                fi
                printf '\t\t\t};\n'
                set -- "$@" -device "loader,file=$(printf '%s' "$f" | sed 's/,/,,/g'),addr=$(printf '0x%x' "$next_addr"),force-raw=on"
                next_addr=$(( (next_addr + size + 0x1fffff) & ~0x1fffff ))
            done
            printf '\t\t};\n'
            i=$((i + 1))
        done
        printf '\t};\n};\n'
    } >>"$work/boot.dts"
    dtc -q -I dts -O dtb -o "$work/boot.dtb" "$work/boot.dts" || die "dtc could not build the boot tree"
    if [ "$dry" = yes ]; then
        set -- "$@" -dtb "$work/boot.dtb"
    else
        # QEMU reads the tree once it runs; keep it open and remove the
        # directory now, since exec leaves nobody to clean up after.
        exec 9<"$work/boot.dtb"
        rm -rf "$work"
        set -- "$@" -dtb /dev/fd/9
    fi
fi

if [ "$dry" = yes ]; then
    printf '%s' "$QEMU"
    for a in "$@"; do
        case $a in
            *[!A-Za-z0-9_./=,:@+-]*|'') printf " '%s'" "$(printf '%s' "$a" | sed "s/'/'\\\\''/g")" ;;
            *) printf ' %s' "$a" ;;
        esac
    done
    printf '\n'
    exit 0
fi
exec "$QEMU" "$@"
