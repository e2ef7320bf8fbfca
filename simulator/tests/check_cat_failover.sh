#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Fast failover: every proactive command, TERMINAL RESPONSE, ENVELOPE and
# TERMINAL PROFILE of the failover path decodes cleanly in tshark's gsm_sim /
# etsi_cat dissectors. Two sources: the vectors of test-vectors/cat/ (each in
# a GSMTAP SIM frame inside the APDU that carries it: FETCH answer, TERMINAL
# RESPONSE, ENVELOPE, TERMINAL PROFILE), and the GSMTAP trace the journey
# runner writes for failover-causes on the capable modem. A decode with
# "Malformed" or an Expert Info error/warning fails. No tshark: skipped.
set -u
BUILD=${BUILD:-build}
SIM="$BUILD/mimsi-sim"
V=test-vectors/cat
passed=0
failed=0
ok() { echo "  PASS  $1"; passed=$((passed + 1)); }
ko() { echo "  FAIL  $1"; failed=$((failed + 1)); }
if ! command -v tshark >/dev/null 2>&1 || ! command -v text2pcap >/dev/null 2>&1; then
	echo "check_cat_failover: SKIP: tshark/text2pcap not installed (Debian: tshark)"
	echo "cat-failover: 0 passed, 0 failed"
	exit 0
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# vector -> "APDU header" that carries it (GSMTAP v2, 4-word header, type 04 = SIM)
frame() {
	h=$(grep -v '^#' "$V/$1" | tr -d ' \n')
	n=$(printf '%02X' $((${#h} / 2)))
	case $1 in
	tp_*) apdu=80100000$n$h"9000" ;;       # TERMINAL PROFILE
	tr_*) apdu=80140000$n$h"9000" ;;       # TERMINAL RESPONSE
	env_*) apdu=80C20000$n$h"9000" ;;      # ENVELOPE
	*) apdu=80120000$n$h"9000" ;;          # FETCH, the command as its answer
	esac
	printf '000000 %s\n' "$(printf '02040400000000000000000000000000%s' "$apdu" | sed 's/../& /g')"
}

vectors="env_network_rejection_11.hex env_network_rejection_13_ta_update.hex
env_network_rejection_17.hex env_network_rejection_22_utran.hex env_reject_11_213_77.hex
setup_event_list_reject.hex pli_location.hex tr_setup_event_list_ok.hex
tr_pli_limited_service.hex tr_pli_limited_213_77.hex tr_pli_limited_262_02.hex
tr_pli_no_service.hex tp_rel99_failover.hex tp_no_failover.hex tp_full_reject.hex"
for v in $vectors; do
	if [ ! -f "$V/$v" ]; then
		ko "$v: missing"
		continue
	fi
	frame "$v" >"$tmp/f.txt"
	text2pcap -q -u 4729,4729 "$tmp/f.txt" "$tmp/f.pcap" 2>/dev/null
	tshark -r "$tmp/f.pcap" -V -O gsm_sim,etsi_cat >"$tmp/f.out" 2>&1
	if grep -qiE 'malformed|exception|Expert Info \((Error|Warning)' "$tmp/f.out"; then
		ko "$v: not decoded cleanly"
		grep -iE 'malformed|exception|Expert' "$tmp/f.out" | head -n 3 | sed 's/^/        | /'
		continue
	fi
	case $v in
	env_network_rejection*|env_reject*)
		want='Event: Network Rejection' ;;
	tr_pli_limited*) want='performed successfully, limited service' ;;
	tp_rel99_failover*|tp_full_reject*) want='Network Rejection for E-UTRAN: Supported' ;;
	tp_*) want='Network Rejection for E-UTRAN: Not supported|Terminal Profile' ;;
	setup_event_list_reject*) want='Network Rejection' ;;
	*) want='Card Application Toolkit' ;;
	esac
	if grep -qE "$want" "$tmp/f.out"; then
		ok "$v decodes ($want)"
	else
		ko "$v: tshark does not show \"$want\""
	fi
done

# The journey runner's own trace: the capable modem, every cause class.
if [ -x "$SIM" ] && "$SIM" run test-vectors/scenarios/failover-causes.json --quiet \
	--trace "$tmp/j.pcap" >"$tmp/j.txt" 2>&1; then
	tshark -r "$tmp/j.pcap" -Y gsm_sim -V -O gsm_sim,etsi_cat >"$tmp/j.out" 2>&1
	n=$(grep -c 'Rejection Cause Code' "$tmp/j.out")
	if grep -qiE 'malformed|exception|Expert Info \((Error|Warning)' "$tmp/j.out"; then
		ko "failover-causes trace: not decoded cleanly"
		grep -iE 'malformed|exception|Expert' "$tmp/j.out" | head -n 3 | sed 's/^/        | /'
	elif [ "$n" -eq 6 ] && grep -q 'performed successfully, limited service' "$tmp/j.out"; then
		ok "failover-causes trace: $(tshark -r "$tmp/j.pcap" -Y gsm_sim 2>/dev/null | wc -l) SIM frames clean, $n NETWORK REJECTION envelopes, PLI limited service"
	else
		ko "failover-causes trace: $n NETWORK REJECTION envelopes (want 6) or no limited-service TR"
	fi
else
	ko "failover-causes journey did not run ($SIM)"
fi
echo "check_cat_failover: $passed passed, $failed failed"
echo "cat-failover: $passed passed, $failed failed"
[ $failed -eq 0 ]
