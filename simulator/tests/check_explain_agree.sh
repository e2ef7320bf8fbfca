#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The compiler and the card agree (issue "Rules compiler", judged): for the
# journeys that run a compiled use case (test-vectors/rules/valid/<case>/)
# on a well-behaved modem, the slot the card settles on in each country is
# the first slot `mimsi-compile explain` gives for the network it is on.
# Prints "check_explain_agree: N passed, N failed".
set -u
BUILD=${BUILD:-build}
SIM=$BUILD/mimsi-sim
RC=$BUILD/mimsi-compile
JOURNEYS="munich-andorra balkan-transfer world-traveller"
for f in "$SIM" "$RC"; do
	if [ ! -x "$f" ]; then
		echo "check_explain_agree: $f not built"
		echo "check_explain_agree: 0 passed, 1 failed"
		exit 1
	fi
done
if ! command -v python3 >/dev/null 2>&1; then
	echo "check_explain_agree: python3 missing (scripts/deps.sh installs it)"
	echo "check_explain_agree: 0 passed, 1 failed"
	exit 1
fi
tmp=$(mktemp -d /tmp/mimsi-explain-agree.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
for j in $JOURNEYS; do
	"$SIM" run "test-vectors/scenarios/$j.json" --json >"$tmp/$j.json" 2>/dev/null
done
python3 - "$SIM" "$RC" "$tmp" $JOURNEYS <<'PY'
import glob, json, os, re, subprocess, sys

LINE = re.compile(r"^\d+d \S+\s+(.+?)\s+(\d{3}-\d{2,3}|-)\s+(\w+)\s+slot (\d+)")

sim, rc, tmp, journeys = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
passed = failed = 0
for name in journeys:
    spec = json.load(open("test-vectors/scenarios/%s.json" % name))
    # journeys name their files relative to themselves
    case = os.path.normpath(os.path.join("test-vectors/scenarios",
                                         spec["card"]["rules"].rsplit("/expected", 1)[0]))
    plan, rates = case + "/plan.json", sorted(glob.glob(case + "/rates*.csv"))
    run = json.load(open("%s/%s.json" % (tmp, name)))
    # the timeline's fixed columns: "0d 00:00:04  Germany  262-01  normal  slot 1 ..."
    # keep, per country, the last line in normal service (where it settled)
    settled = {}
    for item in run["timeline"]:
        m = LINE.match(item["line"])
        if m and m.group(3) == "normal" and m.group(2) != "-":
            settled[m.group(1)] = (m.group(2), int(m.group(4)))
    for country, (plmn, slot) in settled.items():
        out = subprocess.run([rc, "explain", plan] + rates + [plmn, "--json"],
                             capture_output=True, text=True)
        order = json.loads(out.stdout)["order"] if out.returncode == 0 else []
        want = order[0]["slot"] if order else None
        ok = want == slot
        passed, failed = passed + ok, failed + (not ok)
        print("  %s  %-16s %-12s %s: card slot %d, explain slot %s" %
              ("PASS" if ok else "FAIL", name, country, plmn, slot, want))
print("check_explain_agree: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
