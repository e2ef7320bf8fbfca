#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# kill -9 at random points of generations: afterwards the database passes
# PRAGMA integrity_check, every count adds up (profiles, embeddings, IMSI
# states, the pool's next ICCID), no half-made generation exists, and only a
# committed generation has its files under their final names.
. host/stock/tests/stock-lib.sh
D="$T/crash.db"
OUT="$T/files"
mkdir -p "$OUT"
K="--key-file $KEY --key-label $LABEL"
A="--at 2026-01-01"
run "init" 0 "$D" init
run "sponsor Own" 0 "$D" $A sponsor add Own --plmn 262-01
run "sponsor X" 0 "$D" $A sponsor add "Partner X" --plmn 213-77
run "batch Own" 0 "$D" $A batch import own --sponsor Own --range 262010000000000-262010000199999
run "batch X" 0 "$D" $A batch import x --sponsor "Partner X" --range 213770000000000-213770000199999
run "pool" 0 "$D" $A pool create p --iccid-range 8949000000000000000-8949000000000999999 \
	--plan $TV/andorra/plan.json --rates $TV/andorra/rates-own.csv --rates $TV/andorra/rates-partner-x.csv

consistent() {
	expect "$1: integrity" ok "$(q "$D" "PRAGMA integrity_check")"
	expect "$1: profiles = sum of generations" \
		"$(q "$D" "SELECT coalesce(sum(count), 0) FROM generation")" "$(q "$D" "SELECT count(*) FROM profile")"
	expect "$1: two embeddings per profile" \
		"$(q "$D" "SELECT 2 * count(*) FROM profile")" "$(q "$D" "SELECT count(*) FROM embedding WHERE to_at IS NULL")"
	expect "$1: embedded IMSIs = embeddings" \
		"$(q "$D" "SELECT count(*) FROM embedding")" "$(q "$D" "SELECT count(*) FROM imsi WHERE state = 'embedded'")"
	expect "$1: IMSIs available + embedded = all" 400000 \
		"$(q "$D" "SELECT count(*) FROM imsi WHERE state IN ('available', 'embedded')")"
	expect "$1: ICCIDs used = profiles" "$(q "$D" "SELECT count(*) FROM profile")" \
		"$(q "$D" "SELECT iccid_next - iccid_first FROM profile_pool")"
	for f in "$OUT"/gen-*-smdp.txt; do
		[ -e "$f" ] || continue
		g=$(sed -n 's/^#generation: //p' "$f")
		expect "$1: $f is a committed generation" \
			"$(q "$D" "SELECT count FROM generation WHERE id = $g")" "$(grep -c '^[0-9]' "$f")"
	done
}

i=0
while [ $i -lt 6 ]; do
	i=$((i + 1))
	ms=$(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 900))
	"$STOCK" --db "$D" $A generate --pool p --batch own --batch x --count 6000 --out "$OUT" \
		$K >/dev/null 2>"$T/gen-err" &
	pid=$!
	sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
	kill -9 $pid 2>/dev/null && echo "kill -9 after ${ms} ms" || echo "generation $i finished before ${ms} ms"
	wait $pid 2>/dev/null
	consistent "kill $i"
done
rm -f "$OUT"/*.part
run "a generation after the kills" 0 "$D" $A generate --pool p --batch own --batch x --count 100 --out "$OUT" $K
consistent "after"
finish check_stock_crash
