#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The cards CSV and rules directory of a generation program a card with
# mimsi-card batch: a simulated card carrying the generated ICCID and ADM1
# (TS 102 221 §13.2 EF_ICCID, BCD with swapped nibbles) gets the rule set and
# the profile's IMSIs in its slots.
. host/stock/tests/stock-lib.sh
D="$T/cards.db"
OUT="$T/files"
mkdir -p "$OUT"
A="--at 2026-01-01"
run "init" 0 "$D" init
run "sponsor Own" 0 "$D" $A sponsor add Own --plmn 262-01
run "sponsor X" 0 "$D" $A sponsor add "Partner X" --plmn 213-77 --plmn 213-78
run "batch Own" 0 "$D" $A batch import own --sponsor Own --range 262019000000000-262019000000009
run "batch X" 0 "$D" $A batch import x --sponsor "Partner X" --range 213779000000000-213779000000009
run "pool" 0 "$D" $A pool create p --iccid-range 8949102620100001234-8949102620100009999 \
	--plan $TV/andorra/plan.json --rates $TV/andorra/rates-own.csv --rates $TV/andorra/rates-partner-x.csv
run "generate" 0 "$D" $A --json generate --pool p --batch own --batch x --count 2 --out "$OUT" \
	--key-file "$KEY" --key-label $LABEL --cards
CARDS=$(j 'd["cards_csv"]')
RULES=$(j 'd["rules_dir"]')
ROW=$(sed -n 3p "$CARDS")
ICCID=$(echo "$ROW" | cut -d, -f1)
ADM=$(echo "$ROW" | cut -d, -f2)
"$BUILD/mimsi-sim" image -o "$T/card.json" >/dev/null 2>&1
python3 - "$T/card.json" "$ICCID" "$ADM" <<'PY'
import json, sys
path, iccid, adm = sys.argv[1:]
d = json.load(open(path))
digits = iccid + "F" * (20 - len(iccid))
d["files"] = [dict(f, content="".join(digits[i + 1] + digits[i] for i in range(0, 20, 2)))
              if f["path"] == "3F00/2FE2" else f for f in d["files"]]
d["pins"] = [dict(p, value=adm) if p["ref"] == "0A" else p for p in d["pins"]]
json.dump(d, open(path, "w"), indent=1)
PY
"$BUILD/mimsi-card" -r "sim:$T/card.json" batch "$CARDS" --dir "$RULES" --timeout 2 --max 1 \
	--log "$T/batch.log" >"$T/out" 2>"$T/err"
expect "mimsi-card batch took the card" 1 "$(grep -c "^\"$ICCID\",\"ok\"," "$T/batch.log")"
"$BUILD/mimsi-card" -r "sim:$T/card.json" read --json >"$T/read.json" 2>"$T/err"
expect "the card's slots hold the profile's IMSIs" "$(echo "$ROW" | cut -d, -f3-4)" \
	"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(",".join(s["imsi"] for s in d["set"]["slots"]["decoded"]))' "$T/read.json")"
expect "the card's rules are the generation's" "$(cat "$RULES/ef_rules.hex")" \
	"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["set"]["rules"]["hex"])' "$T/read.json")"
finish check_stock_cards
