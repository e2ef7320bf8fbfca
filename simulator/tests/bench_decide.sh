#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Field-grade decisions, as figures from the journeys (virtual time):
#   - switches in the 30 minutes of flapping at a border, per flip period,
#     and how long after the flapping stops the device is on the right slot;
#   - after an outage ends (home network back, sponsor core back, cells
#     back): time to normal service and time to the best slot again, and
#     the switches during the outage.
# Each on the journey's modem (rel99), with the failover aids (+fo) and
# without them (-fo), like check_journeys.sh.
set -u
BUILD=${BUILD:-build}
SIM="$BUILD/mimsi-sim"
[ -x "$SIM" ] || { echo "bench_decide: $SIM not built"; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "bench_decide: no python3; skipped"; exit 0; }
tmp=$(mktemp -d /tmp/mimsi-bench-decide.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
J=test-vectors/scenarios
for j in border-flap-1m border-flap-2m border-flap-3m home-outage-2h home-outage-exact \
	home-outage-twice sponsor-core-outage no-coverage-6h; do
	for fo in "" on off; do
		"$SIM" run "$J/$j.json" --json ${fo:+--failover $fo} >"$tmp/$j-${fo:-own}.json" 2>/dev/null ||
			{ echo "bench_decide: $j ${fo:+(failover $fo) }failed its expectations"; exit 1; }
	done
done
python3 - "$tmp" <<'PY'
import json, sys
d = sys.argv[1]
MODES = (("own", "rel99"), ("on", "+fo"), ("off", "-fo"))

def load(j, mode):
    return json.load(open("%s/%s-%s.json" % (d, j, mode)))

def switches(r):  # (t, IMSI now in use)
    return [(e["t"], e["line"].split("IMSI now ")[1].strip())
            for e in r["timeline"] if "IMSI now " in e["line"]]

def first_normal(r, t0):
    for e in r["timeline"]:
        if e["t"] >= t0 and " normal " in e["line"]:
            return e["t"] - t0
    return None

print("flapping border (Austria <-> Slovenia, 30 min from 0:30; target <= 2 switches, right slot <= 600 s after)")
print("  period  modem   switches/30min  right slot after the flapping")
for p in (1, 2, 3):
    for mode, name in MODES:
        r = load("border-flap-%dm" % p, mode)
        sw = switches(r)
        n = sum(1 for t, _ in sw if 1800 <= t < 3600)
        after = [t - 3600 for t, imsi in sw if t >= 3600 and imsi.startswith("90128")]
        print("  %d min   %-6s  %14d  %s" % (p, name, n, "%d s" % after[0] if after else "already"))

# journey, time the outage ends, IMSI of the best slot after it, what ended
OUT = (("home-outage-2h", 3 * 3600, "26201", "262-01 back after 2 h"),
       ("home-outage-exact", 3 * 3600, "26201", "262-01 back, per-network rules"),
       ("home-outage-twice", 4 * 3600 + 1800, "26201", "262-01 back (2nd outage)"),
       ("sponsor-core-outage", 3 * 3600, "21355", "Partner Y core back after 1 h"),
       ("no-coverage-6h", 7 * 3600, "26201", "cells back after 6 h"))
print("after an outage ends (target: best slot within one dwell, doubled at most once: <= 2 x 180 s)")
print("  journey               modem   service  best slot  switches in outage  what ended")
for j, t_end, best, what in OUT:
    for mode, name in MODES:
        r = load(j, mode)
        sw = switches(r)
        back = [t - t_end for t, imsi in sw if t >= t_end and imsi.startswith(best)]
        t_start = {"home-outage-2h": 3600, "home-outage-exact": 3600, "home-outage-twice": 4 * 3600,
                   "sponsor-core-outage": 2 * 3600, "no-coverage-6h": 3600}[j]
        n = sum(1 for t, _ in sw if t_start <= t < t_end)
        svc = first_normal(r, t_end)
        print("  %-21s %-6s  %5s s  %7s  %18d  %s" % (
            j, name, "-" if svc is None else "%d" % svc,
            ("%d s" % back[0]) if back else "already", n, what))
PY
