#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The two JSON key files the tools read, malformed on purpose:
# test-vectors/ota/keys-invalid/ (mimsi-ota --keys) and
# test-vectors/card-image/keys-invalid/ (mimsi-sim image --keys). Each
# <case>.json must be refused with exit 65 (EX_DATAERR), its message must be
# the file's name followed by <case>.error (a JSON path or line:column), and
# no message may carry a run of 8 hex digits (a key would).
# Prints "check_key_vectors: N passed, N failed".
set -u
BUILD=${BUILD:-build}
pass=0
fail=0
T=$(mktemp -d /tmp/check_key_vectors.XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM

# run_family DIR TOOL-PREFIX COMMAND...: COMMAND gets the key file last
run_family() {
	dir=$1 prefix=$2
	shift 2
	n=0
	for f in "$dir"/*.json; do
		want="$prefix$f$(cat "${f%.json}.error")"
		"$@" "$f" >/dev/null 2>"$T/err"
		rc=$?
		n=$((n + 1))
		if [ "$rc" -eq 65 ] && [ "$(cat "$T/err")" = "$want" ] &&
			! grep -Eq '[0-9A-Fa-f]{8}' "$T/err"; then
			pass=$((pass + 1))
			echo "  ok    $f"
		else
			fail=$((fail + 1))
			echo "  FAIL  $f (exit $rc)"
			echo "        | want: $want"
			sed 's/^/        | got:  /' "$T/err"
		fi
	done
	[ "$n" -ge 8 ] || { fail=$((fail + 1)); echo "  FAIL  $dir: only $n cases"; }
}

run_family test-vectors/ota/keys-invalid "mimsi-ota: " \
	"$BUILD/mimsi-ota" build --kvn 3 --counter 1 --apdu 00A40004023F00 --keys
run_family test-vectors/card-image/keys-invalid "mimsi-sim image: " \
	"$BUILD/mimsi-sim" image --plan test-vectors/rules/valid/balkan/plan.json -o "$T/card.json" --keys
[ ! -f "$T/card.json" ] || { fail=$((fail + 1)); echo "  FAIL  a refused key file still wrote a card"; }

echo "check_key_vectors: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
