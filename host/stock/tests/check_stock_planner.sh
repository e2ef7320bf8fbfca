#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The OTA swap planner on use case 2.5's Balkan trip: Germany (Own is best,
# keep) -> Montenegro (Partner Y 0.41 EUR beats W 1.21 USD: keep) -> Albania
# (W 0.2 USD = 0.184 EUR beats Y 0.30: swap to a W IMSI of "dynamic W") ->
# Kosovo (Y 0.60 beats W 0.7 USD = 0.644: swap back to the Y IMSI still on
# hold for this subscriber). Figures from the planner's JSON and the
# database; the OTA packets built with the OTA key file; a lost PoR, a
# timeout, an empty pool; no IMSI ever lost; no key in clear in any output.
. host/stock/tests/stock-lib.sh
D="$T/plan.db"
OUT="$T/files"
mkdir -p "$OUT"
OTAKEYS=test-vectors/ota/default-card-keys.json
A="--at 2026-01-01"
K="--key-file $KEY --key-label $LABEL"

run "init" 0 "$D" init
run "sponsor Own" 0 "$D" $A sponsor add Own --plmn 262-01
run "sponsor Y" 0 "$D" $A sponsor add "Partner Y" --plmn 213-55
run "sponsor W" 0 "$D" $A sponsor add "Partner W" --plmn 901-28
run "batch Own" 0 "$D" $A batch import Own --sponsor Own --range 262019000000000-262019000000019
run "batch Y" 0 "$D" $A batch import Y --sponsor "Partner Y" --range 213559000000000-213559000000019
# the W IMSIs come with their K/OPc (kept wrapped by the transport key)
WK=00112233445566778899AABBCCDDEEFF
WO=FFEEDDCCBBAA99887766554433221100
{
	echo "imsi,k,opc"
	for i in 0 1 2; do echo "90128900000000$i,$WK,$WO"; done
} >"$T/w.csv"
run "batch W" 0 "$D" $A batch import W --sponsor "Partner W" --csv "$T/w.csv" $K
run "hold 213" 0 "$D" $A hold set 213 90
run "hold 901" 0 "$D" $A hold set 901 90
run "product" 0 "$D" $A product add Balkan
run "pool Y" 0 "$D" $A pool create PY --iccid-range 8949102620200000000-8949102620200000099 \
	--plan test-vectors/scenarios/stock/balkan-own-y.json --rates $TV/balkan/rates-own.csv \
	--rates $TV/balkan/rates-partner-y.csv
run "pool W (its tariffs)" 0 "$D" $A pool create PW --iccid-range 8949102620300000000-8949102620300000099 \
	--plan $TV/world/plan.json --rates $TV/world/rates-own.csv --rates $TV/world/rates-partner-w.csv
run "link" 0 "$D" pool link PY Balkan
run "generate" 0 "$D" $A generate --pool PY --batch Own --batch Y --count 5 --out "$OUT" $K
for p in Y W; do
	run "ipool $p" 0 "$D" $A ipool create "dynamic $p"
	run "ipool $p link" 0 "$D" ipool link "dynamic $p" Balkan
	run "ipool $p add" 0 "$D" $A ipool add "dynamic $p" --batch $p
done
run "onboarding" 0 "$D" --at 2026-01-10 --json assign traveller --product Balkan
P=$(j 'd["iccid"]')
Y=$(q "$D" "SELECT i.imsi FROM imsi i JOIN embedding e ON e.imsi_id = i.id JOIN profile p ON p.id = e.profile_id WHERE p.iccid = '$P' AND e.position = 2 AND e.to_at IS NULL")
BASE="$OUT/gen-000001-rules"
"$BUILD/mimsi-compile" decompile --json "$BASE" >"$T/base.json" 2>>"$T/all-stderr"
OTA="--ota-keys $OTAKEYS --kvn 1 --counters $T/counters.json --base $BASE"
ev() { printf '{"iccid": "%s", "plmn": "%s", "at": "%s"%s}\n' "$P" "$1" "$2" "${3:-}" >"$T/ev.json"; }
imsis() { q "$D" "SELECT group_concat(state, ' ') FROM (SELECT state FROM imsi WHERE state IN ('available','reserved','embedded','hold') ORDER BY id)" | wc -w; }
expect "43 IMSIs" 43 "$(imsis)"

# ---- Germany, Montenegro: keep ------------------------------------------------------------
ev 262-01 2026-01-10T12:00:00Z
run "Germany" 0 "$D" --json plan-swap "$T/ev.json" $OTA $K
expect "Germany: keep, Own at 0.50 is best" "keep best 0.50" "$(j 'd["decision"]+" "+d["reason"]+" "+d["price_now"]')"
ev 297-01 2026-01-11T09:00:00Z
run "Montenegro" 0 "$D" --json plan-swap "$T/ev.json" $OTA $K
expect "Montenegro: keep on Y 0.41, W would be 1.1132 EUR" "keep best 0.41 1.1132" \
	"$(j 'd["decision"]+" "+d["reason"]+" "+d["dynamic"]["price"]+" "+[x["price"] for x in d["candidates"] if x["sponsor"]=="Partner W"][0]')"
expect "no counter used for a keep" 0 "$(test -f "$T/counters.json" && echo 1 || echo 0)"

# ---- Albania: swap to W -------------------------------------------------------------------
ev 276-02 2026-01-12T09:00:00Z
run "Albania" 0 "$D" --json plan-swap "$T/ev.json" $OTA $K --keep-set "$T/kept"
expect "Albania: replace Y 0.30 by W 0.184, saving 0.174 over 3 days" "replace 0.30 0.184 0.174" \
	"$(j 'd["decision"]+" "+d["price_now"]+" "+d["new"]["price"]+" "+d["saving"]')"
W=$(j 'd["new"]["imsi"]')
expect "the first W IMSI" 901289000000000 "$W"
expect "HSS create, OTA, HSS remove of Y" "hss-create:$W ota-slot:$W hss-remove:$Y" \
	"$(j '" ".join(e["do"]+":"+e["imsi"] for e in d["events"])')"
expect "the HSS gets W's keys wrapped" "$(q "$D" "SELECT hex(k_wrapped) FROM imsi WHERE imsi = '$W'")" \
	"$(j 'd["events"][0]["keys"]["k_wrapped"]')"
expect "OTA packets (ENVELOPEs of SMS-PP download)" yes \
	"$(j '"yes" if d["events"][1]["packets"] and all(s["envelope"].startswith("80C2") for p in d["events"][1]["packets"] for s in p["sms"]) else "no"')"
NPK=$(j 'len(d["events"][1]["packets"])')
expect "counters recorded before sending" "$NPK" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]]["1"])' "$T/counters.json" "$P")"
# the same packets as mimsi-compile + mimsi-ota build --set (the planner
# links their code): the plan with W's IMSI and sponsor at position 2,
# priced by W's own sheet, rebased on the card's set with seq + 1, then
# W's K/OPc into slot 2's key set
printf 'k3 = %s\nopc3 = %s\n' "$WK" "$WO" >"$T/slot.keys"
j '" ".join(p["command_packet"] for p in d["events"][1]["packets"])' >"$T/planner.pk"
OWN=$(q "$D" "SELECT i.imsi FROM imsi i JOIN embedding e ON e.imsi_id = i.id JOIN profile p ON p.id = e.profile_id WHERE p.iccid = '$P' AND e.position = 1 AND e.to_at IS NULL")
python3 - test-vectors/scenarios/stock/balkan-own-y.json "$OWN" "$W" "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["cfg"]["seq"])' <"$T/base.json")" >"$T/plan-w.json" <<'PY'
import json, sys
plan = json.load(open(sys.argv[1]))
plan["slots"][0]["imsi"], plan["slots"][1]["imsi"] = sys.argv[2], sys.argv[3]
plan["slots"][1]["sponsor"] = "Partner W"
plan["seq"] = int(sys.argv[4]) + 1
plan["ignore_sponsors"] = ["Partner Y"]
plan["preferences"] = [p for p in plan["preferences"] if p.get("sponsor") in (None, "Own", "Partner W")]
json.dump(plan, sys.stdout)
PY
"$BUILD/mimsi-compile" compile "$T/plan-w.json" $TV/balkan/rates-own.csv $TV/balkan/rates-partner-y.csv \
	$TV/world/rates-partner-w.csv --base "$BASE" -o "$T/set-w" >/dev/null 2>>"$T/all-stderr"
"$BUILD/mimsi-ota" build --set "$T/set-w" --base "$BASE" --slot 2 --slot-keys "$T/slot.keys" \
	--keys $OTAKEYS --kvn 1 --counter 1 --out packet >"$T/ota.pk" 2>>"$T/all-stderr"
expect "--keep-set: the set the packets carry is mimsi-compile's" "" \
	"$(for f in ef_cfg ef_slots ef_rules; do cmp -s "$T/kept/$f.bin" "$T/set-w/$f.bin" || echo "$f differs"; done)"
expect "mimsi-compile + mimsi-ota build --set make the same packets" "$(tr '\n' ' ' <"$T/ota.pk" | sed 's/ $//')" "$(cat "$T/planner.pk")"
expect "the swap carries W's rules: at 276-02 slot 2 (W) first, Own the last resort" "2 1" \
	"$("$BUILD/mimsi-compile" explain "$T/plan-w.json" $TV/balkan/rates-own.csv $TV/balkan/rates-partner-y.csv $TV/world/rates-partner-w.csv 276-02 --json 2>/dev/null | python3 -c 'import json,sys; print(" ".join(str(o["slot"]) for o in json.load(sys.stdin)["order"]))' 2>&1)"
expect "no K or OPc in clear anywhere" 0 "$(cat "$T/all-stdout" "$T/all-stderr" | grep -ci -e "$WK" -e "$WO")"
expect "W reserved, Y still embedded" "reserved embedded" \
	"$(q "$D" "SELECT (SELECT state FROM imsi WHERE imsi = '$W') || ' ' || (SELECT state FROM imsi WHERE imsi = '$Y')")"
expect "43 IMSIs" 43 "$(imsis)"
# a PoR that does not verify changes nothing; then the PoR in clear with 00
run "PoR garbage" 65 "$D" swap-por "$P" --position 2 --por 027100000B0A $OTA
expect "still reserved" reserved "$(q "$D" "SELECT state FROM imsi WHERE imsi = '$W'")"
POR_OK=027100000B0AB0002000000000010000
run "PoR 00" 0 "$D" --at 2026-01-12T09:02:00Z --json swap-por "$P" --position 2 --por $POR_OK
expect "committed: HSS removes Y now" "committed hss-remove:$Y" "$(j 'd["result"]+" "+" ".join(e["do"]+":"+e["imsi"] for e in d["events"])')"
expect "W embedded, Y on hold 90 days for the subscriber" "embedded|hold|2026-04-12|traveller" \
	"$(q "$D" "SELECT (SELECT state FROM imsi WHERE imsi = '$W'), state, date(hold_until, 'unixepoch'), hold_account FROM imsi WHERE imsi = '$Y'")"

# ---- Kosovo: back to the held Y -----------------------------------------------------------
ev 221-01 2026-01-14T09:00:00Z
run "Kosovo" 0 "$D" --json plan-swap "$T/ev.json" $OTA $K
expect "Kosovo: replace W 0.644 by the held Y 0.60" "replace 0.644 $Y 0.60 True" \
	"$(j 'd["decision"]+" "+d["price_now"]+" "+d["new"]["imsi"]+" "+d["new"]["price"]+" "+str(d["new"]["from_hold"])')"
run "PoR 00" 0 "$D" --at 2026-01-14T09:02:00Z swap-por "$P" --position 2 --por $POR_OK
expect "Y embedded again, W on hold" "embedded hold" \
	"$(q "$D" "SELECT (SELECT state FROM imsi WHERE imsi = '$Y') || ' ' || (SELECT state FROM imsi WHERE imsi = '$W')")"
run "show" 0 "$D" --json show "$P"
expect "profile own + Y" "262019000000000 $Y" "$(j '" ".join(x["imsi"] for x in d["imsis"])')"

# ---- a short visit, a lost PoR and its timeout ------------------------------------------------
ev 276-02 2026-01-15T09:00:00Z ', "stay_hours": 3'
run "Albania for 3 hours" 0 "$D" --json plan-swap "$T/ev.json"
expect "short visit: keep" "keep short-visit" "$(j 'd["decision"]+" "+d["reason"]')"
ev 276-02 2026-01-16T09:00:00Z
run "Albania again" 0 "$D" --json --ota-cost 1.00 plan-swap "$T/ev.json"
expect "an OTA dearer than the saving: keep" "keep not-worth-it" "$(j 'd["decision"]+" "+d["reason"]')"
run "Albania again" 0 "$D" --json plan-swap "$T/ev.json"
W2=$(j 'd["new"]["imsi"]')
expect "the held W comes back" "$W" "$W2"
run "no PoR: timeout" 0 "$D" --at 2026-01-16T10:00:00Z --json swap-timeout "$P" --position 2
expect "released: old IMSI rewritten, then W leaves the HSS" "released ota-slot:$Y hss-remove:$W" \
	"$(j 'd["result"]+" "+" ".join(e["do"]+":"+e["imsi"] for e in d["events"])')"
expect "W back on hold for the subscriber, Y embedded" "hold|traveller|embedded" \
	"$(q "$D" "SELECT state, hold_account, (SELECT state FROM imsi WHERE imsi = '$Y') FROM imsi WHERE imsi = '$W'")"
run "late PoR refused" 77 "$D" --at 2026-01-16T10:05:00Z swap-por "$P" --position 2 --por $POR_OK
expect "43 IMSIs" 43 "$(imsis)"

# ---- the W pool runs empty: alert, the static sponsors keep the device online ----------------
q "$D" "UPDATE imsi SET state = 'eol', hold_until = NULL, hold_account = NULL WHERE imsi LIKE '90128%' AND state IN ('available', 'hold')"
run "Albania, W empty" 0 "$D" --json plan-swap "$T/ev.json"
expect "keep, pool-empty alert on dynamic W" "keep pool-empty dynamic W" \
	"$(j 'd["decision"]+" "+d["reason"]+" "+d["alerts"][0]["ipool"]')"
expect "Y still embedded" embedded "$(q "$D" "SELECT state FROM imsi WHERE imsi = '$Y'")"
run "threshold" 0 "$D" threshold sponsor "Partner W" --imsis 1
run "stock alert: exit 1" 1 "$D" --at 2026-01-16T10:00:00Z stock
expect "the alert names Partner W" 1 "$(grep -c "sponsor .Partner W.: imsis_dynamic_available 0 below the threshold 1" "$T/out")"

# ---- bad input: clear errors, nothing changed ------------------------------------------------
echo '{"iccid": "'"$P"'"}' >"$T/bad.json"
run "no plmn" 65 "$D" plan-swap "$T/bad.json"
expect "named" 1 "$(grep -c '"plmn" must be "MCC-MNC"' "$T/err")"
echo '{"iccid": ' >"$T/bad.json"
run "not JSON" 65 "$D" plan-swap "$T/bad.json"
expect "file:line:column" 1 "$(grep -c "bad.json:[0-9]*:[0-9]*: " "$T/err")"
run "--kvn without --ota-keys" 64 "$D" plan-swap "$T/ev.json" --kvn 1
expect "integrity" ok "$(q "$D" "PRAGMA integrity_check")"
finish stock_planner
