#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# mimsi-ota without pcscd (the in-process simulator, sim:IMAGE): --help,
# --version, usage and input errors with sysexits codes, the published PoRs
# decoded and checked, a send whose counter is persisted and never reused,
# JSON output that parses, and no key (KIc/KID, K/OPc) in any output, log
# or error message, even for a malformed key file.
set -u
BUILD=${BUILD:-build}
OTA="$BUILD/mimsi-ota"
SIM="$BUILD/mimsi-sim"
KEYS=test-vectors/ota/default-card-keys.json
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "  ok    $1"; }
fail() { failed=$((failed + 1)); echo "  FAIL  $1"; }
check() { name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }
[ -x "$OTA" ] && [ -x "$SIM" ] || { echo "check_ota_tool: build first"; echo "check_ota_tool: 0 passed, 1 failed"; exit 1; }
T=$(mktemp -d /tmp/mimsi-ota-tool.XXXXXX)
trap 'rm -rf "$T"' EXIT

"$OTA" --help >"$T/help" 2>&1; rc=$?
check "--help: exit 0, usage" sh -c "[ $rc -eq 0 ] && grep -q 'mimsi-ota build' '$T/help'"
"$OTA" --version >"$T/ver" 2>&1; rc=$?
check "--version: exit 0" sh -c "[ $rc -eq 0 ] && grep -q '^mimsi-ota ' '$T/ver'"
"$OTA" build --apdu 00A40004023F00 >/dev/null 2>"$T/e1"; rc=$?
check "no --keys: exit 64 (EX_USAGE)" sh -c "[ $rc -eq 64 ] && grep -q -- '--keys' '$T/e1'"
"$OTA" build --keys "$KEYS" --kvn 3 --counter 1 >/dev/null 2>"$T/e2"; rc=$?
check "no SOURCE: exit 64" sh -c "[ $rc -eq 64 ] && grep -q 'SOURCE' '$T/e2'"
"$OTA" build --keys "$KEYS" --kvn 3 --apdu 00A40004023F00 >/dev/null 2>"$T/e3"; rc=$?
check "counter mode without a counter: refused" sh -c "[ $rc -eq 64 ] && grep -q 'counter' '$T/e3'"
printf '{"keysets": [{"kvn": 3, "kic": "35", "kic_key": "300102030405060708090A0B0C0D0E", "kid": "35"}]}' >"$T/bad.json"
"$OTA" build --keys "$T/bad.json" --kvn 3 --counter 1 --apdu 00A40004023F00 >/dev/null 2>"$T/e4"; rc=$?
check "bad key length: exit 65, named, value not shown" sh -c "
	[ $rc -eq 65 ] && grep -q 'bad.json: \$.keysets\[0\].kic_key: must be 8, 16, 24 or 32 bytes' '$T/e4' && ! grep -qi '3001020304' '$T/e4'"
printf '{"keysets": [{"kvn": 3, "kic": "35", "kic_key": "3001020304050607' >"$T/trunc.json"
"$OTA" build --keys "$T/trunc.json" --kvn 3 --counter 1 --apdu 00A40004023F00 >/dev/null 2>"$T/e5"; rc=$?
check "truncated key file: exit 65, position only" sh -c "[ $rc -eq 65 ] && ! grep -qi '3001020304' '$T/e5'"

# the published SJA5 PoRs (3DES key version 3): CC only, then ciphered with CC
"$OTA" por 027100001612B0001100000000000000B5BCD6353A421FAE016132 --keys "$KEYS" --kvn 3 --spi 1609 \
	>"$T/p1" 2>&1; rc=$?
check "por: published PoR, CC verified, status 00, response 016132" sh -c "
	[ $rc -eq 0 ] && grep -q 'PoR 00 PoR OK (RC/CC verified), response data 016132' '$T/p1'"
"$OTA" por 027100001C12B000118BB989492C632529326A2F4681FEB37C825BC9021C9F6D0B --keys "$KEYS" --kvn 3 \
	--json >"$T/p2" 2>&1; rc=$?
check "por --json: ciphered PoR deciphered" sh -c "
	[ $rc -eq 0 ] && python3 -m json.tool '$T/p2' >/dev/null && grep -q '\"data\": \"016132\"' '$T/p2'"
"$OTA" por 027100001612B0001100000000000000B5BCD6353A421FAE016133 --keys "$KEYS" --kvn 3 --spi 1609 \
	>/dev/null 2>"$T/p3"; rc=$?
check "por: a changed byte fails the CC (exit 65)" sh -c "[ $rc -eq 65 ]"

# the published 3DES command packet, rebuilt by the tool (counter 0 is the
# vector's; counters start at 1, so compare what follows the counter)
"$OTA" build --keys "$KEYS" --kvn 3 --spi 0619 --tar B00011 --counter 1 --apdu 00A40004023F00 \
	--out packet >"$T/pkt" 2>/dev/null
check "build --out packet: 34 bytes, CPL 0020 CHL 15 SPI 0619 KIc/KID 35 TAR B00011" \
	grep -q '^00201506193535B00011[0-9A-F]\{48\}$' "$T/pkt"

# send through the simulator; counters persisted per ICCID
"$SIM" image -o "$T/card.json" || fail "mimsi-sim image"
"$OTA" send -r "sim:$T/card.json" --keys "$KEYS" --kvn 2 --counters "$T/ctr.json" -v \
	--apdu 00A40004026F11 --apdu 00D6000004CAFEBABE >"$T/s1" 2>"$T/s1.err"; rc=$?
check "send (AES key set): PoR 00" sh -c "[ $rc -eq 0 ] && grep -q 'PoR 00' '$T/s1'"
check "counter recorded for the card" grep -q '"89491026201000012345"' "$T/ctr.json"
"$OTA" send -r "sim:$T/card.json" --keys "$KEYS" --kvn 2 --counters "$T/ctr.json" --json \
	--apdu 00A40004026F11 --apdu 00B0000004 >"$T/s2" 2>&1; rc=$?
check "second send uses counter 2 and reads CAFEBABE back (the image was saved)" sh -c "
	[ $rc -eq 0 ] && grep -q '\"counter\": 2,' '$T/s2' && grep -q '029000CAFEBABE' '$T/s2'"
"$OTA" send -r "sim:$T/card.json" --keys "$KEYS" --kvn 2 --counters "$T/ctr.json" --counter 2 \
	--apdu 00A40004026F11 >/dev/null 2>"$T/s3"; rc=$?
check "an explicit used counter: refused before sending" sh -c "[ $rc -eq 65 ] && grep -q 'already used' '$T/s3'"
# a slot replacement over a version-2 set (payload + set id): the card adopts the new set
"$SIM" image --ef test-vectors/rules/valid/andorra/expected -o "$T/card2.json" || fail "mimsi-sim image --ef"
"$OTA" send -r "sim:$T/card2.json" --keys "$KEYS" --kvn 1 --counters "$T/ctr2.json" --slot 2 \
	--base test-vectors/rules/valid/andorra/expected --bank B --bank-holds empty --imsi 213779999999999 \
	>"$T/s4" 2>&1; rc=$?
"$BUILD/mimsi-card" -r "sim:$T/card2.json" read --json >"$T/s5" 2>&1
check "slot replacement on a version-2 set: PoR 00, set seq 2 active with the new IMSI" sh -c "
	[ $rc -eq 0 ] && grep -q 'PoR 00' '$T/s4' && python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d[\"active_seq\"] == 2 and d[\"set\"][\"slots\"][\"decoded\"][1][\"imsi\"] == \"213779999999999\" else 1)' '$T/s5'"
"$OTA" build --keys "$KEYS" --kvn 3 --counter 1 --out json --apdu 00A40004026F11 >"$T/j" 2>/dev/null
check "build --out json parses, 1 SMS" sh -c "python3 -m json.tool '$T/j' >/dev/null && grep -q '\"sms_count\": 1' '$T/j'"

leak=0
for s in 200102030405060708090A0B0C0D0E0F 201102030405060708090A0B0C0D0E0F \
	300102030405060708090A0B0C0D0E0F 301102030405060708090A0B0C0D0E0F; do
	for f in "$T"/e* "$T"/p* "$T"/s* "$T/j" "$T/pkt"; do
		grep -qi "$s" "$f" && { leak=1; echo "        key in $(basename "$f")"; }
	done
done
check "no OTA key in any output, -v log or error" [ $leak -eq 0 ]
echo "check_ota_tool: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
