#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Run every test binary and check script; print each result and a closing
# "N passed, N failed" line counting test cases (cmocka) and scripts.
# usage: run-tests.sh BUILD_DIR BIN... -- SCRIPT...
set -u
build=$1
shift
passed=0
failed=0
failed_names=""
log="$build/test-logs"
mkdir -p "$log"

run_one() {
	name=$1
	shift
	out="$log/$(echo "$name" | tr '/' '_').log"
	if "$@" >"$out" 2>&1; then rc=0; else rc=$?; fi
	# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		# not cmocka: a script counts as one test, or reports its own "N passed, N failed"
		line=$(grep -E '^[a-z_-]*:? ?[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
		if [ -n "$line" ]; then
			p=$(echo "$line" | sed 's/.* \([0-9]*\) passed.*/\1/')
			f=$(echo "$line" | sed 's/.* \([0-9]*\) failed.*/\1/')
		elif [ $rc -eq 0 ]; then p=1; else f=1; fi
	fi
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ $rc -eq 0 ]; then
		printf '  PASS  %-48s %s\n' "$name" "$p"
	else
		printf '  FAIL  %-48s (exit %s; log %s)\n' "$name" "$rc" "$out"
		tail -n 30 "$out" | sed 's/^/        | /'
		failed_names="$failed_names $name"
	fi
}

mode=bin
for arg in "$@"; do
	if [ "$arg" = "--" ]; then mode=script; continue; fi
	if [ "$mode" = bin ]; then
		run_one "${arg#"$build"/}" "$arg"
	else
		run_one "$arg" env BUILD="$build" sh "$arg"
	fi
done

echo
[ -n "$failed_names" ] && echo "failed:$failed_names"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
