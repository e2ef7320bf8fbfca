#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Smoke test of the fuzz targets: build them (clang + libFuzzer, build-fuzz/)
# and run each once over its seed corpus fuzz/corpus/<target>/. The open
# reproducers in fuzz/crashes-found/ are not replayed here (they would fail
# until fixed): replay one with build-fuzz/fuzz/fuzz_<target> FILE.
# Run from the repository root. Prints "check_fuzz_replay: N passed, N failed".
# Exit 0 all passed, 1 a target failed, 69 (EX_UNAVAILABLE) no clang.
set -u

if ! command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1; then
	echo "check_fuzz_replay: clang not found (apt-get install clang libclang-rt-14-dev)" >&2
	exit 69
fi
if ! make --no-print-directory -s fuzz-build >/tmp/check_fuzz_replay.$$ 2>&1; then
	cat /tmp/check_fuzz_replay.$$ >&2
	rm -f /tmp/check_fuzz_replay.$$
	echo "check_fuzz_replay: build failed" >&2
	echo "check_fuzz_replay: 0 passed, 1 failed"
	exit 1
fi
rm -f /tmp/check_fuzz_replay.$$

pass=0
fail=0
for src in fuzz/fuzz_*.c; do
	t=${src#fuzz/fuzz_}
	t=${t%.c}
	bin=build-fuzz/fuzz/fuzz_$t
	inputs=
	[ -d "fuzz/corpus/$t" ] && inputs="fuzz/corpus/$t"
	log=build-fuzz/logs/replay-$t.log
	mkdir -p build-fuzz/logs
	# -runs=0 with a folder: every file is executed once, nothing new is tried
	if "$bin" -runs=0 $inputs >"$log" 2>&1; then
		n=$(ls "fuzz/corpus/$t" 2>/dev/null | wc -l)
		echo "ok   $t ($n seeds)"
		pass=$((pass + 1))
	else
		echo "FAIL $t (see $log)"
		fail=$((fail + 1))
	fi
done
echo "check_fuzz_replay: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
