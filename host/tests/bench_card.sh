#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Bench: APDUs and wall time to write the world rule set through
# pcscd + vpcd + mimsi-sim serve: first write, then the identical rewrite.
set -u
BUILD=${BUILD:-build}
M=$BUILD/mimsi-card
S=$BUILD/mimsi-sim
T=$(mktemp -d /tmp/bench_card.XXXXXX)
echo 12345678 >"$T/adm"
# The world-size set: the compiler bench's generated world (1,000 PLMNs x 20
# sponsors, 10 slots); the small world use case if that bench is not built.
SET_NAME=
if [ -n "${MIMSI_CARD_BENCH_SET:-}" ]; then
	SET=$MIMSI_CARD_BENCH_SET
elif [ -x "$BUILD/rules-compiler/tests/bench_compile" ] &&
	"$BUILD/rules-compiler/tests/bench_compile" --emit "$T/world" >/dev/null; then
	SET=$T/world
	SET_NAME="generated world (1,000 PLMNs x 20 sponsors, 10 slots)"
else
	SET=test-vectors/rules/valid/world/expected
fi
PCSCD_PID=
SERVE_PID=
cleanup() {
	[ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
	mimsi_pcscd_down "$PCSCD_PID"
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
. scripts/vpcd-lib.sh
mimsi_pcscd_up
PCSCD_PID=$MIMSI_PCSCD_PID
mimsi_vpcd_slot 180 || { echo "bench_card: no free vpcd slot"; exit 1; }
"$S" image -o "$T/c.json" >/dev/null
"$S" serve --vpcd "127.0.0.1:$PORT" --card "$T/c.json" >/dev/null 2>&1 &
SERVE_PID=$!
i=0
until "$M" list 2>/dev/null | grep -F "$READER" | grep -q '\[card\]'; do
	i=$((i + 1))
	[ $i -gt 150 ] && { echo "bench_card: no card in \"$READER\""; exit 1; }
	sleep 0.1
done
now() { date +%s.%N; }
run() { # run LABEL
	t0=$(now)
	"$M" -r "$READER" write "$SET" --adm-file "$T/adm" --json >"$T/out.json" || exit 1
	t1=$(now)
	python3 - "$1" "$t0" "$t1" "$T/out.json" <<'PY'
import json, sys
label, t0, t1, path = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
r = json.load(open(path))
print("%-18s %4d APDUs  %3d UPDATE  %5d bytes  %7.1f ms wall  (seq %d)" %
      (label, r["apdus"], r["updates"], r["bytes"], (t1 - t0) * 1000.0, r["new_seq"]))
PY
}
sizes=$(for f in ef_cfg ef_slots ef_rules; do printf '%s=%s ' "$f" "$(wc -c <"$SET/$f.bin")"; done)
echo "mimsi-card write through pcscd+vpcd ($READER), set ${SET_NAME:-$SET}: $sizes"
run "first write"
run "identical rewrite"
