#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# End-to-end: mimsi-card -> pcsc-lite -> pcscd -> vpcd driver -> TCP ->
# mimsi-sim serve (the simulated UICC). Takes a free vpcd slot (35964 "Virtual
# PCD 00 01", else 35963 "Virtual PCD 00 00") under the same lock files as
# simulator/tests/check_vpcd.sh (/tmp/mimsi-vpcd-PORT.lock), so both run in one
# `make check`. Starts pcscd whenever none runs (another check may stop the
# one it started) and stops only what it started.
# Prints "check_card: N passed, N failed".
set -u
BUILD=${BUILD:-build}
M=$BUILD/mimsi-card
S=$BUILD/mimsi-sim
ADM=12345678
SETS=test-vectors/rules/valid
pass=0
fail=0
T=$(mktemp -d /tmp/check_card.XXXXXX)
# ADMs come from files, never from the command line (ps would show them)
echo $ADM >"$T/adm"
echo 87654321 >"$T/adm-wrong1"
echo 87654320 >"$T/adm-wrong2"
PCSCD_PID=
SERVE_PID=
BATCH_PID=

ok() { pass=$((pass + 1)); echo "  ok    $1"; }
ko() { fail=$((fail + 1)); echo "  FAIL  $1"; [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/        | /' "$2" | tail -n 15; }
check() { name=$1; shift; if "$@"; then ok "$name"; else ko "$name" "$T/last.err"; fi; }

cleanup() {
	[ -n "$BATCH_PID" ] && kill "$BATCH_PID" 2>/dev/null
	[ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
	mimsi_pcscd_down "$PCSCD_PID"
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

for f in "$M" "$S"; do
	if [ ! -x "$f" ]; then
		echo "check_card: $f not built"
		echo "check_card: 0 passed, 1 failed"
		exit 1
	fi
done
if ! command -v pcscd >/dev/null 2>&1 || [ ! -e /usr/lib/pcsc/drivers/serial/libifdvpcd.so ]; then
	echo "check_card: pcscd or vsmartcard-vpcd missing (make deps installs them)"
	echo "check_card: 0 passed, 1 failed"
	exit 1
fi

. scripts/vpcd-lib.sh
# pcscd: use a live one, else start ours; again if another check stopped it
ensure_pcscd() {
	mimsi_pcscd_up "$T/pcscd.log"
	[ -n "$MIMSI_PCSCD_PID" ] && PCSCD_PID=$MIMSI_PCSCD_PID
	return 0
}
ensure_pcscd

# a free vpcd slot, held for the whole run
if ! mimsi_vpcd_slot 180; then
	echo "check_card: no free vpcd slot for 180 s"
	echo "check_card: 0 passed, 1 failed"
	exit 1
fi

wait_state() { # wait_state card|empty [seconds]
	ensure_pcscd
	i=0
	while [ $i -lt $((${2:-15} * 10)) ]; do
		if "$M" list 2>/dev/null | grep -F "$READER" | grep -q "\[$1\]"; then return 0; fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

insert() { # insert IMAGE: serve it in the vpcd slot, saved back on removal
	[ -n "$SERVE_PID" ] && remove
	"$S" serve --vpcd "127.0.0.1:$PORT" --card "$1" --save >"$T/serve.log" 2>&1 &
	SERVE_PID=$!
	wait_state card
}

remove() {
	if [ -n "$SERVE_PID" ]; then
		kill "$SERVE_PID" 2>/dev/null
		wait "$SERVE_PID" 2>/dev/null
		SERVE_PID=
	fi
	wait_state empty
}

card() { ensure_pcscd; "$M" -r "$READER" "$@" 2>"$T/last.err"; }

# cards: the default image, one without DF.MIMSI, three for the batch
"$S" image -o "$T/c.json" >/dev/null 2>&1 || { echo "check_card: mimsi-sim image failed"; }
cp "$T/c.json" "$T/nodf.json"
"$M" -r "sim:$T/nodf.json" apdu 0020000A083132333435363738 00A40004023F00 00E40000027F4D \
	>"$T/nodf.out" 2>&1
for n in 1 2 3 9; do
	cp "$T/c.json" "$T/b$n.json"
	# EF_ICCID 894910262010000000n0 as nibble-swapped BCD (TS 102 221 §13.2)
	"$M" -r "sim:$T/b$n.json" apdu 0020000A083132333435363738 00A40004022FE2 \
		"00D600000A9894016202010000000$n" >/dev/null 2>&1
done

# 0. the reader appears; the card is seen in it
if insert "$T/c.json"; then ok "card inserted in \"$READER\" (vpcd port $PORT)"; else
	ko "card inserted in \"$READER\"" "$T/serve.log"
	echo "check_card: $pass passed, $((fail + 1)) failed"
	exit 1
fi
check "list shows the reader with its ATR" sh -c "'$M' list | grep -F '$READER' | grep -q 'ATR 3B'"

# 1. info
card info --json >"$T/info.json"
check "info: ICCID, IMSI, USIM AID, ATR T=0, retry counters" sh -c "
	grep -q '\"iccid\": \"89491026201000012345\"' '$T/info.json' &&
	grep -q '\"imsi\": \"262011234567890\"' '$T/info.json' &&
	grep -q 'A0000000871002FFFFFFFF8907090000' '$T/info.json' &&
	grep -q '\"protocols\": \[0' '$T/info.json' &&
	grep -q '\"ADM1\": 3' '$T/info.json'"

# 2. write a compiled use-case set (andorra), with trace and decoded log
"$M" -r "$READER" --trace "$T/w.pcap" -v write "$SETS/andorra/expected" --adm-file "$T/adm" --json \
	>"$T/w1.json" 2>"$T/w1.err"
check "write andorra: ok, verified, new seq 1" sh -c "
	grep -q '\"status\": \"ok\"' '$T/w1.json' && grep -q '\"verified\": true' '$T/w1.json' &&
	grep -q '\"new_seq\": 1,' '$T/w1.json' && ! grep -q '\"updates\": 0,' '$T/w1.json'"
# (the IMSI 262011234567890 contains the digits 12345678: leave it out)
check "ADM never in clear: stdout, -v log, GSMTAP trace" sh -c "
	! grep -h '$ADM' '$T/w1.json' '$T/w1.err' | grep -qv 262011234567890 &&
	! grep -qi '3132333435363738' '$T/w1.json' '$T/w1.err' &&
	! grep -q '$ADM' '$T/w.pcap' &&
	grep -q '0020000A08\*\*\*\*' '$T/w1.err'"
if command -v tshark >/dev/null 2>&1; then
	check "trace decodes as GSM SIM in tshark" sh -c "
		[ \$(tshark -r '$T/w.pcap' -Y gsm_sim 2>/dev/null | wc -l) -gt 20 ]"
fi

# 3. read back equal (bodies; the header carries the card's seq)
mkdir -p "$T/rd"
card read -o "$T/rd" >"$T/read.txt"
same=1
for f in ef_cfg ef_slots ef_rules; do
	tail -c +15 "$T/rd/$f.bin" >"$T/a" 2>/dev/null
	tail -c +15 "$SETS/andorra/expected/$f.bin" >"$T/b"
	cmp -s "$T/a" "$T/b" || same=0
done
check "read -o: the three files equal the compiled set" [ $same -eq 1 ]
check "read: decoded slots (213770000000001) and EF_IMSI" sh -c "
	grep -q 'IMSI 213770000000001' '$T/read.txt' && grep -q 'EF_IMSI' '$T/read.txt'"
card read --json >"$T/read.json"
check "read --json is valid JSON" python3 -m json.tool "$T/read.json" >/dev/null

# 4. the same set again: 0 UPDATE commands, no VERIFY
"$M" -r "$READER" -v write "$SETS/andorra/expected" --adm-file "$T/adm" --json >"$T/w2.json" 2>"$T/w2.err"
check "second write: 0 UPDATE commands" sh -c "
	grep -q '\"updates\": 0,' '$T/w2.json' && grep -q '\"identical\": true' '$T/w2.json' &&
	! grep -q 'UPDATE BINARY' '$T/w2.err' && ! grep -q '0020000A08' '$T/w2.err'"

# 5. wrong ADM: reported with the tries left, nothing written
card write "$SETS/balkan/expected" --adm-file "$T/adm-wrong1" >/dev/null
rc=$?
check "wrong ADM: exit 77 and '2 tries left'" sh -c "[ $rc -eq 77 ] && grep -q '2 tries left' '$T/last.err'"
card write "$SETS/balkan/expected" --adm-file "$T/adm-wrong2" >/dev/null
card info --json >"$T/info1.json"
check "two wrong ADMs: counter at 1" grep -q '"ADM1": 1' "$T/info1.json"

# 6. the guard: 1 try left -> refused, the counter untouched
card write "$SETS/balkan/expected" --adm-file "$T/adm" >/dev/null
rc=$?
check "ADM guard refuses at 1 try left (exit 77, --force hint)" sh -c "
	[ $rc -eq 77 ] && grep -q '1 try left' '$T/last.err' && grep -q -- '--force' '$T/last.err'"
card info --json >"$T/info2.json"
check "ADM guard: counter still 1 (no VERIFY sent)" grep -q '"ADM1": 1' "$T/info2.json"
card write "$SETS/balkan/expected" --adm-file "$T/adm" --force --json >"$T/w3.json"
card info --json >"$T/info3.json"
check "--force with the right ADM: written, counter back to 3" sh -c "
	grep -q '\"status\": \"ok\"' '$T/w3.json' && grep -q '\"new_seq\": 2,' '$T/w3.json' &&
	grep -q '\"ADM1\": 3' '$T/info3.json'"

# 7. dry run: APDUs printed, nothing sent
card write "$SETS/world/expected" --adm-file "$T/adm" --dry-run >"$T/dry.txt"
card info --json >"$T/info4.json"
check "--dry-run prints masked VERIFY + UPDATEs, card unchanged" sh -c "
	grep -q '0020000A08\*\*\*\*' '$T/dry.txt' && grep -q 'UPDATE BINARY' '$T/dry.txt' &&
	! grep -q '$ADM' '$T/dry.txt' && grep -q '\"active_seq\": 2}' '$T/info4.json'"
remove

# 8. --create on a card without DF.MIMSI
insert "$T/nodf.json"
card write "$SETS/world/expected" --adm-file "$T/adm" >/dev/null
rc=$?
check "no DF.MIMSI and no --create: refused" sh -c "[ $rc -eq 77 ] && grep -q -- '--create' '$T/last.err'"
card write "$SETS/world/expected" --adm-file "$T/adm" --create --json >"$T/cr.json"
card info --json >"$T/info5.json"
check "--create builds DF 7F4D + 7 EFs and writes the set" sh -c "
	grep -q '\"creates\": 8,' '$T/cr.json' && grep -q '\"verified\": true' '$T/cr.json' &&
	grep -q '\"df\": true' '$T/info5.json' && grep -q '\"active_seq\": 1}' '$T/info5.json'"
remove

# 9. batch: three cards one per insertion, interrupted after the first, resumed
cat >"$T/cards.csv" <<CSV
# ICCID, ADM, IMSI slots (K/OPc columns left empty)
iccid,adm,imsi1,imsi2,k1,opc1
89491026201000000010,$ADM,,213770000000010,,
89491026201000000020,$ADM,,213770000000020,,
89491026201000000030,$ADM,,213770000000030,,
CSV
wait_log() { # wait_log PATTERN COUNT
	i=0
	while [ $i -lt 150 ]; do
		n=$(grep -c "$1" "$T/result.csv" 2>/dev/null)
		[ "${n:-0}" -ge "$2" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
wait_err() { # wait_err FILE PATTERN: the batch said it (no fixed sleep: a loaded CI is slow)
	i=0
	while [ $i -lt 150 ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
"$M" -r "$READER" batch "$T/cards.csv" --dir "$SETS/andorra/expected" --log "$T/result.csv" \
	>"$T/batch1.out" 2>"$T/batch1.err" &
BATCH_PID=$!
insert "$T/b1.json"
wait_log '","ok","' 1
remove
kill "$BATCH_PID" 2>/dev/null # the operator stops the run
wait "$BATCH_PID" 2>/dev/null
BATCH_PID=
check "batch run 1 (interrupted): card 1 programmed and logged" sh -c "
	grep -q '^\"89491026201000000010\",\"ok\",' '$T/result.csv' && [ \$(grep -c '\",\"ok\",\"' '$T/result.csv') -eq 1 ]"

"$M" -r "$READER" batch "$T/cards.csv" --dir "$SETS/andorra/expected" --log "$T/result.csv" \
	>"$T/batch2.out" 2>"$T/batch2.err" &
BATCH_PID=$!
insert "$T/b1.json"  # already done: skipped
wait_err "$T/batch2.err" 'already done: skipped'
remove
insert "$T/b9.json"  # not in the file: refused
wait_log '","refused","' 1
remove
insert "$T/b2.json"
wait_log '","ok","' 2
remove
insert "$T/b3.json"
wait_log '","ok","' 3
i=0
while kill -0 "$BATCH_PID" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 "$BATCH_PID" 2>/dev/null; then
	kill "$BATCH_PID" 2>/dev/null # still waiting for cards: a failure, never a hang
	echo "batch did not finish" >>"$T/batch2.err"
fi
wait "$BATCH_PID"
rc=$?
BATCH_PID=
remove
check "batch run 2 (resumed): completes, exit 0" [ $rc -eq 0 ]
check "batch resumed: card 1 skipped, unknown ICCID refused" sh -c "
	grep -q 'resuming: 1 card' '$T/batch2.err' && grep -q 'already done: skipped' '$T/batch2.err' &&
	grep -q '89491026201000000090 is not in the batch file' '$T/batch2.err'"
check "batch log: 3 cards ok, no ADM in it" sh -c "
	[ \$(grep -c '\",\"ok\",\"' '$T/result.csv') -eq 3 ] && ! grep -q '$ADM' '$T/result.csv' '$T/batch2.err'"
insert "$T/b3.json"
card read >"$T/read3.txt"
remove
check "batch: card 3 carries its own slot-2 IMSI" grep -q 'IMSI 213770000000030' "$T/read3.txt"

# 10. apdu: GET RESPONSE handled, SW decoded
insert "$T/c.json"
card apdu 00A40004023F00 00B0000000 >"$T/apdu.txt"
check "apdu: FCP after GET RESPONSE, SW text" sh -c "
	grep -q '^< 62' '$T/apdu.txt' && grep -q '9000  ' '$T/apdu.txt'"
# 11. a reader name that matches both vpcd slots is refused for write and
# batch (the card could be in either); list -r shows only the matching one
n_vpcd=$("$M" list -r "Virtual PCD" 2>/dev/null | grep -c "Virtual PCD")
if [ "$n_vpcd" -ge 2 ]; then
	ensure_pcscd
	"$M" -r "Virtual PCD" write "$SETS/andorra/expected" --adm-file "$T/adm" >/dev/null \
		2>"$T/amb.err"
	rc=$?
	check "write: -r matching $n_vpcd readers refused (exit 64), card untouched" sh -c "
		[ $rc -eq 64 ] && grep -q 'matches $n_vpcd readers' '$T/amb.err'"
	"$M" -r "Virtual PCD" batch "$T/cards.csv" --dir "$SETS/andorra/expected" >/dev/null \
		2>"$T/amb2.err"
	rc=$?
	check "batch: -r matching $n_vpcd readers refused" sh -c "
		[ $rc -eq 64 ] && grep -q 'matches $n_vpcd readers' '$T/amb2.err'"
fi
check "list -r READER: that reader only" sh -c "
	[ \$('$M' list -r '$READER' | grep -c 'Virtual PCD') -eq 1 ]"
remove

echo "check_card: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
