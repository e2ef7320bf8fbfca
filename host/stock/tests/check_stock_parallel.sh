#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Processes allocating at once never hand out the same IMSI or ICCID:
# four generations and four onboarding loops run in parallel on one file
# (BEGIN IMMEDIATE and the busy timeout serialise them).
. host/stock/tests/stock-lib.sh
D="$T/par.db"
K="--key-file $KEY --key-label $LABEL"
A="--at 2026-01-01"
run "init" 0 "$D" init
run "sponsor Own" 0 "$D" $A sponsor add Own --plmn 262-01
run "sponsor X" 0 "$D" $A sponsor add "Partner X" --plmn 213-77
run "batch Own" 0 "$D" $A batch import own --sponsor Own --range 262010000000000-262010000003999
run "batch X" 0 "$D" $A batch import x --sponsor "Partner X" --range 213770000000000-213770000003999
run "product" 0 "$D" $A product add prod
run "pool" 0 "$D" $A pool create p --iccid-range 8949000000000000000-8949000000000999999
run "link" 0 "$D" $A pool link p prod
run "stock to share" 0 "$D" $A generate --pool p --batch own --batch x --count 400 --out "$T" $K
pids=""
for n in 1 2 3 4; do
	mkdir -p "$T/g$n"
	"$STOCK" --db "$D" $A generate --pool p --batch own --batch x --count 800 --out "$T/g$n" \
		$K >"$T/g$n.log" 2>&1 &
	pids="$pids $!"
	(
		k=0
		while [ $k -lt 25 ]; do
			k=$((k + 1))
			"$STOCK" --db "$D" --at 2026-01-02 assign "acct-$n-$k" --product prod || exit 1
		done
	) >"$T/a$n.log" 2>&1 &
	pids="$pids $!"
done
failed=0
for p in $pids; do wait "$p" || failed=$((failed + 1)); done
expect "every process succeeded" 0 "$failed"
cat "$T"/g*/gen-*-smdp.txt "$T"/gen-*-smdp.txt | grep '^[0-9]' > "$T/rows"
expect "3600 rows" 3600 "$(wc -l < "$T/rows")"
expect "ICCIDs unique" 3600 "$(cut -d/ -f1 "$T/rows" | sort -u | wc -l)"
expect "IMSIs unique" 7200 "$(tr '/' '\n' < "$T/rows" | grep -v '^8949' | sort -u | wc -l)"
sed -n "s/.*: profile \([0-9]*\) assigned.*/\1/p" "$T"/a*.log | sort -u | wc -l > "$T/n"
expect "100 accounts, 100 distinct profiles" 100 "$(cat "$T/n")"
expect "database agrees" "3600|7200|100" "$(q "$D" "SELECT (SELECT count(*) FROM profile), (SELECT count(*) FROM imsi WHERE state = 'embedded'), (SELECT count(*) FROM assignment)")"
expect "integrity" ok "$(q "$D" "PRAGMA integrity_check")"
finish check_stock_parallel
