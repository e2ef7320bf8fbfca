#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Keys never in clear outside their input: after imports (a sponsor CSV with
# K/OPc), a generation and exports, the plaintext Ki/OPc (sponsor's and
# generated, hex or raw bytes) and the transport key appear in no output
# file, no log, no stdout/stderr and not in the database (nor its WAL).
# A bad key cell is refused without being echoed.
. host/stock/tests/stock-lib.sh
D="$T/sec.db"
OUT="$T/files"
mkdir -p "$OUT"
K="--key-file $KEY --key-label $LABEL"
A="--at 2026-01-01"
run "init" 0 "$D" init
run "sponsor Own" 0 "$D" $A sponsor add Own --plmn 262-01
run "sponsor X" 0 "$D" $A sponsor add "Partner X" --plmn 213-77
python3 -c "
import os
print('imsi,k,opc')
for i in range(50): print('21377000000%04d,%s,%s' % (i, os.urandom(16).hex().upper(), os.urandom(16).hex()))" > "$T/x.csv"
run "batch X with K/OPc" 0 "$D" $A batch import x --sponsor "Partner X" --csv "$T/x.csv" $K
run "batch Own" 0 "$D" $A batch import own --sponsor Own --range 262010000000000-262010000000049
run "pool" 0 "$D" $A pool create p --iccid-range 8949000000000000000-8949000000000999999 \
	--plan $TV/andorra/plan.json --rates $TV/andorra/rates-own.csv --rates $TV/andorra/rates-partner-x.csv
run "generate" 0 "$D" $A --json generate --pool p --batch own --batch x --count 50 --out "$OUT" $K --cards
PERSO=$(j 'd["personalisation"]')
run "export again" 0 "$D" $A export --generation 1 --out "$OUT" $K --cards
run "show" 0 "$D" show "$(sed -n 2p "$PERSO" | cut -d, -f1)"
run "wrong key under the same label" 78 "$D" $A export --generation 1 --out "$OUT" \
	--key-file "$T/x.csv" --key-label $LABEL
od -An -N32 -tx1 /dev/urandom | tr -d ' \n' > "$T/other.key"
run "another key under the same label" 78 "$D" $A export --generation 1 --out "$OUT" \
	--key-file "$T/other.key" --key-label $LABEL
expect "said why" 1 "$(grep -c "not the key recorded as '$LABEL'" "$T/err")"
printf 'imsi,k,opc\n213770000009999,00112233445566778899AABBCCDDEEFG,00112233445566778899AABBCCDDEEFF\n' > "$T/badk.csv"
run "bad K refused" 65 "$D" $A batch import badk --sponsor "Partner X" --csv "$T/badk.csv" $K
expect "bad K not echoed" 0 "$(grep -c 'CCDDEEF' "$T/err")"
expect "bad K place" 1 "$(grep -c 'badk.csv:2:17: K must be 32 hex digits' "$T/err")"
# the generated keys, unwrapped here only (RFC 3394 with openssl)
for n in 2 3 4 5 6; do
	for col in 10 11; do
		sed -n "${n}p" "$PERSO" | cut -d, -f$col | xxd -r -p |
			openssl enc -d -id-aes256-wrap -K "$(cat "$KEY")" -iv A6A6A6A6A6A6A6A6 |
			od -An -tx1 | tr -d ' \n' >> "$T/plain"
		echo >> "$T/plain"
	done
done
expect "10 generated keys unwrapped" 10 "$(grep -c '^[0-9a-f]\{32\}$' "$T/plain")"
sed -n '2,$p' "$T/x.csv" | cut -d, -f2,3 | tr ',' '\n' | tr 'A-F' 'a-f' >> "$T/plain"
cat "$KEY" >> "$T/plain"
echo >> "$T/plain"
sqlite3 "$D" "PRAGMA wal_checkpoint(PASSIVE)" >/dev/null
found=$(python3 - "$T/plain" "$D" "$D-wal" "$OUT" "$T/all-stdout" "$T/all-stderr" <<'PY'
import os, sys
secrets = [l.strip() for l in open(sys.argv[1]) if l.strip()]
pats = []
for s in secrets:
    pats += [s.encode(), s.upper().encode(), bytes.fromhex(s)]
files = []
for p in sys.argv[2:]:
    if os.path.isdir(p):
        for root, _, names in os.walk(p):
            files += [os.path.join(root, n) for n in names]
    elif os.path.exists(p):
        files.append(p)
hits = [(f, s[:4]) for f in files for s in pats if s in open(f, "rb").read()]
print(len(files), len(hits), hits[:3])
PY
)
expect "no plaintext key in $(echo "$found" | cut -d' ' -f1) files" 0 "$(echo "$found" | cut -d' ' -f2)"
ADM=$(sed -n 2p "$PERSO" | cut -d, -f8)
expect "ADM only in the perso and cards files" 0 "$(cat "$T/all-stdout" "$T/all-stderr" "$OUT"/*smdp.txt | grep -cw "$ADM")"
finish check_stock_secrets
