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
sed "s|\"rules\": *\"[^\"]*\"|\"rules\": \"$rules\"|" "$JOURNEY" >"$DEMO/munich-andorra.json"
echo "== journey: $JOURNEY (rule set $rules)"
"$SIM" run "$DEMO/munich-andorra.json" --svg "$DEMO/andorra.svg" --trace "$DEMO/andorra.pcap"
echo
echo "== smart against naive round robin"
"$SIM" compare "$DEMO/munich-andorra.json"
echo
echo "timeline drawing: $DEMO/andorra.svg   APDU trace (GSMTAP): $DEMO/andorra.pcap"
