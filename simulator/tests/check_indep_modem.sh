#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# An independent modem over PC/SC, on a served card, receives the planner's
# SMS-PP and ends on the planned IMSI (use case 2.5, Albania). The stock of
# check_stock_planner.sh (Own, Partner Y static; W dynamic), one card
# generated and written with mimsi-card, served into pcscd by mimsi-sim
# serve; simulator/tests/indep-modem (Python, pyscard: no mimsi code)
# registers in Albania, so the applet moves to Y, then takes the SMS-PP of
# mimsi-stock plan-swap; its PoR goes to swap-por (status 00: commit). Then
# Kosovo with the SMS-PP corrupted (wrong CC): PoR status 01, the card keeps
# W, swap-por releases.
# No key on any command line, in any output or log (grepped).
. host/stock/tests/stock-lib.sh
. scripts/vpcd-lib.sh
PY=/usr/bin/python3 # Debian's, with python3-pyscard
export PYTHONDONTWRITEBYTECODE=1 # no __pycache__ in the source tree
MODEM=simulator/tests/indep-modem/indep_modem.py
OTAKEYS=test-vectors/ota/default-card-keys.json

mimsi_run_begin check-indep-modem
[ -n "${KEEP:-}" ] && echo "work dir kept: $T"
trap 'mimsi_run_end; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
if ! $PY -c 'import smartcard' 2>/dev/null; then
	bad "prerequisite: python3-pyscard (scripts/deps.sh)"
	finish check_indep_modem
	exit 1
fi
if $PY simulator/tests/indep-modem/ime_selftest.py >"$T/selftest.log" 2>&1; then ok; else
	bad "the independent modem's codecs: $(cat "$T/selftest.log")"
fi
# every command line of this run, to grep for secrets at the end
argv() { echo "$*" >>"$T/argv.log"; }
stock() {
	argv mimsi-stock "$@"
	run "$@"
}

# ---- the stock and the subscriber's card -----------------------------------------------------
D="$T/plan.db"
OUT="$T/files"
mkdir -p "$OUT"
A="--at 2026-01-01"
K="--key-file $KEY --key-label $LABEL"
stock "init" 0 "$D" init
stock "sponsor Own" 0 "$D" $A sponsor add Own --plmn 262-01
stock "sponsor Y" 0 "$D" $A sponsor add "Partner Y" --plmn 213-55
stock "sponsor W" 0 "$D" $A sponsor add "Partner W" --plmn 901-28
stock "batch Own" 0 "$D" $A batch import Own --sponsor Own --range 262019000000000-262019000000019
stock "batch Y" 0 "$D" $A batch import Y --sponsor "Partner Y" --range 213559000000000-213559000000019
WK=00112233445566778899AABBCCDDEEFF
WO=FFEEDDCCBBAA99887766554433221100
{
	echo "imsi,k,opc"
	for i in 0 1 2; do echo "90128900000000$i,$WK,$WO"; done
} >"$T/w.csv"
stock "batch W" 0 "$D" $A batch import W --sponsor "Partner W" --csv "$T/w.csv" $K
stock "hold 213" 0 "$D" $A hold set 213 90
stock "hold 901" 0 "$D" $A hold set 901 90
stock "product" 0 "$D" $A product add Balkan
stock "pool Y" 0 "$D" $A pool create PY --iccid-range 8949102620200000000-8949102620200000099 \
	--plan test-vectors/scenarios/stock/balkan-own-y.json --rates $TV/balkan/rates-own.csv \
	--rates $TV/balkan/rates-partner-y.csv
stock "pool W" 0 "$D" $A pool create PW --iccid-range 8949102620300000000-8949102620300000099 \
	--plan $TV/world/plan.json --rates $TV/world/rates-own.csv --rates $TV/world/rates-partner-w.csv
stock "link" 0 "$D" pool link PY Balkan
stock "generate" 0 "$D" $A --json generate --pool PY --batch Own --batch Y --count 1 --out "$OUT" $K --cards
CARDS=$(j 'd["cards_csv"]')
BASE=$(j 'd["rules_dir"]')
for p in Y W; do
	stock "ipool $p" 0 "$D" $A ipool create "dynamic $p"
	stock "ipool $p link" 0 "$D" ipool link "dynamic $p" Balkan
	stock "ipool $p add" 0 "$D" $A ipool add "dynamic $p" --batch $p
done
stock "onboarding" 0 "$D" --at 2026-01-10 --json assign traveller --product Balkan
P=$(j 'd["iccid"]')
ROW=$(grep "^$P," "$CARDS")
ADM=$(echo "$ROW" | cut -d, -f2) # a secret: only in files, and grepped for below
OWN=$(echo "$ROW" | cut -d, -f3)
Y=$(echo "$ROW" | cut -d, -f4)
expect "the generated card is the subscriber's" "$P" "$(echo "$ROW" | cut -d, -f1)"

# the default simulated card, given the profile's ICCID and ADM1, programmed by mimsi-card batch
argv mimsi-sim image -o "$T/card.json"
"$BUILD/mimsi-sim" image -o "$T/card.json" >/dev/null 2>&1
$PY - "$T/card.json" "$P" "$CARDS" <<'PY'
import csv, json, sys
path, iccid, cards = sys.argv[1:]
adm = [r["adm"] for r in csv.DictReader(open(cards)) if r["iccid"] == iccid][0]
d = json.load(open(path))
digits = iccid + "F" * (20 - len(iccid))  # TS 102 221 §13.2: BCD, nibbles swapped
d["files"] = [dict(f, content="".join(digits[i + 1] + digits[i] for i in range(0, 20, 2)))
              if f["path"] == "3F00/2FE2" else f for f in d["files"]]
d["pins"] = [dict(p, value=adm) if p["ref"] == "0A" else p for p in d["pins"]]
json.dump(d, open(path, "w"), indent=1)
PY
argv mimsi-card -r "sim:$T/card.json" batch "$CARDS" --dir "$BASE" --timeout 2 --max 1 --log "$T/batch.log"
"$BUILD/mimsi-card" -r "sim:$T/card.json" batch "$CARDS" --dir "$BASE" --timeout 2 --max 1 \
	--log "$T/batch.log" >>"$T/all-stdout" 2>>"$T/all-stderr"
expect "mimsi-card batch programmed the card" 1 "$(grep -c "^\"$P\",\"ok\"," "$T/batch.log")"

# ---- the card in pcscd ----------------------------------------------------------------------
mimsi_pcscd_up "$T/pcscd.log"
pcscd_pid=$MIMSI_PCSCD_PID
if ! mimsi_vpcd_slot 60; then
	bad "no free vpcd slot (35963/35964 busy for 60 s)"
	finish check_indep_modem
	exit 1
fi
argv mimsi-sim serve --vpcd "127.0.0.1:$PORT" --card "$T/card.json" --save --log
"$BUILD/mimsi-sim" serve --vpcd "127.0.0.1:$PORT" --card "$T/card.json" --save --log 2>"$T/serve.log" &
sim_pid=$!
i=0
until $PY -c 'import sys; from smartcard.System import readers
from smartcard.Exceptions import NoCardException
r = [x for x in readers() if str(x) == sys.argv[1]]
c = r[0].createConnection() if r else sys.exit(1)
c.connect(); c.disconnect()' "$READER" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -ge 50 ]; then
		bad "the card never appeared in \"$READER\""
		finish check_indep_modem
		exit 1
	fi
	sleep 0.2
done
ok

# modem NAME PLMN SMS-FILE: the independent modem, its JSON in $T/NAME.json
modem() {
	argv "$MODEM" --reader "$READER" --plmn "$2" --sms "$3" --log "$T/$1.apdu" --json
	$PY "$MODEM" --reader "$READER" --plmn "$2" --sms "$3" --log "$T/$1.apdu" --json \
		>"$T/$1.json" 2>"$T/$1.err"
	rc=$?
	cat "$T/$1.json" >>"$T/all-stdout"
	cat "$T/$1.err" >>"$T/all-stderr"
	if [ $rc -eq 0 ]; then ok; else bad "indep-modem $1: exit $rc: $(cat "$T/$1.err")"; fi
}
mj() { $PY -c 'import json,sys; d=json.load(open(sys.argv[2])); print(eval(sys.argv[1]))' "$1" "$T/$2.json"; }

# ---- Albania: the planner swaps Y for W over the air ----------------------------------------
# the card was programmed with bank A only: the new set goes whole into the empty bank B
OTA="--ota-keys $OTAKEYS --kvn 1 --counters $T/counters.json --base $BASE"
OTA_A="$OTA --bank B --bank-holds empty"
printf '{"iccid": "%s", "plmn": "276-03", "at": "2026-01-12T09:00:00Z"}\n' "$P" >"$T/ev.json"
stock "plan-swap Albania" 0 "$D" --json plan-swap "$T/ev.json" $OTA_A $K
cp "$T/out" "$T/albania.plan.json"
W=$(j 'd["new"]["imsi"]')
expect "the plan: replace Y by the first W IMSI" "replace 901289000000000 $Y" \
	"$(j 'd["decision"]+" "+d["new"]["imsi"]+" "+d["dynamic"]["imsi"]')"
modem albania 276-03 "$T/albania.plan.json"
expect "registered in Albania, the applet moved to Y (slot 2) before the SMS" "$Y" "$(mj 'd["imsi_before_sms"]' albania)"
expect "the modem's own ENVELOPEs (TS 31.111 §7.1.1.2) are the planner's" \
	"$(mj '" ".join(s["envelope"] for p in d["events"][1]["packets"] for s in p["sms"])' albania.plan)" \
	"$(mj '" ".join("80C20000%02X" % (len(e) // 2) + e for e in d["envelopes"])' albania)"
expect "every SMS-PP accepted" "" "$(mj '" ".join(s for s in d["sms_sw"] if s != "9000")' albania)"
expect "one PoR back to the network" 1 "$(mj 'len(d["pors"])' albania)"
expect "after the REFRESH, EF_IMSI is the planned IMSI" "$W $W" "$(mj 'd["imsi_after"]+" "+d["imsi_read_again"]' albania)"
expect "a REFRESH after the SMS" yes "$(mj '"yes" if d["refreshes_after_sms"] else "no"' albania)"
POR=$(mj 'd["pors"][0]' albania)
stock "swap-por" 0 "$D" --at 2026-01-12T09:02:00Z --json swap-por "$P" --position 2 --por "$POR" \
	--ota-keys $OTAKEYS --kvn 1
expect "PoR status 00: committed, the HSS drops Y" "committed PoR OK hss-remove:$Y" \
	"$(j 'd["result"]+" "+d["status"]+" "+" ".join(e["do"]+":"+e["imsi"] for e in d["events"])')"
expect "inventory: W embedded, Y on hold for the subscriber" "embedded|hold|traveller" \
	"$(q "$D" "SELECT (SELECT state FROM imsi WHERE imsi = '$W'), state, hold_account FROM imsi WHERE imsi = '$Y'")"
echo "indep-modem: Albania swap: $(mj 'len(d["envelopes"])' albania) SMS-PP, REFRESH" \
	"$(mj '" ".join(d["refreshes_after_sms"])' albania); $(mj 'd["apdus_to_new_imsi"]' albania) APDUs from the" \
	"first ENVELOPE to the EF_IMSI read that shows $W, $(mj 'd["apdus_swap"]' albania) until" \
	"$(mj 'd["virtual_s"] // 2' albania) virtual seconds after the SMS (STATUS every 30 s)," \
	"$(mj 'd["apdus"]' albania) in the whole session"

# ---- Kosovo: back to the held Y, with the SMS-PP corrupted (wrong CC) --------------------------
printf '{"iccid": "%s", "plmn": "221-01", "at": "2026-01-14T09:00:00Z"}\n' "$P" >"$T/ev.json"
stock "plan-swap Kosovo" 0 "$D" --json plan-swap "$T/ev.json" $OTA $K
expect "the plan: back to the held Y" "replace $Y True" "$(j 'd["decision"]+" "+d["new"]["imsi"]+" "+str(d["new"]["from_hold"])')"
# the last byte of the ciphered data changed: the card's CC check fails (TS 102 225 §5.1.2)
j '"\n".join(s["tpdu"] for p in d["events"][1]["packets"] for s in p["sms"])' | $PY -c '
import sys
t = [l.strip() for l in sys.stdin if l.strip()]
last = bytearray.fromhex(t[-1]); last[-1] ^= 0x5A; t[-1] = last.hex().upper()
print("\n".join(t))' >"$T/kosovo.tpdu"
modem kosovo 221-01 "$T/kosovo.tpdu"
expect "the card kept W" "$W $W" "$(mj 'd["imsi_before_sms"]+" "+d["imsi_read_again"]' kosovo)"
expect "no REFRESH after the corrupted SMS" "" "$(mj '" ".join(d["refreshes_after_sms"])' kosovo)"
expect "one PoR back" 1 "$(mj 'len(d["pors"])' kosovo)"
KPOR=$(mj 'd["pors"][0]' kosovo)
# the card refuses the packet, the PoR (secured as SPI2 asks) says why: TS 102 225 §5.2.2 status 01
stock "swap-por" 0 "$D" --at 2026-01-14T09:02:00Z --json swap-por "$P" --position 2 --por "$KPOR" \
	--ota-keys $OTAKEYS --kvn 1
expect "PoR status 01: released, the card keeps W, the HSS drops Y again" \
	"released RC/CC/DS failed $W hss-remove:$Y" \
	"$(j 'd["result"]+" "+d["status"]+" "+d["imsi"]+" "+" ".join(e["do"]+":"+e["imsi"] for e in d["events"])')"
expect "inventory: W embedded, Y no longer reserved" "embedded free" \
	"$(q "$D" "SELECT (SELECT state FROM imsi WHERE imsi = '$W') || ' ' || (SELECT CASE WHEN state IN ('available', 'hold') THEN 'free' ELSE state END FROM imsi WHERE imsi = '$Y')")"

# ---- secrets: never on a command line, in an output or a log --------------------------------
# (the list in a file: grep -f keeps them off grep's own command line)
(umask 077 && $PY -c 'import json,sys
for k in json.load(open(sys.argv[1]))["keysets"]: print(k["kic_key"]); print(k["kid_key"])' $OTAKEYS >"$T/secrets")
{ echo "$WK"; echo "$WO"; echo "$ADM"; cat "$KEY"; echo; } >>"$T/secrets"
sed -i "/^\$/d" "$T/secrets" # an empty pattern would match everything
leaks=0
for f in "$T/argv.log" "$T/all-stdout" "$T/all-stderr" "$T/serve.log" "$T"/*.apdu; do
	if grep -qiF -f "$T/secrets" "$f"; then
		leaks=$((leaks + 1))
		echo "a secret in $f"
	fi
done
expect "no key, K/OPc or ADM in argv, outputs, the card server's log or the APDU logs" 0 "$leaks"
expect "the grep finds a secret where there is one" 1 "$(echo "x${WK}x" | grep -ciF -f "$T/secrets")"
finish check_indep_modem
