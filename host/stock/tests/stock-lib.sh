# SPDX-License-Identifier: Apache-2.0
# Helpers for the mimsi-stock check scripts (sourced): a temporary directory
# removed on exit, a fresh transport key, the tool, and counted expectations.
# The scripts end with "NAME: N passed, N failed" (scripts/run-tests.sh).
set -u
BUILD=${BUILD:-build}
STOCK="$BUILD/mimsi-stock"
export MIMSI_COMPILE="$BUILD/mimsi-compile"
TV=test-vectors/rules/valid
T=$(mktemp -d "${TMPDIR:-/tmp}/mimsi-stock-check.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT INT TERM
KEY="$T/transport.key"
# AES-256 transport key: 64 hex digits, generated for this run
od -An -N32 -tx1 /dev/urandom | tr -d ' \n' > "$KEY"
chmod 600 "$KEY"
LABEL=MNO.PROD.SM.TRK.AES
pass=0
fail=0

# st DB ARGS...: run mimsi-stock on DB, stdout kept in $T/out, stderr in $T/err
st() {
	db=$1
	shift
	"$STOCK" --db "$db" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	cat "$T/out" >>"$T/all-stdout"
	cat "$T/err" >>"$T/all-stderr"
	return $rc
}
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# expect WHAT EXPECTED ACTUAL
expect() { if [ "$2" = "$3" ]; then ok; else bad "$1: expected '$2', got '$3'"; fi; }
# run WHAT EXPECTED_EXIT DB ARGS...
run() {
	what=$1
	want=$2
	shift 2
	st "$@"
	got=$rc
	if [ "$got" = "$want" ]; then ok; else bad "$what: exit $got, expected $want: $(cat "$T/err")"; fi
}
q() { sqlite3 "$1" "$2"; }
# j EXPR: a value of the last JSON output (python expression on d)
j() { python3 -c 'import json,sys; d=json.load(open(sys.argv[2])); print(eval(sys.argv[1]))' "$1" "$T/out"; }
finish() {
	echo "$1: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
