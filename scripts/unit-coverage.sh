#!/bin/sh
# Line coverage of hypervisor/common/ by the host unit tests, from the gcov
# data of a coverage build (make coverage): one line per common source file,
# then "coverage: N of M files >= 80 %".
#
# A source is linked into several tests, each compiled on its own (their
# flags differ), so gcov sees one profile per (test, source). A line counts
# as executable when any of them has code on it and as covered when any of
# them ran it: the union is what all the tests together exercise. A file
# built into no test has no data and shows 0 %.
#
# usage: unit-coverage.sh <source dir> <coverage build dir>
set -u
SRC=$1
COV=$2
common=$SRC/hypervisor/common
data=$(mktemp); trap 'rm -f "$data"' EXIT

# gcov -t prints each annotated source on stdout (nothing is written), a
# "Source:" line first. Given the .gcno, it reads the .gcda beside it, or
# counts every line as not run when the test never wrote one (it crashed).
find "$COV/unit" -name '*.gcno' | sort | xargs -r gcov -t 2>/dev/null >"$data"

find "$common" -name '*.c' | sort | awk -v data="$data" -v common="$common/" '
    # Pass 1, the gcov text: "<count>:<line>:<text>", where count is "-"
    # (no code), "#####" (not run) or a number, with "*" when only some of
    # the line ran (it ran, for line coverage).
    FNR == NR {
        if ($0 ~ /^ *-: *0:Source:/) {
            file = substr($0, index($0, ":Source:") + 8)
            keep = (index(file, common) == 1)
            next
        }
        if (!keep) {
            next
        }
        split($0, f, ":")
        count = f[1]; gsub(/[ *]/, "", count)
        line = f[2] + 0
        if (count == "-" || line == 0) {
            next
        }
        key = file SUBSEP line
        code[key] = 1
        if (count != "#####" && count != "=====" && count + 0 > 0) {
            ran[key] = 1
        }
        next
    }
    # Pass 2, every common source file (data read from "-", stdin).
    {
        lines[$0] = 0; hits[$0] = 0; files[++n] = $0
    }
    END {
        for (key in code) {
            split(key, k, SUBSEP)
            if (k[1] in lines) {
                lines[k[1]]++
                if (key in ran) {
                    hits[k[1]]++
                }
            }
        }
        good = 0; tl = 0; th = 0
        for (i = 1; i <= n; i++) {
            src = files[i]
            pct = (lines[src] > 0) ? 100 * hits[src] / lines[src] : 0
            good += (pct >= 80) ? 1 : 0
            tl += lines[src]; th += hits[src]
            printf "%6.1f %%  %5d/%-5d  %s%s\n", pct, hits[src], lines[src],
                   substr(src, length(common) - 6), (lines[src] > 0) ? "" : "  (in no test)"
        }
        printf "coverage: %d of %d files >= 80 %%; lines %d of %d (%.1f %%)\n",
               good, n, th, tl, (tl > 0) ? 100 * th / tl : 0
    }
' "$data" -
