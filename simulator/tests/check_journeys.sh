#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Run every journey of test-vectors/scenarios/ through mimsi-sim and check
# its expectations; then check that a journey replays byte for byte (pcap
# and timeline). Every broken expectation fails the check; a journey's
# "known_issue" note is printed next to its failure, never a pass.
set -u
BUILD=${BUILD:-build}
SIM="$BUILD/mimsi-sim"
out="$BUILD/test-logs/journeys"
mkdir -p "$out"
passed=0
failed=0
if [ ! -x "$SIM" ]; then
	echo "check_journeys: $SIM is not built"
	echo "check_journeys: 0 passed, 1 failed"
	exit 1
fi
# Each journey on its own modem, then on that modem with the failover aids
# (NETWORK REJECTION event + PROVIDE LOCAL INFORMATION, "+fo") and without
# them ("-fo"): expectations hold on both kinds of modem, or say
# which modem they are for ("modem_caps" / "modem_lacks"). Then once more
# with the card's toolkit framework owning the applet's events, menu and
# timers (ETSI TS 102 241; timer ids from 5, menu item 2): every journey
# passes with the applet owning them and with the framework owning them.
# usage: journey FILE TAG LOG [mimsi-sim run options]
journey() {
	j=$1 tag=$2 log=$3
	shift 3
	if "$SIM" run "$j" --quiet "$@" >"$log" 2>&1; then
		if [ $# -eq 0 ] && grep -q '"known_issue"' "$j"; then
			echo "  PASS  $tag  (now passes: remove its known_issue)"
		else
			echo "  PASS  $tag"
		fi
		passed=$((passed + 1))
	else
		echo "  FAIL  $tag"
		sed 's/^/        | /' "$log" | grep -E 'EXPECTATION|error|mimsi-sim' | head -n 5
		failed=$((failed + 1))
	fi
}
for j in test-vectors/scenarios/*.json; do
	name=$(basename "$j" .json)
	journey "$j" "$name" "$out/$name.txt"
	for fo in on off; do
		journey "$j" "$name (failover $fo)" "$out/$name-fo-$fo.txt" --failover "$fo"
	done
	journey "$j" "$name (toolkit framework)" "$out/$name-tk-fw.txt" --toolkit framework
	# the framework refusing: 2 timers for 4 roles (the applet's clock is
	# then STATUS polls, as on a terminal without TIMER MANAGEMENT), and no
	# menu entry (everything else works; a journey that uses the menu must
	# find it missing)
	journey "$j" "$name (toolkit framework, 2 timers)" "$out/$name-tk-2t.txt" \
		--toolkit framework,timers=2
	if grep -q '"menu"' "$j"; then
		if ! "$SIM" run "$j" --toolkit framework,menu=off >"$out/$name-tk-nm.txt" 2>&1 &&
			grep -q 'not offered by the card' "$out/$name-tk-nm.txt"; then
			echo "  PASS  $name (toolkit framework, menu refused: no menu)"
			passed=$((passed + 1))
		else
			echo "  FAIL  $name (toolkit framework, menu refused): the menu was still offered"
			failed=$((failed + 1))
		fi
	else
		journey "$j" "$name (toolkit framework, menu refused)" "$out/$name-tk-nm.txt" \
			--toolkit framework,menu=off
	fi
done

# Fast failover: over the whole set, time-to-service p95 on capable modems
# within 60 s, and on incapable ones no worse than rules-driven rotation.
cmp_fail=0
for j in test-vectors/scenarios/*.json; do
	"$SIM" compare "$j" --json >"$out/compare-$(basename "$j" .json).json" 2>&1 || cmp_fail=1
done
if [ $cmp_fail -eq 0 ] && command -v python3 >/dev/null 2>&1; then
	if python3 - "$out" <<'PY'
import glob, json, math, sys
tts = {}
for f in sorted(glob.glob(sys.argv[1] + "/compare-*.json")):
    for mode, m in json.load(open(f))["modes"].items():
        tts.setdefault(mode, []).extend(m["tts_s"])
def p95(v):
    v = sorted(v)
    return v[max(0, math.ceil(0.95 * len(v)) - 1)] if v else 0
r = {k: p95(v) for k, v in tts.items()}
print("  time-to-service p95 over the set: " +
      ", ".join("%s %.0f s" % (k, r[k]) for k in ("naive", "rules", "failover", "failover-nocap")))
sys.exit(0 if r["failover"] <= 60 and r["failover-nocap"] <= r["rules"] else 1)
PY
	then
		echo "  PASS  compare: failover p95 <= 60 s, nocap no worse than rules"
		passed=$((passed + 1))
	else
		echo "  FAIL  compare: failover p95 > 60 s or nocap worse than rules"
		failed=$((failed + 1))
	fi
elif [ $cmp_fail -ne 0 ]; then
	echo "  FAIL  compare: mimsi-sim compare failed (see $out/compare-*.json)"
	failed=$((failed + 1))
else
	echo "  SKIP  compare figures: no python3"
fi

# Determinism: the same journey twice gives the same trace and timeline.
det=test-vectors/scenarios/munich-andorra.json
"$SIM" run "$det" --trace "$out/det1.pcap" >"$out/det1.txt" 2>&1
"$SIM" run "$det" --trace "$out/det2.pcap" >"$out/det2.txt" 2>&1
if cmp -s "$out/det1.pcap" "$out/det2.pcap" && cmp -s "$out/det1.txt" "$out/det2.txt" &&
	[ -s "$out/det1.pcap" ]; then
	echo "  PASS  determinism ($(wc -c <"$out/det1.pcap") byte pcap identical twice)"
	passed=$((passed + 1))
else
	echo "  FAIL  determinism: two runs of $det differ"
	failed=$((failed + 1))
fi

# Bad journeys: exit 65 and the expected error (with its JSON path) on stderr.
for j in test-vectors/scenarios/invalid/*.json; do
	name=$(basename "$j" .json)
	want=$(cat "${j%.json}.err")
	"$SIM" run "$j" >/dev/null 2>"$out/invalid-$name.txt"
	rc=$?
	if [ $rc -eq 65 ] && grep -qF -- "$want" "$out/invalid-$name.txt"; then
		passed=$((passed + 1))
	else
		echo "  FAIL  invalid/$name: exit $rc, wanted 65 and: $want"
		sed 's/^/        | /' "$out/invalid-$name.txt"
		failed=$((failed + 1))
	fi
done
echo "  ($(ls test-vectors/scenarios/invalid/*.json | wc -l) bad journeys checked for their error message)"
echo "check_journeys: $passed passed, $failed failed"
# the same for scripts/run-tests.sh, whose counter wants [a-z-] before the colon
echo "journeys: $passed passed, $failed failed"
[ $failed -eq 0 ]
