#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Run every rules vector (test-vectors/README.md, "rules/"):
#   valid/<case>/   plan.json + rates*.csv -> expected/* byte for byte,
#                   explain-<mcc-mnc>.txt, decompile.txt; the same bytes again
#                   with the CSV data rows reversed (row order must not matter)
#   invalid/<case>/ inputs -> exit code (file 'exit', default 65) and the
#                   first stderr line equal to 'error' (after "mimsi-compile: ")
# usage: check_vectors.sh [--update]   (--update rewrites the expected files)
set -u
root=$(pwd)
case "${BUILD:-build}" in
/*) tool="${BUILD}/mimsi-compile" ;;
*) tool="$root/${BUILD:-build}/mimsi-compile" ;;
esac
vec="$root/test-vectors/rules"
update=0
[ "${1:-}" = "--update" ] && update=1
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { passed=$((passed + 1)); }
ko() { failed=$((failed + 1)); echo "FAIL $*"; }

for dir in "$vec"/valid/*/; do
	[ -d "$dir" ] || continue
	name=$(basename "$dir")
	cd "$dir" || continue
	rates=$(ls rates*.csv | sort)
	out="$tmp/$name"
	# shellcheck disable=SC2086
	if ! "$tool" compile plan.json $rates -o "$out" >"$tmp/log" 2>&1; then
		ko "valid/$name: compile failed: $(cat "$tmp/log")"
		cd "$root" && continue
	fi
	if [ $update -eq 1 ]; then
		rm -rf expected && mkdir expected && cp "$out"/* expected/
	fi
	for f in expected/*; do
		if cmp -s "$f" "$out/$(basename "$f")"; then ok; else ko "valid/$name: $f differs"; fi
	done
	[ -e expected/ef_rules.hex ] || ko "valid/$name: no expected files"
	# decompile the expected set
	if [ $update -eq 1 ] && "$tool" decompile expected >"$tmp/dec" 2>&1; then
		cp "$tmp/dec" decompile.txt
	fi
	if [ -e decompile.txt ]; then
		if "$tool" decompile expected 2>&1 | cmp -s - decompile.txt; then ok; else
			ko "valid/$name: decompile output differs from decompile.txt"; fi
	fi
	# explain-<mcc-mnc>.txt
	for f in explain-*.txt; do
		[ -e "$f" ] || continue
		plmn=${f#explain-}
		plmn=${plmn%.txt}
		# shellcheck disable=SC2086
		if [ $update -eq 1 ]; then "$tool" explain plan.json $rates "$plmn" >"$f" 2>&1; fi
		# shellcheck disable=SC2086
		if "$tool" explain plan.json $rates "$plmn" 2>&1 | cmp -s - "$f"; then ok; else
			ko "valid/$name: explain $plmn differs from $f"; fi
	done
	# compile --base with its own expected set changes nothing
	# shellcheck disable=SC2086
	if "$tool" compile plan.json $rates -o "$tmp/$name-base" --base expected >/dev/null 2>&1 &&
		cmp -s "$out/ef_rules.bin" "$tmp/$name-base/ef_rules.bin"; then ok; else
		ko "valid/$name: compile --base expected gives other bytes"; fi
	# the HTML report: well-formed XML with an inline SVG chart
	# shellcheck disable=SC2086
	if "$tool" report plan.json $rates -o "$tmp/$name.html" >/dev/null 2>&1 &&
		grep -q '<svg xmlns="http://www.w3.org/2000/svg"' "$tmp/$name.html" &&
		{ ! command -v xmllint >/dev/null || xmllint --noout "$tmp/$name.html"; }; then ok; else
		ko "valid/$name: report.html missing or not well-formed"; fi
	# decompile --json is JSON; diff of a set with itself is empty (exit 0)
	if "$tool" decompile expected --json | grep -q '"rules"' &&
		"$tool" diff expected expected >/dev/null; then ok; else
		ko "valid/$name: decompile --json or diff of identical sets failed"; fi
	# row order must not matter: reverse the data rows of every sheet
	shuf_rates=""
	for r in $rates; do
		{ head -n 1 "$r"; tail -n +2 "$r" | sed '1!G;h;$!d'; } >"$tmp/rev-$r"
		shuf_rates="$shuf_rates $tmp/rev-$r"
	done
	# shellcheck disable=SC2086
	if "$tool" compile plan.json $shuf_rates -o "$tmp/$name-rev" >/dev/null 2>&1 &&
		cmp -s "$out/ef_rules.bin" "$tmp/$name-rev/ef_rules.bin" &&
		cmp -s "$out/ef_slots.bin" "$tmp/$name-rev/ef_slots.bin"; then ok; else
		ko "valid/$name: reversed CSV rows give other bytes"; fi
	cd "$root" || exit 70
done

for dir in "$vec"/invalid/*/; do
	[ -d "$dir" ] || continue
	name=$(basename "$dir")
	cd "$dir" || continue
	want=65
	[ -e exit ] && want=$(cat exit)
	rates=$(ls rates*.csv 2>/dev/null | sort)
	[ -n "$rates" ] || rates=rates.csv # a case about the missing file
	# shellcheck disable=SC2086
	"$tool" compile plan.json $rates -o "$tmp/inv-$name" >/dev/null 2>"$tmp/err"
	got=$?
	msg=$(head -n 1 "$tmp/err" | sed 's/^mimsi-compile: //')
	if [ $update -eq 1 ] && [ ! -e error ]; then printf '%s\n' "$msg" >error; fi
	if [ $got -ne "$want" ]; then
		ko "invalid/$name: exit $got, want $want ($msg)"
	elif [ "$msg" != "$(cat error)" ]; then
		ko "invalid/$name: got '$msg', want '$(cat error)'"
	elif [ -e "$tmp/inv-$name" ]; then
		ko "invalid/$name: wrote $tmp/inv-$name despite the error"
	else
		ok
	fi
	cd "$root" || exit 70
done

# command line: --help everywhere, usage errors give EX_USAGE (64)
cd "$root" || exit 70
for cmd in "" compile explain decompile diff report; do
	# shellcheck disable=SC2086
	if "$tool" $cmd --help | grep -q '^usage: mimsi-compile'; then ok; else ko "$cmd --help"; fi
done
"$tool" >/dev/null 2>&1
[ $? -eq 64 ] && ok || ko "no command: want exit 64"
"$tool" frobnicate >/dev/null 2>&1
[ $? -eq 64 ] && ok || ko "unknown command: want exit 64"
"$tool" compile a.json >/dev/null 2>&1
[ $? -eq 64 ] && ok || ko "compile without -o: want exit 64"
"$tool" explain "$vec/valid/andorra/plan.json" "$vec/valid/andorra/rates-own.csv" 2131 >/dev/null 2>&1
[ $? -eq 64 ] && ok || ko "explain bad PLMN: want exit 64"
"$tool" decompile "$tmp/nonexistent" >/dev/null 2>&1
[ $? -eq 66 ] && ok || ko "decompile missing dir: want exit 66"
A="$vec/valid/andorra"
"$tool" compile "$A/plan.json" "$A/rates-own.csv" "$A/rates-partner-x.csv" -o "$tmp/no/such/dir" >/dev/null 2>&1
[ $? -eq 73 ] && ok || ko "unwritable output: want exit 73"
# a set mixed from two compiles (CFG and RULES of andorra, SLOTS of balkan):
# decompile refuses it, naming the set ids (mi_ef.h version 2)
mkdir -p "$tmp/mixed" && cp "$A/expected/ef_cfg.bin" "$A/expected/ef_rules.bin" "$tmp/mixed/" &&
	cp "$vec/valid/balkan/expected/ef_slots.bin" "$tmp/mixed/"
"$tool" decompile "$tmp/mixed" >/dev/null 2>"$tmp/mixed.err"
if [ $? -eq 65 ] && grep -q "a set mixed from two compiles" "$tmp/mixed.err"; then ok; else
	ko "decompile of a mixed set: want exit 65 and 'a set mixed from two compiles'"; fi
# a failing compile leaves an existing DIR exactly as it was
mkdir -p "$tmp/keep" && echo sentinel >"$tmp/keep/ef_rules.hex"
"$tool" compile "$vec/invalid/csv-negative-price/plan.json" "$vec/invalid/csv-negative-price/rates.csv" \
	-o "$tmp/keep" >/dev/null 2>&1
if [ "$(cat "$tmp/keep/ef_rules.hex")" = sentinel ] && [ -z "$(ls -d "$tmp"/keep.* 2>/dev/null)" ]; then ok; else
	ko "failed compile touched the output dir"; fi

echo "rules-vectors: $passed passed, $failed failed"
[ $failed -eq 0 ]
