#!/bin/sh
# Run host unit test binaries; print each binary's result and a total line
# "unit: N passed, N failed" (N counts cmocka test cases). Exit 1 on failure.
set -u
O=$1; shift
passed=0; failed=0
for bin in "$@"; do
    name=${bin#"$O"/unit/}
    out=$(CMOCKA_MESSAGE_OUTPUT=stdout "$bin" 2>&1)
    rc=$?
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
    p=${p:-0}; f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1   # crashed or sanitizer report: count the binary as one failure
    fi
    if [ "$f" -ne 0 ]; then
        printf '%s\n' "$out"
        echo "FAIL $name ($p passed, $f failed)"
    else
        echo "ok   $name ($p passed)"
    fi
    passed=$((passed + p)); failed=$((failed + f))
done
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
