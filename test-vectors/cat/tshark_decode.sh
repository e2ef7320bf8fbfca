#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Decode every proactive command vector (D0 ...) of this folder with tshark's
# gsm_sim/etsi_cat dissectors, as the answer to a FETCH in a GSMTAP SIM frame,
# and fail if any is reported malformed. usage: tshark_decode.sh [-v]
# Exit 0 all clean, 1 a vector is malformed, 69 (EX_UNAVAILABLE) no tshark.
set -u
dir=$(dirname "$0")
command -v tshark >/dev/null 2>&1 && command -v text2pcap >/dev/null 2>&1 || {
	echo "tshark_decode: tshark/text2pcap not installed (Debian: tshark)" >&2
	exit 69
}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
ok=0 bad=0
# one command per line, "name hex": each .hex file, then the expected
# command (last field) of each line of build.data (the builders' vectors)
for f in "$dir"/*.hex; do
	echo "$(basename "$f") $(grep -v '^#' "$f" | tr -d ' \n')"
done >"$tmp/list"
grep -n '^[a-z]' "$dir/build.data" | sed 's/^\([0-9]*\):.*"\([^"]*\)"$/build.data:\1 \2/' |
	tr -d ' ' | sed 's/^\(build\.data:[0-9]*\)/\1 /' >>"$tmp/list"
while read -r f h; do
	case $h in D0*) ;; *) continue ;; esac
	n=$((${#h} / 2))
	# GSMTAP v2, 4-word header, type 04 (SIM); FETCH 80 12 00 00 Le, data, 9000
	printf '000000 %s\n' "$(printf '02040400000000000000000000000000%s%02X%s9000' 80120000 "$n" "$h" |
		sed 's/../& /g')" >"$tmp/c.txt"
	text2pcap -q -u 4729,4729 "$tmp/c.txt" "$tmp/c.pcap" 2>/dev/null
	out=$(tshark -r "$tmp/c.pcap" -V -O gsm_sim,etsi_cat 2>&1)
	if echo "$out" | grep -qiE 'malformed|exception|unknown command' ||
		! echo "$out" | grep -q 'Command Type'; then
		echo "tshark_decode: $f: not decoded cleanly" >&2
		bad=$((bad + 1))
	else
		ok=$((ok + 1))
		[ "${1:-}" = -v ] && echo "$out" | sed -n '/Card Application Toolkit/,$p'
	fi
done <"$tmp/list"
echo "tshark_decode: $ok passed, $bad failed"
[ "$bad" -eq 0 ]
