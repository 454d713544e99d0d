#!/bin/sh
# Everything `make test` runs: host unit tests, MISRA, then the tests of
# scripts/ and the QEMU system tests.
# Ends with the total as "N passed, N failed".
set -u
O=$1
SRC=$(cd "$(dirname "$0")/.." && pwd)
log=$(mktemp); trap 'rm -f "$log"' EXIT

make --no-print-directory -C "$SRC" O="$O" unit | tee "$log"
up=$(sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log")
uf=$(sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log")
[ -n "$up" ] || { up=0; uf=1; echo "unit tests did not report a total"; }
make --no-print-directory -C "$SRC" O="$O" misra && up=$((up + 1)) || uf=$((uf + 1))  # one test: MISRA C

# The tests of scripts/ (no QEMU) and the QEMU system tests, one pytest run.
PROXENOS_BUILD="$O" /usr/bin/python3 -m pytest -q -p no:cacheprovider \
    "$SRC/tests/scripts" "$SRC/tests/system" 2>&1 | tee "$log"
sp=$(tail -n 5 "$log" | grep -o '[0-9]* passed' | grep -o '[0-9]*' | tail -n 1)
sf=$(tail -n 5 "$log" | grep -Eo '[0-9]+ (failed|error|errors)' | awk '{ n += $1 } END { print n + 0 }')
sp=${sp:-0}; sf=${sf:-0}
if [ "$sp" -eq 0 ] && [ "$sf" -eq 0 ]; then sf=1; echo "system tests ran nothing"; fi

echo "$((up + sp)) passed, $((uf + sf)) failed"
[ $((uf + sf)) -eq 0 ]
