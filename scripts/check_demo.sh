#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make run's demo, run as make check runs everything: it must reach its end
# with the saving lines and write the SVG and the pcap it announces.
set -u
BUILD=${BUILD:-build}
cd "$(dirname "$0")/.." || exit 1
out=$(mktemp /tmp/mimsi-check-demo.XXXXXX)
trap 'rm -f "$out"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; }
if BUILD="$BUILD" sh scripts/demo.sh >"$out" 2>&1; then ok "demo exits 0"; else
	ko "demo exits non-zero:"; tail -n 5 "$out"; fi
grep -q "saving against the home IMSI alone: .*EUR ([0-9]*%)" "$out" && ok "saving against the home IMSI" ||
	ko "no saving line"
grep -q "saving against naive round robin" "$out" && ok "saving against naive rotation" ||
	ko "no naive comparison"
for f in andorra.svg andorra.pcap; do
	[ -s "$BUILD/demo/$f" ] && ok "$f written" || ko "$f missing"
done
echo "check_demo: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
