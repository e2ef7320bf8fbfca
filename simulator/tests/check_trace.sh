#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# GSMTAP trace and --log of mimsi-sim, without pcscd: one-shot APDUs with
# --trace, decoded by tshark (when installed) as GSM SIM + CAT; the log
# line of a VERIFY never shows the PIN.
set -u
BUILD=${BUILD:-build}
SIM="$BUILD/mimsi-sim"
passed=0
failed=0
check() { if [ "$1" -eq 0 ]; then passed=$((passed + 1)); echo "PASS $2"; else failed=$((failed + 1)); echo "FAIL $2"; fi; }
tmp=$(mktemp -d /tmp/mimsi-check-trace.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

"$SIM" apdu --trace "$tmp/t.pcap" --log --ef test-vectors/rules/valid/andorra/expected \
	00A4040407A0000000871002 00C0000038 0020000A083132333435363738 \
	801000000AFFFFFFFFFFFFFFFFFFFF 801200000E >"$tmp/out" 2>"$tmp/log"
check $? "mimsi-sim apdu --trace --log exits 0"
grep -q '^801200000E -> D00C8103010500820281829901039000\|^801200000E -> D00C810301050082028182990103 9000' "$tmp/out"
check $? "FETCH returns SET UP EVENT LIST"
grep -q 'VERIFY PIN .*C: 0020000A08\*\*\*\*\*\*\*\*\*\*\*\*\*\*\*\*' "$tmp/log"
check $? "--log masks the ADM value"
! grep -q '3132333435363738' "$tmp/log"
check $? "no ADM value anywhere in the log"
! grep -q '3132333435363738' "$tmp/out"
check $? "no ADM value in the printed results either"
"$SIM" apdu --json 00A4000C023F00 >"$tmp/json"
grep -q '"sw": "9000"' "$tmp/json"
check $? "--json output"
"$SIM" apdu ZZ >/dev/null 2>&1
[ $? -eq 65 ]
check $? "a bad APDU argument exits EX_DATAERR (65)"
"$SIM" serve --vpcd nowhere >/dev/null 2>&1
[ $? -eq 64 ]
check $? "a bad --vpcd address exits EX_USAGE (64)"
"$SIM" --help | grep -q 'serve' && "$SIM" serve --help | grep -q -- '--vpcd' && "$SIM" apdu --help | grep -q -- '--script'
check $? "--help everywhere"

if command -v tshark >/dev/null 2>&1; then
	n=$(tshark -r "$tmp/t.pcap" -Y 'gsm_sim' 2>/dev/null | wc -l)
	[ "$n" -ge 5 ]
	check $? "tshark decodes $n GSMTAP SIM frames"
	tshark -r "$tmp/t.pcap" -Y 'gsm_sim' -V -O gsm_sim,etsi_cat 2>/dev/null >"$tmp/decoded"
	grep -q 'SET UP EVENT LIST' "$tmp/decoded"
	check $? "tshark decodes the proactive command (etsi_cat)"
	grep -q 'TERMINAL PROFILE' "$tmp/decoded"
	check $? "tshark names TERMINAL PROFILE"
	! grep -q '31 32 33 34 35 36 37 38\|3132333435363738' "$tmp/decoded"
	check $? "the pcap holds no ADM value"
fi
echo "check_trace: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
