#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make run: the Munich <-> Andorra journey on the simulated card. Compiles
# the use-case tariffs with mimsi-compile when it is built (else uses the
# checked-in compiled set), replays the journey in virtual time, prints the
# timeline, the saving against the home IMSI and against naive rotation,
# and writes build/demo/andorra.svg.
set -eu
BUILD=${BUILD:-build}
SIM="$BUILD/mimsi-sim"
DEMO="$BUILD/demo"
CASE=test-vectors/rules/valid/andorra
JOURNEY=test-vectors/scenarios/munich-andorra.json
mkdir -p "$DEMO"
rules="$CASE/expected"
if [ -x "$BUILD/mimsi-compile" ]; then
	echo "== compiling the Andorra use case: $BUILD/mimsi-compile compile $CASE/plan.json $CASE/rates-*.csv"
	"$BUILD/mimsi-compile" compile "$CASE/plan.json" "$CASE"/rates-*.csv -o "$DEMO/andorra-rules" >/dev/null
	rules="$DEMO/andorra-rules"
else
	echo "== mimsi-compile not built: using the checked-in compiled set $rules"
fi
# the copy in $DEMO names the rule set by its absolute path; the world and
# modem it names are found in test-vectors/ as $MIMSI_DATADIR (journeys
# resolve their files beside themselves, then there: docs/scenarios.md)
case $rules in /*) ;; *) rules="$PWD/$rules" ;; esac
MIMSI_DATADIR=${MIMSI_DATADIR:-$PWD/test-vectors}
export MIMSI_DATADIR
sed "s|\"rules\": *\"[^\"]*\"|\"rules\": \"$rules\"|" "$JOURNEY" >"$DEMO/munich-andorra.json"
echo "== journey: $JOURNEY (rule set $rules)"
"$SIM" run "$DEMO/munich-andorra.json" --svg "$DEMO/andorra.svg" --trace "$DEMO/andorra.pcap"
echo
echo "== the same journey as naive round robin, rules-driven rotation and fast failover"
"$SIM" compare "$DEMO/munich-andorra.json"
"$SIM" compare "$DEMO/munich-andorra.json" --json >"$DEMO/compare.json"
python3 - "$DEMO/compare.json" <<'PY'
import json, sys
from decimal import Decimal
modes = json.load(open(sys.argv[1]))["modes"]
smart, naive = Decimal(str(modes["failover"]["cost"])), Decimal(str(modes["naive"]["cost"]))
home = Decimal(str(modes["failover"]["cost_home_imsi"]))
print()
for label, base in (("the home IMSI alone", home), ("naive round robin", naive)):
    if base > 0:
        print("saving against %-20s %7.2f EUR (%.0f%%)" % (label + ":", base - smart, 100 * (base - smart) / base))
PY
echo
echo "timeline drawing: $DEMO/andorra.svg   APDU trace (GSMTAP): $DEMO/andorra.pcap"
