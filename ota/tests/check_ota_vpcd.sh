#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# End-to-end OTA: mimsi-ota -> pcsc-lite -> pcscd -> vpcd -> mimsi-sim serve
# (the default simulated card with its documented test keys, docs/ota.md).
# A valid packet applies (PoR 00, in the ENVELOPE response and by SEND
# SHORT MESSAGE); a wrong CC, a replayed counter, an unknown TAR and a
# too-low security level each get their PoR status (01, 02, 09, 0A) and
# change nothing (bank file and counters compared before and after, and
# the saved card image). Then the logs, the GSMTAP trace, the tools'
# outputs and errors are searched for the OTA keys and the K/OPc sent by a
# slot replacement: none may appear.
set -u
BUILD=${BUILD:-build}
SIM="$BUILD/mimsi-sim"
OTA="$BUILD/mimsi-ota"
CARD="$BUILD/mimsi-card"
KEYS=test-vectors/ota/default-card-keys.json
SET=test-vectors/rules/valid/andorra/expected

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }
finish() {
	echo "check_ota_vpcd: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}

for tool in pcscd scriptor; do
	command -v "$tool" >/dev/null 2>&1 || { fail "prerequisite: $tool not installed (scripts/deps.sh)"; finish; }
done
if [ ! -f /usr/lib/pcsc/drivers/serial/libifdvpcd.so ] || [ ! -x "$SIM" ] || [ ! -x "$OTA" ]; then
	fail "prerequisite: vsmartcard-vpcd driver, $SIM or $OTA missing"
	finish
fi

. scripts/vpcd-lib.sh
mimsi_run_begin check-ota

mimsi_pcscd_up "$tmp/pcscd.log"
pcscd_pid=$MIMSI_PCSCD_PID
mimsi_vpcd_slot 120 || { fail "no free vpcd slot"; finish; }
echo "using vpcd slot 127.0.0.1:$PORT (\"$READER\")"

"$SIM" image --ef "$SET" -o "$tmp/card.json" || { fail "mimsi-sim image"; finish; }
"$SIM" serve --vpcd "127.0.0.1:$PORT" --card "$tmp/card.json" --save \
	--trace "$tmp/trace.pcap" --log 2>"$tmp/serve.log" &
sim_pid=$!
printf '00A40004023F00\n' >"$tmp/probe.txt"
i=0
until scriptor -r "$READER" "$tmp/probe.txt" >"$tmp/probe.out" 2>&1 && grep -q '^< 61' "$tmp/probe.out"; do
	i=$((i + 1))
	[ $i -ge 50 ] && { fail "card never appeared in \"$READER\""; finish; }
	sleep 0.1
done
pass "card in \"$READER\""

# What must not change: CFG.B content and the OTA counters (under ADM).
state() {
	"$CARD" -r "$READER" apdu 0020000A083132333435363738 00A40004027F4D 00A40004026F11 00B0000020 \
		00A4000400 00A40004027FDE 00A40004026F02 00B000004B 2>&1 | grep '^<' | tr -d ' '
}
ota() { "$OTA" "$@" --keys "$KEYS" 2>>"$tmp/ota.err"; }

# 1. valid: PoR in the ENVELOPE response (SPI 16 19), then by SEND SHORT MESSAGE (16 39)
ota send -r "$READER" --kvn 3 --counters "$tmp/ctr.json" \
	--apdu 00A40004026F11 --apdu 00D6000004CAFEBABE >"$tmp/valid.out"
grep -q 'PoR 00 PoR OK (RC/CC verified), response data 029000' "$tmp/valid.out" &&
	pass "valid packet: PoR 00, 2 commands, SW 9000" || { fail "valid packet"; cat "$tmp/valid.out" "$tmp/ota.err"; }
state >"$tmp/s1"
grep -q 'CAFEBABE' "$tmp/s1" && pass "valid packet applied (CFG.B starts CAFEBABE)" || fail "valid packet not applied"
ota send -r "$READER" --kvn 2 --counters "$tmp/ctr.json" --spi 1639 \
	--apdu 00A40004026F11 --apdu 00B0000004 --json >"$tmp/sms.out"
grep -q '"status": 0,.*"secured": true.*"data": "029000CAFEBABE"' "$tmp/sms.out" &&
	pass "AES key set, PoR by SEND SHORT MESSAGE, read back CAFEBABE" || { fail "PoR by SMS"; cat "$tmp/sms.out"; }

# 2. refused packets: each built by hand, sent as a raw ENVELOPE
refused() { # name expected-status build-args...
	name=$1
	want=$2
	shift 2
	before=$(state)
	env=$(ota build --kvn 3 "$@" --apdu 00A40004026F11 --apdu 00D600000400000000)
	if [ "$name" = "wrong CC" ]; then
		# flip the last byte: the deciphered data (or padding) no longer matches the CC
		last=$(printf '%s' "$env" | tail -c 2)
		env=$(printf '%s' "$env" | sed 's/..$//')$(printf '%02X' $((0x$last ^ 0x01)))
	fi
	por=$("$CARD" -r "$READER" --json apdu "$env" | sed -n 's/.*"data": "\(027100[0-9A-F]*\)".*/\1/p')
	got=$(ota por "$por" --kvn 3 --json | sed -n 's/.*"status": \([0-9]*\),.*/\1/p')
	[ "$got" = "$want" ] && pass "$name: PoR status $want" || fail "$name: PoR status '$got', want $want"
	after=$(state)
	[ "$before" = "$after" ] && pass "$name: nothing changed" || fail "$name: the card changed"
}
refused "wrong CC" 1 --counter 100
refused "replayed counter" 2 --counter 1
refused "unknown TAR" 9 --counter 101 --tar B0FFFF
refused "too-low security level (no ciphering)" 10 --counter 102 --spi 1219
refused "too-low security level (no counter)" 10 --counter 103 --spi 0619

# 3. the tool never reuses a counter: it refuses before sending
if ota send -r "$READER" --kvn 3 --counters "$tmp/ctr.json" --counter 1 --apdu 00A40004026F11 >/dev/null; then
	fail "mimsi-ota reused counter 1"
else
	grep -q 'already used' "$tmp/ota.err" && pass "mimsi-ota refuses a used counter" || fail "no reason given"
fi

# 4. a slot replacement with K/OPc over the air (keys must stay secret)
printf 'k1 = 0396EB317B6D1C36F19C1C84CD6FFD16\nopc1 = 53C15671C60A4B731C55B4A441C0BDE2\n' >"$tmp/slot.keys"
ota send -r "$READER" --kvn 1 --counters "$tmp/ctr.json" --slot 1 --base "$SET" --bank B \
	--imsi 262019999999999 --slot-keys "$tmp/slot.keys" -v >"$tmp/slot.out" 2>"$tmp/slot.err"
grep -q 'PoR 00' "$tmp/slot.out" && pass "slot replacement with K/OPc: PoR 00 ($(grep -c PoR "$tmp/slot.out") packet(s))" ||
	{ fail "slot replacement"; cat "$tmp/slot.out" "$tmp/slot.err"; }
"$CARD" -r "$READER" -v apdu 0020000A083132333435363738 00A40004027F4D 00A40004026F0E 00B2010420 \
	>"$tmp/read.out" 2>&1
grep -q '^< 69 *82' "$tmp/read.out" && pass "key store: READ RECORD 6982" || fail "key store readable"

kill "$sim_pid"
wait "$sim_pid"
sim_pid=""
# the saved image: EF.OTA_CNTR holds 1 for key versions 1, 2 and 3 (the
# refused packets with counters 100..103 moved nothing)
grep -q '"content": "000000000100000000010000000001000000' "$tmp/card.json" &&
	pass "saved image: counters 1, 1, 1 for key versions 1..3" || fail "saved image counters"

# 5. secrets: OTA keys and K/OPc in no log, trace, output or error
secrets="300102030405060708090A0B0C0D0E0F 301102030405060708090A0B0C0D0E0F
200102030405060708090A0B0C0D0E0F 201102030405060708090A0B0C0D0E0F
100102030405060708090A0B0C0D0E0F 101102030405060708090A0B0C0D0E0F
0396EB317B6D1C36F19C1C84CD6FFD16 53C15671C60A4B731C55B4A441C0BDE2"
leak=0
for s in $secrets; do
	spaced=$(printf '%s' "$s" | sed 's/../& /g; s/ $//')
	for f in "$tmp/serve.log" "$tmp/pcscd.log" "$tmp/ota.err" "$tmp/valid.out" "$tmp/sms.out" \
		"$tmp/slot.out" "$tmp/slot.err" "$tmp/read.out"; do
		[ -f "$f" ] || continue
		if grep -qi -e "$s" -e "$spaced" "$f"; then
			fail "a key appears in $(basename "$f")"
			leak=1
		fi
	done
	if od -An -tx1 -v "$tmp/trace.pcap" | tr -d ' \n' | grep -qi "$s"; then
		fail "a key appears in the GSMTAP trace"
		leak=1
	fi
done
[ $leak -eq 0 ] && pass "no OTA key and no K/OPc in logs, traces, outputs or errors"
finish
