#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Replay of use case 1 ("static" model) of the PortaBilling multi-IMSI eSIM
# spec with its numbers: 1,000 IMSIs of Partner X, 10,000 of Partner Y,
# holds 365 days (262) and 180 days (213), stock 999 / 10000, recycling,
# end of life (1.11, on a copy of the database) and the audit (1.12).
. host/stock/tests/stock-lib.sh
D="$T/uc1.db"
OUT="$T/files"
mkdir -p "$OUT"
X="Own+X for EU Neighbour - Andorra"
Y="Own+Y for Balkan Traveller"
P30="EU Neighbour - Andorra 30-Day Pass"
P7="EU Neighbour - Andorra 7-Day Pass"
PB="Balkan Traveller 10-Day Pass"
K="--key-file $KEY --key-label $LABEL"

# ---- 1.1 eSIM profile generation ------------------------------------------
run "init" 0 "$D" init
run "sponsor Own" 0 "$D" --at 2025-12-23 sponsor add Own --plmn 262-01
run "sponsor X" 0 "$D" --at 2025-12-23 sponsor add "Partner X" --plmn 213-77 --plmn 213-78
run "sponsor Y" 0 "$D" --at 2025-12-23 sponsor add "Partner Y" --plmn 213-55
run "batch Own" 0 "$D" --at 2025-12-23 batch import 1000-Own-2025-12-23 --sponsor Own \
	--range 262019000000000-262019000000999
run "batch X" 0 "$D" --at 2025-12-23 batch import 1000-X-2025-12-23 --sponsor "Partner X" \
	--range 213779000000000-213779000000999 --json
expect "batch X count" 1000 "$(j 'd["imsis"]')"
run "batch Own for Y" 0 "$D" --at 2025-12-23 batch import 10000-Own-2025-12-23 --sponsor Own \
	--range 262019100000000-262019100009999
run "batch Y" 0 "$D" --at 2025-12-23 batch import 10000-Y-2025-12-23 --sponsor "Partner Y" \
	--range 213559000000000-213559000009999
# bad input: nothing changes, the message names what and where
run "overlap refused" 65 "$D" --at 2025-12-23 batch import dup --sponsor "Partner X" \
	--range 213779000000990-213779000001010
expect "overlap message" "1" "$(grep -c "IMSI 213779000000990 is already in batch '1000-X-2025-12-23'" "$T/err")"
run "wrong PLMN refused" 65 "$D" --at 2025-12-23 batch import wrong --sponsor "Partner X" \
	--range 213559100000000-213559100000009
printf 'imsi\n213779100000000\n21377910000000x\n' > "$T/bad.csv"
run "bad CSV refused" 65 "$D" --at 2025-12-23 batch import badcsv --sponsor "Partner X" --csv "$T/bad.csv"
expect "bad CSV place" "1" "$(grep -c "bad.csv:3:1: IMSI must be 6 to 15 digits" "$T/err")"
expect "refused imports left nothing" 22000 "$(q "$D" "SELECT count(*) FROM imsi")"
expect "refused imports left no batch" 4 "$(q "$D" "SELECT count(*) FROM batch")"
run "hold 262" 0 "$D" --at 2025-12-23 hold set 262 365
run "hold 213" 0 "$D" --at 2025-12-23 hold set 213 180
# the bundles' rate codes (1.1: "limited scope of product-covered E212 rate codes")
run "product 30-Day" 0 "$D" --at 2025-12-23 product add "$P30" \
	--coverage E212-262-01,E212-213-77,E212-213-78
run "product 7-Day" 0 "$D" --at 2025-12-23 product add "$P7" \
	--coverage E212-262-01,E212-213-77,E212-213-78,E212-208
run "product Balkan" 0 "$D" --at 2025-12-23 product add "$PB"
run "bad coverage refused" 65 "$D" --at 2025-12-23 product add bad --coverage E212-26
expect "bad coverage named" 1 "$(grep -c "'E212-26' is not an E212 rate code" "$T/err")"
run "pool X" 0 "$D" --at 2025-12-23 pool create "$X" \
	--iccid-range 8949102620100001234-8949102620100099999 \
	--plan $TV/andorra/plan.json --rates $TV/andorra/rates-own.csv --rates $TV/andorra/rates-partner-x.csv
run "pool X 30" 0 "$D" pool link "$X" "$P30"
run "pool X 7" 0 "$D" pool link "$X" "$P7"
run "pool Y" 0 "$D" --at 2025-12-23 pool create "$Y" \
	--iccid-range 8949102620200000000-8949102620200099999 \
	--plan test-vectors/scenarios/stock/balkan-own-y.json --rates $TV/balkan/rates-own.csv \
	--rates $TV/balkan/rates-partner-y.csv
run "pool Y Balkan" 0 "$D" pool link "$Y" "$PB"
run "generate X" 0 "$D" --at 2025-12-23 --json generate --pool "$X" --batch 1000-Own-2025-12-23 \
	--batch 1000-X-2025-12-23 --count 1000 --out "$OUT" $K --cards
SMDP=$(j 'd["smdp_input"]')
PERSO=$(j 'd["personalisation"]')
RULES=$(j 'd["rules_dir"]')
expect "first ICCID" 89491026201000012343 "$(j 'd["iccid_first"]')"
expect "1000 rows of ICCID/IMSI1/IMSI2" 1000 "$(grep -c '^[0-9]*/26201[0-9]*/21377[0-9]*$' "$SMDP")"
expect "header" "ICCID/IMSI1/IMSI2" "$(grep -v '^#' "$SMDP" | head -n 1)"
# every ICCID: E.118 Luhn digit, unique, and the rows are the database's
python3 - "$SMDP" "$D" >"$T/py" 2>&1 <<'PY'
import sqlite3, sys
def luhn_ok(s):
    t = 0
    for i, ch in enumerate(reversed(s)):
        v = int(ch) * (2 if i % 2 else 1)
        t += v - 9 if v > 9 else v
    return t % 10 == 0
rows = [l.strip().split("/") for l in open(sys.argv[1]) if l[0].isdigit()]
db = sqlite3.connect(sys.argv[2])
dbrows = {r[0]: r[1:] for r in db.execute(
    "SELECT p.iccid, (SELECT group_concat(imsi, '/') FROM (SELECT i.imsi FROM embedding e JOIN imsi i "
    "ON i.id = e.imsi_id WHERE e.profile_id = p.id ORDER BY e.position)) FROM profile p "
    "WHERE p.generation_id = 1")}
bad = [r[0] for r in rows if not luhn_ok(r[0])]
print("luhn", len(bad), "unique", len(set(r[0] for r in rows)) == len(rows),
      "imsis unique", len(set(x for r in rows for x in r[1:])) == 2 * len(rows),
      "match", all(dbrows.get(r[0]) == ("/".join(r[1:]),) for r in rows))
PY
expect "SM-DP+ file checks" "luhn 0 unique True imsis unique True match True" "$(cat "$T/py")"
expect "rule set in the SM-DP+ file" 3 "$(grep -c '^#ef_\(cfg\|slots\|rules\): 4D49' "$SMDP")"
"$MIMSI_COMPILE" decompile "$RULES" >"$T/dec" 2>&1
expect "rules: 213-* prefers IMSI2 (Partner X)" 1 "$(grep -c 'rule 213-\*   -> profile 1' "$T/dec")"
expect "rules: 213-77 then 213-78 in slot 2" 1 "$(grep -c 'OPLMNwACT (2): 213-77/EUG 213-78/EUG' "$T/dec")"
# the plan covers Spain too; the pool's products do not: slot 1 forbids it
expect "rules: the products' coverage (no 214)" 1 \
	"$(grep -c 'OPLMNwACT (6): 208-01/EUG 208-10/EUG 208-20/EUG 213-77/EUG 213-78/EUG 262-01/EUG' "$T/dec")"
expect "rules: 214 forbidden" 1 "$(grep -c 'FPLMN (3): 214-01 214-03 214-07' "$T/dec")"
# the keys decrypt with the transport key (RFC 3394, openssl enc -id-aes256-wrap)
KI=$(sed -n 2p "$PERSO" | cut -d, -f10)
expect "Ki wrapped: 24 bytes" 48 "${#KI}"
PLAIN=$(echo "$KI" | xxd -r -p | openssl enc -d -id-aes256-wrap -K "$(cat "$KEY")" \
	-iv A6A6A6A6A6A6A6A6 2>/dev/null | od -An -tx1 | tr -d ' \n')
expect "Ki unwraps to 16 bytes" 32 "${#PLAIN}"
expect "perso and cards are private" "-rw-------" "$(ls -l "$PERSO" | cut -c1-10)"
run "generate Y" 0 "$D" --at 2025-12-23 generate --pool "$Y" --batch 10000-Own-2025-12-23 \
	--batch 10000-Y-2025-12-23 --count 10000 --out "$OUT" $K
expect "Y profiles" 10000 "$(q "$D" "SELECT count(*) FROM profile WHERE pool_id = 2")"

# ---- 1.2 onboarding ---------------------------------------------------------
run "assign truck driver" 0 "$D" --at 2026-01-05 --json assign truck-driver --product "$P30"
ICCID=$(j 'd["iccid"]')
expect "truck driver's ICCID" 89491026201000012343 "$ICCID"
run "show" 0 "$D" --json show "$ICCID"
expect "key label" "$LABEL" "$(j 'd["transport_key_label"]')"
expect "IMSI 1 own" "262019000000000 Own" "$(j 'd["imsis"][0]["imsi"]+" "+d["imsis"][0]["sponsor"]')"
expect "IMSI 2 Partner X" "213779000000000 Partner X" "$(j 'd["imsis"][1]["imsi"]+" "+d["imsis"][1]["sponsor"]')"
expect "show: wrapped keys only" 48 "$(j 'len(d["ki_wrapped"])')"

# ---- 1.5 stock levels -------------------------------------------------------
run "stock 1.5" 0 "$D" --at 2026-01-06 --json stock
expect "999 profiles using Partner X" 999 "$(j '[s["profiles_available"] for s in d["sponsors"] if s["sponsor"]=="Partner X"][0]')"
expect "10000 profiles using Partner Y" 10000 "$(j '[s["profiles_available"] for s in d["sponsors"] if s["sponsor"]=="Partner Y"][0]')"
expect "999 for 7-Day" 999 "$(j '[s["profiles_available"] for s in d["products"] if s["product"]=="'"$P7"'"][0]')"
expect "999 for 30-Day" 999 "$(j '[s["profiles_available"] for s in d["products"] if s["product"]=="'"$P30"'"][0]')"
expect "10000 for Balkan" 10000 "$(j '[s["profiles_available"] for s in d["products"] if s["product"]=="'"$PB"'"][0]')"
run "threshold" 0 "$D" --at 2026-01-06 threshold product "$P30" --profiles 1000
run "stock alert: exit 1" 1 "$D" --at 2026-01-06 --json stock
expect "the alert" "$P30 profiles_available 999 1000" "$(j '" ".join(str(d["alerts"][0][k]) for k in ("name","figure","value","threshold"))')"

# ---- 1.7 bundle change to Balkan: eSIM swap (another driver) ----------------
run "assign driver-7" 0 "$D" --at 2026-01-10 --json assign driver-7 --product "$P7"
D7_OLD=$(j 'd["iccid"]')
# ---- 1.6 refill: Partner X provides 1000 more (a CSV with its K/OPc) --------
python3 -c "
print('imsi,k,opc')
for i in range(1000): print('2137791%08d,%032X,%032X' % (i, 0xC0FFEE00 + i, 0xBADC0DE00 + i))" > "$T/x2.csv"
run "batch X2 CSV" 0 "$D" --at 2026-02-05 batch import 1000-X-2026-02-05 --sponsor "Partner X" \
	--csv "$T/x2.csv" $K
run "batch Own2" 0 "$D" --at 2026-02-05 batch import 1000-Own-2026-02-05 --sponsor Own \
	--range 262019200000000-262019200000999
run "refill X" 0 "$D" --at 2026-02-05 --json generate --pool "$X" --batch 1000-Own-2026-02-05 \
	--batch 1000-X-2026-02-05 --count 1000 --out "$OUT" $K
PERSO2=$(j 'd["personalisation"]')
K2=$(sed -n 2p "$PERSO2" | cut -d, -f12)
SK=$(echo "$K2" | xxd -r -p | openssl enc -d -id-aes256-wrap -K "$(cat "$KEY")" \
	-iv A6A6A6A6A6A6A6A6 2>/dev/null | od -An -tx1 | tr -d ' \n')
expect "sponsor K of IMSI2 exported wrapped, unwraps to the CSV's" 000000000000000000000000c0ffee00 "$SK"
run "stock after refill" 0 "$D" --at 2026-02-05 --json stock
# 999 + 1000, less the 7-Day profile driver-7 took from the same pool
expect "1998 for 30-Day" 1998 "$(j '[s["profiles_available"] for s in d["products"] if s["product"]=="'"$P30"'"][0]')"
run "swap driver-7 to Balkan" 0 "$D" --at 2026-02-10 --json swap driver-7 --product "$PB"
expect "new profile from Own+Y" 894910262020000000 "$(j 'd["iccid"][:18]')"
expect "old profile disposed" disposed "$(q "$D" "SELECT state FROM profile WHERE iccid = '$D7_OLD'")"
expect "old IMSIs on hold, 180 days (213) and 365 (262)" "2026-08-09|2027-02-10" \
	"$(q "$D" "SELECT group_concat(date(hold_until, 'unixepoch'), '|') FROM (SELECT i.hold_until FROM imsi i JOIN embedding e ON e.imsi_id = i.id JOIN profile p ON p.id = e.profile_id WHERE p.iccid = '$D7_OLD' ORDER BY i.mcc)")"

# ---- 1.8 grace period: still assigned on March 1 ------------------------------
expect "1.8 assigned in grace" assigned "$(q "$D" "SELECT state FROM profile WHERE iccid = '$ICCID'")"
sqlite3 "$D" ".backup '$T/uc1-before-closure.db'"

# ---- 1.9 account closure on April 30 -------------------------------------------
run "dispose" 0 "$D" --at 2026-04-30 dispose "$ICCID"
expect "disposed" disposed "$(q "$D" "SELECT state FROM profile WHERE iccid = '$ICCID'")"
expect "IMSI 1 hold 365 days" "hold|2027-04-30" "$(q "$D" "SELECT state, date(hold_until, 'unixepoch') FROM imsi WHERE imsi = '262019000000000'")"
expect "IMSI 2 hold 180 days" "hold|2026-10-27" "$(q "$D" "SELECT state, date(hold_until, 'unixepoch') FROM imsi WHERE imsi = '213779000000000'")"
run "a disposed eSIM is never reused" 77 "$D" --at 2026-05-01 assign someone --iccid "$ICCID"

# ---- 1.6 three months later: Partner A, 10,000 IMSIs, a new pool first in line --------
A="Own+A for EU Neighbour - Andorra"
run "sponsor A" 0 "$D" --at 2026-05-05 sponsor add "Partner A" --plmn 213-03
run "batch A" 0 "$D" --at 2026-05-05 batch import 10000-A-2026-05-05 --sponsor "Partner A" \
	--range 213039000000000-213039000009999
run "batch Own for A" 0 "$D" --at 2026-05-05 batch import 10000-Own-2026-05-05 --sponsor Own \
	--range 262019400000000-262019400009999
run "pool A" 0 "$D" --at 2026-05-05 pool create "$A" --iccid-range 8949102620400000000-8949102620400099999
run "generate A" 0 "$D" --at 2026-05-05 generate --pool "$A" --batch 10000-Own-2026-05-05 \
	--batch 10000-A-2026-05-05 --count 10000 --out "$OUT" $K
expect "a pool without a plan: no rules" 1 "$(grep -c '^#rules: none' "$OUT"/gen-000004-smdp.txt)"
run "A high priority" 0 "$D" --at 2026-05-05 pool link "$A" "$P30" --priority 10
run "X low priority" 0 "$D" --at 2026-05-05 pool link "$X" "$P30" --priority 1
run "onboarding after 1.6" 0 "$D" --at 2026-05-06 --json assign driver-a --product "$P30"
expect "from Own+A, the high-priority pool" 894910262040000000 "$(j 'd["iccid"][:18]')"
run "7-Day still from Own+X" 0 "$D" --at 2026-05-06 --json assign driver-b --product "$P7"
expect "from Own+X" 894910262010000 "$(j 'd["iccid"][:15]')"
run "stock after 1.6" 0 "$D" --at 2026-05-06 --json stock
expect "30-Day: Own+X 1997 + Own+A 9999" 11996 "$(j '[s["profiles_available"] for s in d["products"] if s["product"]=="'"$P30"'"][0]')"
expect "9999 profiles using Partner A" 9999 "$(j '[s["profiles_available"] for s in d["sponsors"] if s["sponsor"]=="Partner A"][0]')"

# ---- 1.10 recycling -------------------------------------------------------------
run "recycle before the end" 0 "$D" --at 2026-10-26 --json recycle
expect "IMSI 2 still on hold on 2026-10-26" hold "$(q "$D" "SELECT state FROM imsi WHERE imsi = '213779000000000'")"
run "recycle after 180 days" 0 "$D" --at 2026-10-27 recycle
expect "IMSI 2 available, since the end of its hold" "available|2026-10-27" "$(q "$D" "SELECT state, date(since, 'unixepoch') FROM imsi WHERE imsi = '213779000000000'")"
expect "IMSI 1 still on hold" hold "$(q "$D" "SELECT state FROM imsi WHERE imsi = '262019000000000'")"
run "batch Own3" 0 "$D" --at 2026-11-01 batch import 100-Own-2026-11-01 --sponsor Own \
	--range 262019300000000-262019300000099
run "refill with recycled IMSIs" 0 "$D" --at 2026-11-01 generate --pool "$X" \
	--batch 100-Own-2026-11-01 --batch 1000-X-2025-12-23 --count 2 --out "$OUT" $K
run "assign new user" 0 "$D" --at 2026-11-05 --json assign new-user --iccid \
	"$(q "$D" "SELECT p.iccid FROM profile p JOIN embedding e ON e.profile_id = p.id JOIN imsi i ON i.id = e.imsi_id WHERE i.imsi = '213779000000000' AND e.to_at IS NULL")"
expect "IMSI 2 reassigned" embedded "$(q "$D" "SELECT state FROM imsi WHERE imsi = '213779000000000'")"
NEW_ICCID=$(j 'd["iccid"]')

# ---- 1.12 history audit -----------------------------------------------------------
run "audit March" 0 "$D" --at 2026-03-15 --json audit 213779000000000
expect "who had IMSI 2 in March" "truck-driver $ICCID 2026-01-05T00:00:00Z 2026-04-30T00:00:00Z" \
	"$(j '" ".join(d["holders"][0][k] for k in ("account","iccid","from","to"))')"
run "audit own IMSI" 0 "$D" --at 2026-03-15T12:00:00Z --json audit 262019000000000
expect "who had IMSI 1 in March" "truck-driver $ICCID" "$(j 'd["holders"][0]["account"]+" "+d["holders"][0]["iccid"]')"
run "audit on hold" 0 "$D" --at 2026-06-01 --json audit 213779000000000
expect "nobody during the hold" 0 "$(j 'len(d["holders"])')"
run "audit after recycling" 0 "$D" --at 2026-11-10 --json audit 213779000000000
expect "the new holder" "new-user $NEW_ICCID 2026-11-05T00:00:00Z" "$(j '" ".join(d["holders"][0][k] for k in ("account","iccid","from"))')"
run "audit history" 0 "$D" --json audit 213779000000000 --history
expect "two holders in the history" "truck-driver new-user" "$(j '" ".join(str(h["account"]) for h in d["history"] if h["account"])')"
run "recycle IMSI 1 after 365 days" 0 "$D" --at 2027-04-30 recycle
expect "IMSI 1 available" available "$(q "$D" "SELECT state FROM imsi WHERE imsi = '262019000000000'")"
run "time order enforced" 77 "$D" --at 2026-01-01 dispose "$NEW_ICCID"

# ---- 1.11 end of life (the alternative, on the copy made before April 30) ----------
E="$T/uc1-before-closure.db"
run "cancel X batch" 0 "$E" --at 2026-04-01 --json batch cancel 1000-X-2025-12-23
expect "no unused IMSI left to end now" 0 "$(j 'd["end_of_life_now"]')"
run "closure" 0 "$E" --at 2026-04-30 dispose "$ICCID"
run "after 180 days" 0 "$E" --at 2026-10-27 recycle
expect "IMSI 2 at end of life, not recycled" eol "$(q "$E" "SELECT state FROM imsi WHERE imsi = '213779000000000'")"
expect "IMSI 1 follows its own batch (recycle)" hold "$(q "$E" "SELECT state FROM imsi WHERE imsi = '262019000000000'")"
run "remove refused while IMSIs are in use" 77 "$E" --at 2026-10-27 batch remove 1000-X-2025-12-23
# the rest of the batch: profiles in stock disposed, holds run out
q "$E" "SELECT p.iccid FROM profile p WHERE p.generation_id = 1 AND p.state <> 'disposed'" > "$T/rest"
run "dispose the rest" 0 "$E" --at 2026-10-28 dispose $(cat "$T/rest")
run "remove still refused during the hold" 77 "$E" --at 2026-10-28 batch remove 1000-X-2025-12-23
run "remove after every hold" 0 "$E" --at 2027-04-26 batch remove 1000-X-2025-12-23
expect "all removed" "1000" "$(q "$E" "SELECT count(*) FROM imsi i JOIN batch b ON b.id = i.batch_id WHERE b.name = '1000-X-2025-12-23' AND i.state = 'removed'")"
run "audit after removal" 0 "$E" --at 2026-03-15 --json audit 213779000000000
expect "the audit still answers" truck-driver "$(j 'd["holders"][0]["account"]')"
expect "integrity" ok "$(q "$D" "PRAGMA integrity_check")"
expect "foreign keys" "" "$(q "$D" "PRAGMA foreign_key_check")"
finish stock_usecase_static
