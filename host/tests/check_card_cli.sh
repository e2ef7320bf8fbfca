#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# mimsi-card's command line on the in-process simulator (no pcscd): one
# option parser per command, the ADM never on the command line, exit codes.
# Prints "check_card_cli: N passed, N failed".
set -u
BUILD=${BUILD:-build}
M=$BUILD/mimsi-card
SET=test-vectors/rules/valid/andorra/expected
pass=0
fail=0
T=$(mktemp -d /tmp/check_card_cli.XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
ok() { pass=$((pass + 1)); echo "  ok    $1"; }
ko() { fail=$((fail + 1)); echo "  FAIL  $1"; [ -f "$T/err" ] && sed 's/^/        | /' "$T/err" | tail -n 5; }
# expect NAME EXIT CMD...: the command exits with EXIT (stdin not a terminal)
expect() {
	name=$1 want=$2
	shift 2
	"$@" </dev/null >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok "$name"; else ko "$name (exit $got, want $want)"; fi
}
echo 12345678 >"$T/adm"

expect "--version" 0 "$M" --version
grep -q '^mimsi-card [0-9]' "$T/out" || ko "--version prints the version"
for c in list info read write batch apdu; do
	expect "$c --help" 0 "$M" "$c" --help
	grep -q "usage: mimsi-card $c" "$T/out" || ko "$c --help names the command"
done
expect "list --adm refused" 64 "$M" list --adm 12345678
expect "list --adm-file refused" 64 "$M" list --adm-file "$T/adm"
expect "-v list refused (list sends no APDU)" 64 "$M" -v list
expect "info --create refused" 64 "$M" -r sim: info --create
expect "write --adm (the ADM on the command line) refused" 64 \
	"$M" -r "sim:$T/c.json" write "$SET" --adm 12345678
expect "write without an ADM and no terminal: usage error" 64 "$M" -r "sim:$T/c.json" write "$SET"
grep -q 'adm-file' "$T/err" || ko "and it says where an ADM comes from"
expect "write --adm-file FILE" 0 "$M" -r "sim:$T/c.json" write "$SET" --adm-file "$T/adm" --create
expect "write with MIMSI_ADM (identical set)" 0 env MIMSI_ADM=12345678 \
	"$M" -r "sim:$T/c.json" write "$SET"
grep -q 'already holds this set' "$T/out" || ko "the card file kept the first write"
expect "a bad ADM file is refused without quoting it" 64 sh -c \
	"echo 1234x678 >'$T/badadm'; '$M' -r 'sim:$T/d.json' write '$SET' --adm-file '$T/badadm'"
grep -q '1234x678' "$T/err" && ko "the bad ADM is not echoed"
expect "write: saving the simulated card fails -> exit 74" 74 env MIMSI_ADM=12345678 \
	"$M" -r "sim:$T/no-such-dir/c.json" write "$SET" --create
grep -q 'new set active' "$T/out" && ko "and it does not claim the new set is active"
expect "read after write: options after the command" 0 "$M" read -r "sim:$T/c.json" --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["active_seq"] == 1' \
	"$T/out" && ok "read --json is JSON with the active set" || ko "read --json is JSON"
expect "apdu --json" 0 "$M" -r sim: apdu 00A40004023F00 --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[0]["sw"] == "9000"' \
	"$T/out" && ok "apdu --json is JSON" || ko "apdu --json is JSON"
expect "info --json" 0 "$M" -r sim: info --json
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out" && ok "info --json is JSON" ||
	ko "info --json is JSON"
# on a terminal the ADM is asked for, and not echoed (script(1) gives a pty;
# the answer comes after the prompt: typed-ahead input is discarded)
if command -v script >/dev/null 2>&1; then
	(sleep 1; echo 12345678) | script -qec \
		"'$M' -r 'sim:$T/p.json' write '$SET' --create" /dev/null >"$T/pty.out" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && grep -q 'ADM1 (8 digits' "$T/pty.out" && grep -q 'new set active' "$T/pty.out" &&
		! grep -q 12345678 "$T/pty.out"; then
		ok "write asks for the ADM on a terminal, without echo"
	else
		ko "write asks for the ADM on a terminal, without echo (exit $rc)"
		sed 's/^/        | /' "$T/pty.out" | tail -n 5
	fi
fi
expect "batch: unknown CSV column refused (65)" 65 sh -c \
	"printf 'iccid,adm,imsl1\n' >'$T/b.csv'; '$M' -r sim: batch '$T/b.csv' --dir '$SET'"
echo "check_card_cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
