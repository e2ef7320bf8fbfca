#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make run: the demo on the simulated card. Each part shows itself once it is
# built; parts that later issues bring say "not built yet".
set -eu
BUILD=${BUILD:-build}
echo "mimsi demo"
echo
if [ -x "$BUILD/mimsi-sim" ] && [ -f scripts/demo-journey.sh ]; then
	sh scripts/demo-journey.sh
else
	echo "journey demo (Munich <-> Andorra on the simulated card): not built yet"
fi
