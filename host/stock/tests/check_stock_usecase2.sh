#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Replay of use case 2 ("dynamic" model): 10,000 IMSIs of Partner Y and
# 2,000 of Partner W, profile pools (2.1), dynamic IMSI pools (2.2),
# onboarding (2.3), the OTA swaps of 2.5 with the 90-day hold and the
# same-subscriber preference, the stock figures of 2.6 and recycling (2.8).
. host/stock/tests/stock-lib.sh
D="$T/uc2.db"
OUT="$T/files"
mkdir -p "$OUT"
Y="Own+Y for Balkan Traveller"
W="Own+W for World/Japan Traveller"
PB="Balkan Traveller 10-Day Pass"
PW="World Traveller 30-Day Pass"
PJ="Japan Traveller 10-Day Pass"
K="--key-file $KEY --key-label $LABEL"
A="--at 2026-01-01"

run "init" 0 "$D" init
run "sponsor Own" 0 "$D" $A sponsor add Own --plmn 262-01
run "sponsor Y" 0 "$D" $A sponsor add "Partner Y" --plmn 213-55
run "sponsor W" 0 "$D" $A sponsor add "Partner W" --plmn 901-28
run "batch Own" 0 "$D" $A batch import 11000-Own --sponsor Own --range 262019000000000-262019000010999
run "batch Y" 0 "$D" $A batch import 10000-Y --sponsor "Partner Y" --range 213559000000000-213559000009999
run "batch W" 0 "$D" $A batch import 2000-W --sponsor "Partner W" --range 901289000000000-901289000001999
run "hold 262" 0 "$D" $A hold set 262 365
run "hold 213" 0 "$D" $A hold set 213 90
run "hold 901" 0 "$D" $A hold set 901 90
for p in "$PB" "$PW" "$PJ"; do run "product $p" 0 "$D" $A product add "$p"; done

# ---- 2.1 profile pools -------------------------------------------------------
run "pool Y" 0 "$D" $A pool create "$Y" --iccid-range 8949102620200000000-8949102620200099999 \
	--plan test-vectors/scenarios/stock/balkan-own-y.json --rates $TV/balkan/rates-own.csv \
	--rates $TV/balkan/rates-partner-y.csv
run "pool W" 0 "$D" $A pool create "$W" --iccid-range 8949102620300000000-8949102620300099999 \
	--plan $TV/world/plan.json --rates $TV/world/rates-own.csv --rates $TV/world/rates-partner-w.csv
run "Y for Balkan, first" 0 "$D" pool link "$Y" "$PB" --priority 10
run "W for Balkan, second" 0 "$D" pool link "$W" "$PB" --priority 1
run "W for World" 0 "$D" pool link "$W" "$PW"
run "W for Japan" 0 "$D" pool link "$W" "$PJ"
run "generate 10000 Own+Y" 0 "$D" $A generate --pool "$Y" --batch 11000-Own --batch 10000-Y \
	--count 10000 --out "$OUT" $K
run "generate 1000 Own+W" 0 "$D" $A generate --pool "$W" --batch 11000-Own --batch 2000-W \
	--count 1000 --out "$OUT" $K
expect "profiles" 11000 "$(q "$D" "SELECT count(*) FROM profile WHERE state = 'available'")"
run "rules need the plan's sponsors" 65 "$D" $A generate --pool "$W" --batch 11000-Own \
	--batch 10000-Y --count 1 --out "$OUT" $K
expect "the mismatch named" 1 "$(grep -c "slot 2 is sponsor 'Partner W', the batch for position 2 is of sponsor 'Partner Y'" "$T/err")"

# ---- 2.2 dynamic IMSI pools ---------------------------------------------------------
run "ipool Y" 0 "$D" $A ipool create "dynamic Y"
run "ipool Y Balkan" 0 "$D" ipool link "dynamic Y" "$PB"
run "allocate 10000 Y" 0 "$D" $A --json ipool add "dynamic Y" --batch 10000-Y
expect "10000 Y in the pool, 0 not yet embedded" "10000 0" "$(j 'str(d["added"])+" "+str(d["not_yet_embedded"])')"
run "ipool W" 0 "$D" $A ipool create "dynamic W"
run "ipool W Balkan" 0 "$D" ipool link "dynamic W" "$PB"
run "ipool W World" 0 "$D" ipool link "dynamic W" "$PW"
run "allocate 2000 W" 0 "$D" $A --json ipool add "dynamic W" --batch 2000-W
expect "2000 W in the pool, 1000 not yet embedded" "2000 1000" "$(j 'str(d["added"])+" "+str(d["not_yet_embedded"])')"

# ---- 2.3 onboarding ------------------------------------------------------------------
run "onboarding" 0 "$D" --at 2026-01-10 --json assign transfer-driver --product "$PB"
P=$(j 'd["iccid"]')
expect "a Partner Y profile (pool priority)" 894910262020000000 "$(echo "$P" | cut -c1-18)"
YIMSI=$(q "$D" "SELECT i.imsi FROM imsi i JOIN embedding e ON e.imsi_id = i.id JOIN profile p ON p.id = e.profile_id WHERE p.iccid = '$P' AND e.position = 2")
expect "its Y IMSI" 213559000000000 "$YIMSI"

# ---- 2.5 Albania: OTA swap to a Partner W IMSI ------------------------------------------
run "reserve W" 0 "$D" --at 2026-01-12 --json reserve "$P" --position 2 --ipool "dynamic W"
WIMSI=$(j 'd["reserved"]')
expect "a not yet embedded W IMSI" 901289000001000 "$WIMSI"
expect "reserved state" reserved "$(q "$D" "SELECT state FROM imsi WHERE imsi = '$WIMSI'")"
run "PoR: commit" 0 "$D" --at 2026-01-12 commit "$P" --position 2
expect "W embedded" embedded "$(q "$D" "SELECT state FROM imsi WHERE imsi = '$WIMSI'")"
expect "Y on hold 90 days for the subscriber" "hold|2026-04-12|transfer-driver" \
	"$(q "$D" "SELECT state, date(hold_until, 'unixepoch'), hold_account FROM imsi WHERE imsi = '$YIMSI'")"
run "show" 0 "$D" --json show "$P"
expect "profile now own + W" "262019000000000 901289000001000" "$(j '" ".join(x["imsi"] for x in d["imsis"])')"
# an OTA swap that fails: the reservation is undone
run "reserve again" 0 "$D" --at 2026-01-13 --json reserve "$P" --position 2 --ipool "dynamic W"
R2=$(j 'd["reserved"]')
run "release" 0 "$D" --at 2026-01-13 release "$P" --position 2
expect "released IMSI available" available "$(q "$D" "SELECT state FROM imsi WHERE imsi = '$R2'")"
run "commit without reservation refused" 77 "$D" --at 2026-01-13 commit "$P" --position 2

# ---- 2.5 Kosovo: back to Partner Y, the IMSI on hold for the same subscriber -------------
run "embed Y" 0 "$D" --at 2026-01-14 --json embed "$P" --position 2 --ipool "dynamic Y"
expect "the held IMSI comes back" "$YIMSI" "$(j 'd["embedded"]')"
expect "Y embedded, not on hold" "embedded|" "$(q "$D" "SELECT state, hold_until FROM imsi WHERE imsi = '$YIMSI'")"
expect "W on hold 90 days" "hold|2026-04-14" "$(q "$D" "SELECT state, date(hold_until, 'unixepoch') FROM imsi WHERE imsi = '$WIMSI'")"

# ---- 2.6 stock levels --------------------------------------------------------------------
sp() { j '[s["'"$2"'"] for s in d["sponsors"] if s["sponsor"]=="'"$1"'"][0]'; }
pr() { j '[s["'"$2"'"] for s in d["products"] if s["product"]=="'"$1"'"][0]'; }
run "stock 2.6" 0 "$D" --at 2026-01-15 --json stock
expect "9999 profiles using Partner Y" 9999 "$(sp "Partner Y" profiles_available)"
expect "0 Partner Y IMSIs for dynamic embedding" 0 "$(sp "Partner Y" imsis_dynamic_available)"
expect "1000 profiles using Partner W" 1000 "$(sp "Partner W" profiles_available)"
expect "999 Partner W IMSIs for dynamic embedding" 999 "$(sp "Partner W" imsis_dynamic_available)"
expect "Balkan: 10999 profiles" 10999 "$(pr "$PB" profiles_available)"
expect "Balkan: 999 IMSIs" 999 "$(pr "$PB" imsis_dynamic_available)"
expect "World: 1000 profiles" 1000 "$(pr "$PW" profiles_available)"
expect "World: 999 IMSIs" 999 "$(pr "$PW" imsis_dynamic_available)"
run "threshold" 0 "$D" --at 2026-01-15 threshold product "$PB" --imsis 1000
run "alert: exit 1" 1 "$D" --at 2026-01-15 stock
expect "alert in the text report" 1 "$(grep -c "product 'Balkan Traveller 10-Day Pass': imsis_dynamic_available 999 below the threshold 1000" "$T/out")"

# ---- 2.8 recycling: the held W IMSI returns to its pool -----------------------------------
run "stock on 2026-04-13" 1 "$D" --at 2026-04-13 --json stock
expect "W still on hold" 999 "$(sp "Partner W" imsis_dynamic_available)"
run "stock on 2026-04-14" 0 "$D" --at 2026-04-14 --json stock
expect "W back in dynamic W" 1000 "$(sp "Partner W" imsis_dynamic_available)"
expect "W available" available "$(q "$D" "SELECT state FROM imsi WHERE imsi = '$WIMSI'")"
run "audit W IMSI" 0 "$D" --at 2026-01-13 --json audit "$WIMSI"
expect "who had the W IMSI in Albania" "transfer-driver $P 2026-01-12T00:00:00Z 2026-01-14T00:00:00Z" \
	"$(j '" ".join(d["holders"][0][k] for k in ("account","iccid","from","to"))')"
expect "integrity" ok "$(q "$D" "PRAGMA integrity_check")"
finish stock_usecase_dynamic
