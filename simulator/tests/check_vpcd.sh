#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# End-to-end: the simulated card inside real pcscd through the vsmartcard vpcd
# driver, driven by a PC/SC client (scriptor, then our pcsc-lite client):
# select ADF.USIM, read EF_IMSI/EF_ICCID, VERIFY ADM1, UPDATE a file,
# AUTHENTICATE with TS 35.208 vectors, a location ENVELOPE that calls for an
# IMSI switch and the proactive REFRESH it brings, the card image saved on
# exit, and the GSMTAP trace decoded by tshark.
#
# Starts pcscd only if none runs (and stops only what it started). Slot: the
# first of 35964 ("Virtual PCD 00 01") and 35963 ("Virtual PCD 00 00") with
# no card connected (or MIMSI_VPCD_PORT); /tmp/mimsi-vpcd-PORT.lock (flock)
# serialises the runs that use a slot.
set -u
BUILD=${BUILD:-build}
SIM="$BUILD/mimsi-sim"
EF_SET=test-vectors/rules/valid/andorra/expected
SCRIPT=test-vectors/apdu/check_vpcd.script

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }
finish() {
	echo "check_vpcd: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}

for tool in pcscd scriptor cc pkg-config; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		fail "prerequisite: $tool not installed (run scripts/deps.sh)"
		finish
	fi
done
if [ ! -f /usr/lib/pcsc/drivers/serial/libifdvpcd.so ] || [ ! -x "$SIM" ]; then
	fail "prerequisite: vsmartcard-vpcd driver or $SIM missing (scripts/deps.sh, make)"
	finish
fi

. scripts/vpcd-lib.sh
mimsi_run_begin check-vpcd

port_listening() { mimsi_tcp_state "$PORT" 0A 2; }

mimsi_pcscd_up "$tmp/pcscd.log"
pcscd_pid=$MIMSI_PCSCD_PID
[ -n "$pcscd_pid" ] && echo "started pcscd (pid $pcscd_pid)"
# a free slot, its lock held (other checks may serve cards too)
mimsi_vpcd_slot 60 || { fail "no free vpcd slot (35963/35964 busy for 60 s)"; finish; }
echo "using vpcd slot 127.0.0.1:$PORT (\"$READER\")"
if port_listening; then pass "pcscd vpcd driver listens on 127.0.0.1:$PORT"; else
	fail "no vpcd listener on $PORT (pcscd without the vpcd driver, or not root to start pcscd?)"
	finish
fi

cc -std=c99 -O2 -D_POSIX_C_SOURCE=200809L $(pkg-config --cflags libpcsclite) \
	simulator/tests/pcsc/pcsc_client.c -o "$tmp/pcsc_client" $(pkg-config --libs libpcsclite) ||
	{ fail "build pcsc_client"; finish; }

# A card image: the default card with the andorra rule set in bank A.
"$SIM" image --ef "$EF_SET" -o "$tmp/card.json" && pass "card image with the andorra set" ||
	{ fail "mimsi-sim image"; finish; }

"$SIM" serve --vpcd "127.0.0.1:$PORT" --card "$tmp/card.json" --save \
	--trace "$tmp/trace.pcap" --log 2>"$tmp/serve.log" &
sim_pid=$!

# Wait until pcscd sees the card (ATR), through scriptor itself.
printf '00A40004023F00\n' >"$tmp/probe.txt"
i=0
until scriptor -r "$READER" "$tmp/probe.txt" >"$tmp/probe.out" 2>&1 && grep -q '^< 61' "$tmp/probe.out"; do
	i=$((i + 1))
	if [ $i -ge 50 ]; then fail "card never appeared in reader \"$READER\""; cat "$tmp/serve.log"; finish; fi
	sleep 0.1
done
pass "card inserted in \"$READER\" (scriptor, T=0)"

# scriptor: the plain file-system part, as any PC/SC tool sees it.
cat >"$tmp/basic.txt" <<'EOS'
00 A4 04 04 07 A0 00 00 00 87 10 02
00 C0 00 00 3A
00 A4 00 04 02 6F 07
00 C0 00 00 19
00 B0 00 00 09
00 A4 08 04 02 2F E2
00 B0 00 00 0A
EOS
scriptor -r "$READER" "$tmp/basic.txt" >"$tmp/basic.out" 2>&1
grep -q '^< 62 17 82 02 41 21 83 02 6F 07' "$tmp/basic.out" && pass "scriptor: EF_IMSI FCP" || fail "scriptor: EF_IMSI FCP"
grep -q '^< 08 29 26 10 21 43 65 87 09 90 00' "$tmp/basic.out" && pass "scriptor: EF_IMSI 262011234567890" || fail "scriptor: EF_IMSI"
grep -q '^< 98 94 01 62 02 01 00 10 32 54 90 00' "$tmp/basic.out" && pass "scriptor: EF_ICCID 89491026201000012345" || fail "scriptor: EF_ICCID"

# The pcsc-lite client: ADM, UPDATE, AUTHENTICATE, CAT and the switch.
"$tmp/pcsc_client" "$READER" script "$SCRIPT" >"$tmp/client.out" 2>&1
grep -E '^(PASS|FAIL)' "$tmp/client.out"
p=$(sed -n 's/^check_vpcd: \([0-9]*\) passed, \([0-9]*\) failed/\1/p' "$tmp/client.out")
f=$(sed -n 's/^check_vpcd: \([0-9]*\) passed, \([0-9]*\) failed/\2/p' "$tmp/client.out")
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-1}))

# pcscd restarts (only when this script started it and no other card uses
# it): the card reconnects.
other=$((35963 + 35964 - PORT))
if [ -n "$pcscd_pid" ] && ! mimsi_tcp_state "$other" 01 3; then
	kill "$pcscd_pid"
	wait "$pcscd_pid" 2>/dev/null
	mimsi_pcscd_up "$tmp/pcscd.log"
	pcscd_pid=$MIMSI_PCSCD_PID
	i=0
	until scriptor -r "$READER" "$tmp/probe.txt" >"$tmp/probe.out" 2>&1 && grep -q '^< 61' "$tmp/probe.out"; do
		i=$((i + 1))
		[ $i -ge 100 ] && break
		sleep 0.1
	done
	grep -q '^< 61' "$tmp/probe.out" && pass "card back in \"$READER\" after a pcscd restart" ||
		fail "no card after a pcscd restart"
fi

# Stop the card: it saves its image on SIGTERM.
kill "$sim_pid"
wait "$sim_pid"
rc=$?
sim_pid=""
[ $rc -eq 0 ] && pass "mimsi-sim serve exits 0 on SIGTERM" || fail "mimsi-sim serve exit status $rc"
grep -q '"content": "016D696D7331' "$tmp/card.json" && pass "saved image keeps the updated EF_SPN" ||
	fail "saved image lacks the EF_SPN update"
grep -q '"active_keyset": 2' "$tmp/card.json" && pass "saved image: active key set 2 after the switch" ||
	fail "saved image: active key set"
if grep -q '31323334' "$tmp/serve.log" || grep -q '3132333435363738' "$tmp/serve.log"; then
	fail "a PIN/ADM value appears in the log"
else
	pass "PIN and ADM values are masked in the log"
fi

if command -v tshark >/dev/null 2>&1; then
	n=$(tshark -r "$tmp/trace.pcap" -Y 'gsm_sim' 2>/dev/null | wc -l)
	[ "$n" -ge 30 ] && pass "tshark decodes $n GSMTAP SIM frames" || fail "tshark decoded $n frames"
	tshark -r "$tmp/trace.pcap" -Y 'gsm_sim' -V -O gsm_sim,etsi_cat 2>/dev/null |
		grep -q 'Command Type: REFRESH' && pass "tshark shows the proactive REFRESH" ||
		fail "tshark: no REFRESH in the trace"
fi
finish
