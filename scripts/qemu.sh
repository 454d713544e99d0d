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
#     --interactive       -nographic: serial and monitor on the terminal, Ctrl-a x quits
#     --pipe              serial on stdin/stdout only, no monitor (for scripts)
#                         (default: --interactive when stdin is a terminal)
#     --dry-run           print the command line instead of running it
set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
QEMU=${QEMU:-qemu-system-aarch64}

usage() {
    sed -n '7,29s/^# \{0,1\}//p' "$0" >&2
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
set -- "$@" -M "$machine" -cpu cortex-a57 -smp "$smp" -m "$mem" -no-reboot
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
