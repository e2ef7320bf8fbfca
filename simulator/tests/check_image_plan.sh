#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `mimsi-sim image --plan`: from tariffs to a card in three commands (compile,
# image, then serve or load it), secrets only from files and the environment.
# Prints "check_image_plan: N passed, N failed".
set -u
BUILD=${BUILD:-build}
S=$BUILD/mimsi-sim
C=$BUILD/mimsi-compile
M=$BUILD/mimsi-card
V=test-vectors/rules/valid/balkan
pass=0
fail=0
T=$(mktemp -d /tmp/check_image_plan.XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
ok() { pass=$((pass + 1)); echo "  ok    $1"; }
ko() { fail=$((fail + 1)); echo "  FAIL  $1"; [ -f "$T/err" ] && sed 's/^/        | /' "$T/err" | tail -n 5; }
check() { name=$1; shift; if "$@"; then ok "$name"; else ko "$name"; fi; }

"$C" compile "$V/plan.json" "$V"/rates-*.csv -o "$T/set" >/dev/null 2>"$T/err"
check "compile the balkan plan" [ -f "$T/set/ef_slots.bin" ]
# the plan's slot 3 uses key set 4, which the default card lacks
"$S" image --plan "$V/plan.json" --ef "$T/set" -o "$T/card.json" 2>"$T/err"
rc=$?
check "a key set the card lacks is named, exit 65" sh -c "
	[ $rc -eq 65 ] && grep -q 'key set 4' '$T/err' && [ ! -f '$T/card.json' ]"
cat >"$T/keys.json" <<KEYS
{"keysets": [{"ref": 4, "k": "000102030405060708090A0B0C0D0E0F",
              "opc": "0F0E0D0C0B0A09080706050403020100"}]}
KEYS
echo 87654321 >"$T/adm"
"$S" image --plan "$V/plan.json" --keys "$T/keys.json" --adm-file "$T/adm" --ef "$T/set" \
	-o "$T/card.json" 2>"$T/err"
check "image --plan --keys --adm-file --ef" [ $? -eq 0 ]
check "the image carries key set 4" grep -q '000102030405060708090A0B0C0D0E0F' "$T/card.json"
"$M" -r "sim:$T/card.json" read >"$T/read.txt" 2>"$T/err"
check "the card holds the compiled set (active seq)" grep -q '^active set seq' "$T/read.txt"
home=$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print([s["imsi"] for s in p["slots"] if s.get("home")][0])' "$V/plan.json")
check "EF_IMSI is the plan's home slot ($home)" grep -q "EF_IMSI.*($home)" "$T/read.txt"
# ADM1 is the one from the file: 87654321 verifies, the test value does not
"$S" apdu --card "$T/card.json" 0020000A083837363534333231 >"$T/adm.out" 2>&1
check "ADM1 from --adm-file" grep -q '9000' "$T/adm.out"
# MIMSI_KEYS and MIMSI_ADM work the same; a typo in a key is not echoed
MIMSI_KEYS=$T/keys.json MIMSI_ADM=11223344 "$S" image --plan "$V/plan.json" -o "$T/c2.json" \
	2>"$T/err"
check "MIMSI_KEYS and MIMSI_ADM" [ $? -eq 0 ]
sed 's/0F0E0D0C0B0A0908/0F0E0D0C0B0AZZ08/' "$T/keys.json" >"$T/bad.json"
"$S" image --plan "$V/plan.json" --keys "$T/bad.json" -o "$T/c3.json" 2>"$T/err"
rc=$?
check "a bad key is refused without quoting it" sh -c "
	[ $rc -eq 65 ] && grep -q 'keysets\[0\]' '$T/err' && ! grep -q '0B0AZZ' '$T/err'"
printf '{"keysets": [{"ref": 4, "k": "00112233445566778899AABBCCDDEEF\n' >"$T/broken.json"
"$S" image --plan "$V/plan.json" --keys "$T/broken.json" -o "$T/c4.json" 2>"$T/err"
check "broken JSON: file:line:column, not the token" sh -c "
	grep -q 'broken.json:1:[0-9]*: ' '$T/err' && ! grep -q '778899' '$T/err'"
"$S" image --keys "$T/keys.json" -o "$T/c5.json" 2>/dev/null
check "--keys without --plan is a usage error" [ $? -eq 64 ]
echo "check_image_plan: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
