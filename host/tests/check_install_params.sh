#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# mimsi-card install-params: exit codes (sysexits.h), --json, build -> lint,
# build --from JSON, lint from a file and stdin. No card needed.
# Prints "check_install_params: N passed, N failed".
set -u
BUILD=${BUILD:-build}
M=$BUILD/mimsi-card
pass=0
fail=0
T=$(mktemp -d /tmp/check_ip.XXXXXX)
trap 'rm -rf "$T"' EXIT

ok() { pass=$((pass + 1)); echo "  ok    $1"; }
ko() { fail=$((fail + 1)); echo "  FAIL  $1"; }
# expect NAME RC CMD...: the command exits with RC
expect() {
	name=$1 want=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then ok "$name"; else ko "$name (exit $rc, want $want)"; sed 's/^/        | /' "$T/err" | head -n 5; fi
}

HELLO=010001001505000000000000000000000000
expect "help" 0 "$M" install-params --help
expect "version" 0 "$M" install-params --version
expect "no action" 64 "$M" install-params
expect "unknown action" 64 "$M" install-params frobnicate
expect "unknown option" 64 "$M" install-params lint --frob 00
expect "bad number" 64 "$M" install-params build --timers 300
expect "bad TAR" 64 "$M" install-params build --tar B000
expect "not hex" 65 "$M" install-params lint C9Z0
expect "HelloSTK structure ok" 0 "$M" install-params lint --needs none $HELLO
expect "HelloSTK too few timers for mimsi" 65 "$M" install-params lint $HELLO
grep -q "timers-fewer" "$T/out" && ok "names timers-fewer" || ko "names timers-fewer"
expect "lint --json" 65 "$M" install-params lint --json $HELLO
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["ok"] is False and d["kind"]=="value"; assert any(x["code"]=="timers-fewer" for x in d["findings"])' "$T/out" &&
	ok "lint --json parses" || ko "lint --json parses"

expect "build" 0 "$M" install-params build
[ "$(cat "$T/out")" = C900EF0DCA0B010001040B010101000000 ] && ok "build default hex" || ko "build default hex"
built=$(cat "$T/out")
expect "built blob lints clean" 0 "$M" install-params lint "$built"
expect "build below needs refused" 65 "$M" install-params build --menu-entries 0
[ ! -s "$T/out" ] && ok "nothing printed on refusal" || ko "nothing printed on refusal"
expect "build below needs, --needs none" 0 "$M" install-params build --menu-entries 0 --needs none

cat >"$T/in.json" <<'J'
{"form": "uicc", "timers": 5, "menu": [[2, 1]], "tar": ["B00020"], "usim_aid": "A0000000871002", "volatile": 255}
J
expect "build --from JSON" 0 "$M" install-params build --from "$T/in.json" --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["install_parameters"].startswith("C900EF04C70200FFEA"), d' "$T/out" &&
	ok "JSON values used" || ko "JSON values used"
echo '{"timers": "x"}' >"$T/bad.json"
expect "bad JSON value" 65 "$M" install-params build --from "$T/bad.json"
echo '{"timers": ' >"$T/broken.json"
expect "broken JSON" 65 "$M" install-params build --from "$T/broken.json"
grep -q "broken.json:" "$T/err" && ok "JSON error names the file" || ko "JSON error names the file"

printf '# a blob with a comment\nC900 EF0D CA0B\n010001040B010101000000\n' >"$T/blob.txt"
expect "lint --file" 0 "$M" install-params lint --file "$T/blob.txt"
expect "lint stdin" 0 sh -c "echo $built | $M install-params lint -"
expect "lint missing file" 66 "$M" install-params lint --file "$T/none.txt"

echo "check_install_params: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
