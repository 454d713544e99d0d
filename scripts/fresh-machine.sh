#!/bin/sh
# The fresh-machine check (`make fresh-check`): the README's two commands, run
# as a newcomer runs them, on a minimal Debian 12 root that has nothing but
# Debian's required packages plus make and git (what the README asks a user
# to have). A clean clone of the current commit (HEAD: commit first) goes in,
# then `make test` runs there, and `make run` until dom0's shell answers a
# command. CI cannot see a missing install step on its own machine, which
# keeps whatever was ever installed; this can. make run comes first, as in
# the README: on the bare root it is what installs everything.
#
#   fresh-machine.sh [--keep] [--new-base]
#     --keep       leave the used root in $PROXENOS_CACHE/fresh/run for a look
#     --new-base   debootstrap the base root again (else the cached one is used)
#
# Needs root (debootstrap, chroot, mounts) and debootstrap (installed by
# scripts/setup.sh). Debian's archive is taken from this machine's own apt
# sources, which the root gets too. Cached under $PROXENOS_CACHE/fresh
# (default ~/.cache/proxenos/fresh):
#   base/    the pristine debootstrap root, built once, never written again
#   debs/    .debs downloaded by debootstrap and by apt in the root (shared
#            with every run, so a second run downloads only what is new)
#   run/     this run's root: an overlay over base/ (a copy where overlays
#            cannot be mounted), thrown away at the end
#   logs/    make-run.log and make-test.log of the last run
#
# Prints `fresh machine: N passed, N failed` and the wall time last: N counts
# make test's tests and the make run check. Exit status 0 when nothing failed.
#
# Bounds: FRESH_TEST_TIMEOUT (default 2700 s, the 45 minutes make test must
# stay within) for make test, FRESH_RUN_TIMEOUT
# (default 900 s) for make run, set-up included; PROXENOS_TIMEOUT_SCALE
# passes through.
set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${PROXENOS_CACHE:-${HOME:-/root}/.cache/proxenos}
FRESH=$CACHE/fresh
BASE=$FRESH/base
DEBS=$FRESH/debs
RUN=$FRESH/run
LOGS=$FRESH/logs
SUITE=bookworm
TEST_TIMEOUT=${FRESH_TEST_TIMEOUT:-2700}
RUN_TIMEOUT=${FRESH_RUN_TIMEOUT:-900}

die() {
    echo "fresh-check: $*" >&2
    exit 1
}
say() {
    echo "fresh-check: $*"
}

keep=no
new_base=no
while [ $# -gt 0 ]; do
    case $1 in
        --keep) keep=yes ;;
        --new-base) new_base=yes ;;
        -h|--help) sed -n '2,31s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done

[ "$(id -u)" -eq 0 ] || die "needs root: it builds a root file system and chroots into it"
for tool in debootstrap chroot mount umount flock timeout git; do
    command -v "$tool" >/dev/null 2>&1 || die "needs $tool (scripts/setup.sh installs it)"
done
rev=$(git -C "$SRC" rev-parse HEAD 2>/dev/null) || die "$SRC is not a git clone"
if [ -n "$(git -C "$SRC" status --porcelain --untracked-files=no)" ]; then
    say "note: uncommitted changes are not checked; the clone is of HEAD ($rev)"
fi

mkdir -p "$FRESH" "$DEBS" "$LOGS"
exec 8>"$FRESH/.lock"
flock -n 8 || die "another fresh-check holds $FRESH/.lock"
started=$(date +%s)

# ---------------------------------------------------------------------------
# Debian's archive as this machine reaches it: the first source of $SUITE's
# main component in its apt configuration (one-line or deb822 format).
host_mirror() {
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        awk -v s="$SUITE" '$1 == "deb" {
                i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                if ($(i + 1) == s) { print $i; exit } }' "$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk -v s="$SUITE" '
            function flush() { if (uri != "" && suites ~ ("(^| )" s "( |$)")) { print uri; found = 1 } uri = ""; suites = "" }
            /^[ \t]*$/ { flush(); if (found) exit; next }
            /^URIs:/ { uri = $2 }
            /^Suites:/ { sub(/^Suites:[ \t]*/, ""); suites = $0 }
            END { if (!found) flush() }' "$f"
    done
}

# Copy this machine's apt sources into the root, each only if the root can
# verify it (its Signed-By keyring is there), and the apt settings that say
# how the archive is reached (Acquire::...): proxies, snapshot validity.
copy_apt_config() {       # copy_apt_config <root>
    root=$1
    rm -f "$root/etc/apt/sources.list"
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        ok=yes
        for key in $(sed -n 's/.*[Ss]igned-[Bb]y[:=][ \t]*\([^] \t]*\).*/\1/p' "$f"); do
            [ -f "$root$key" ] || ok=no
        done
        [ "$ok" = yes ] && cp "$f" "$root$f"
    done
    for f in /etc/apt/apt.conf.d/*; do
        [ -f "$f" ] && grep -q '^[[:space:]]*Acquire::' "$f" && cp "$f" "$root$f"
    done
    return 0
}

if [ "$new_base" = yes ] || [ ! -f "$BASE/.proxenos-base" ]; then
    mirror=$(host_mirror | head -n 1)
    [ -n "$mirror" ] || die "no apt source for Debian $SUITE on this machine to bootstrap from"
    say "building a minimal Debian $SUITE root with debootstrap (cached in $BASE)"
    rm -rf "$BASE.tmp"
    mkdir -p "$BASE.tmp"
    if ! debootstrap --variant=minbase --include=make,git,ca-certificates \
            --cache-dir="$DEBS" "$SUITE" "$BASE.tmp" "$mirror" >"$LOGS/debootstrap.log" 2>&1; then
        tail -n 20 "$LOGS/debootstrap.log" | sed 's/^/fresh-check:   /' >&2
        die "debootstrap failed (log: $LOGS/debootstrap.log)"
    fi
    copy_apt_config "$BASE.tmp"
    date -u +%Y-%m-%dT%H:%M:%SZ >"$BASE.tmp/.proxenos-base"
    rm -rf "$BASE"
    mv "$BASE.tmp" "$BASE"
fi

# ---------------------------------------------------------------------------
# This run's root. Everything mounted below $RUN is unmounted before $RUN is
# removed, and removal is refused while anything is still mounted there: a
# bind mount of /dev must never be emptied by rm.
ROOT=$RUN/root
mounted_below() {
    awk -v p="$RUN/" 'index($2 "/", p) == 1 { print $2 }' /proc/self/mounts
}
stop_root_processes() {
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/root" 2>/dev/null)" = "$ROOT" ] && kill -9 "${p#/proc/}" 2>/dev/null
    done
    return 0
}
release_root() {
    stop_root_processes
    sleep 1
    for m in $(mounted_below | sort -r); do
        umount -l "$m" 2>/dev/null || true
    done
    if [ -n "$(mounted_below)" ]; then
        echo "fresh-check: still mounted below $RUN, left in place:" >&2
        mounted_below | sed 's/^/fresh-check:   /' >&2
        return 1
    fi
    return 0
}
cleanup() {
    if release_root && [ "$keep" = no ]; then
        rm -rf "$RUN"
    fi
}

release_root || die "cannot release an earlier run's root"
rm -rf "$RUN"
mkdir -p "$RUN/upper" "$RUN/work" "$ROOT"
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
if ! mount -t overlay overlay -o "lowerdir=$BASE,upperdir=$RUN/upper,workdir=$RUN/work" "$ROOT" 2>/dev/null; then
    cp -a "$BASE/." "$ROOT/"
fi
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
mount -t proc proc "$ROOT/proc"
mount --rbind /sys "$ROOT/sys" && mount --make-rslave "$ROOT/sys"
mount --rbind /dev "$ROOT/dev" && mount --make-rslave "$ROOT/dev"
mkdir -p "$ROOT/var/cache/apt/archives/partial"
mount --bind "$DEBS" "$ROOT/var/cache/apt/archives"
chmod 1777 "$ROOT/tmp"

git clone -q --no-hardlinks "$SRC" "$ROOT/root/proxenos"
git -C "$ROOT/root/proxenos" checkout -q "$rev"
say "root ready; clean clone of $rev in /root/proxenos"

# A root login on that machine: nothing of this one's environment. The
# command prefix is kept in "$@" (the options were read above).
set -- chroot "$ROOT" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    ${PROXENOS_TIMEOUT_SCALE:+PROXENOS_TIMEOUT_SCALE=$PROXENOS_TIMEOUT_SCALE} \
    sh -c
minutes() {           # minutes <seconds> -> 12m05s
    printf '%dm%02ds' $(($1 / 60)) $(($1 % 60))
}

# ---------------------------------------------------------------------------
# 1. make run comes first, as the README lists it and a newcomer types it:
# on the bare root it is what installs everything. Driven as a person at
# the console would (scripts/demo-check.py): dom0's shell comes up and runs
# a typed command, then the run is ended.
say "make run until dom0's shell answers (at most $RUN_TIMEOUT s; log: $LOGS/make-run.log)"
t0=$(date +%s)
if /usr/bin/python3 "$SRC/scripts/demo-check.py" --timeout "$RUN_TIMEOUT" \
        --log "$LOGS/make-run.log" -- \
        timeout -k 10 "$RUN_TIMEOUT" "$@" "cd /root/proxenos && exec make run"; then
    run_passed=1 run_failed=0
else
    run_passed=0 run_failed=1
    tail -n 30 "$LOGS/make-run.log" | sed 's/^/  | /'
fi
say "make run: $run_passed passed, $run_failed failed in $(minutes $(($(date +%s) - t0)))"

# ---------------------------------------------------------------------------
# 2. make test: its last line is its count. The whole output goes to the
# log; the console gets its end (more of it when something failed).
say "make test (at most $TEST_TIMEOUT s; log: $LOGS/make-test.log)"
t0=$(date +%s)
rc=0
timeout -k 30 "$TEST_TIMEOUT" "$@" "cd /root/proxenos && make test" \
    >"$LOGS/make-test.log" 2>&1 </dev/null || rc=$?
count=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1 \2/p' "$LOGS/make-test.log" | tail -n 1)
test_passed=${count% *}
test_failed=${count#* }
if [ -z "$count" ]; then
    test_passed=0 test_failed=1
elif [ "$rc" -ne 0 ] && [ "$test_failed" -eq 0 ]; then
    test_failed=1       # a count, but make failed after it
fi
if [ "$test_failed" -eq 0 ]; then
    tail -n 3 "$LOGS/make-test.log" | sed 's/^/  | /'
else
    tail -n 60 "$LOGS/make-test.log" | sed 's/^/  | /'
    [ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] || say "make test was stopped after $TEST_TIMEOUT s"
    [ -n "$count" ] || say "make test ended without a count (exit status $rc): counted as one failure"
fi
say "make test: $test_passed passed, $test_failed failed in $(minutes $(($(date +%s) - t0)))"

echo "fresh machine: $((run_passed + test_passed)) passed, $((run_failed + test_failed)) failed" \
    "(wall time $(minutes $(($(date +%s) - started))))"
[ $((run_failed + test_failed)) -eq 0 ]
