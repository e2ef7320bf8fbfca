#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# No circle of files in the virtual modem (simulator/modem), read from the
# build's objects by scripts/core-graph.sh, and the layering its header
# draws (sim_modem_int.h): the CAT, selection and SMS files never call each
# other nor sim_modem.c; what one causes in another goes through the
# modem's effect queue. A self-test first: a directory whose two files call
# each other must be caught.
# Prints "check_modem_graph: N passed, N failed".
set -u
export LC_ALL=C
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() {
	passed=$((passed + 1))
	echo "ok: $1"
}
bad() {
	failed=$((failed + 1))
	echo "FAIL: $1"
}

# self-test of the directory form: a -> b -> a is a cycle
mkdir -p "$tmp/st"
printf 'int b(void);\nint a(void) { return b(); }\n' >"$tmp/a.c"
printf 'int a(void);\nint b(void) { return a(); }\n' >"$tmp/b.c"
for f in a b; do
	gcc -std=c99 -c "$tmp/$f.c" -o "$tmp/st/$f.o" || bad "self-test: $f.c does not build"
done
if scripts/core-graph.sh "$tmp/st" >/dev/null 2>&1; then
	bad "self-test: a directory with a <-> b not reported as a cycle"
else
	ok "self-test: a directory with a <-> b is a cycle"
fi

dir=$BUILD/simulator/modem
if scripts/core-graph.sh --edges --order "$dir" >"$tmp/graph" 2>&1; then
	ok "simulator/modem: no cycle of files"
else
	bad "simulator/modem: files call each other in a cycle"
fi
cat "$tmp/graph"

# the middle layer calls down only: not sim_modem.c, not each other
mid="sim_modem_cat sim_modem_sel sim_modem_sms"
up=0
for a in $mid; do
	for b in sim_modem $mid; do
		[ "$a" = "$b" ] && continue
		if grep -q "^$a -> $b " "$tmp/graph"; then
			bad "$a calls $b: post an effect instead (sim_modem_int.h)"
			up=1
		fi
	done
done
# the bottom calls nothing above it
if grep -q "^sim_modem_usim -> " "$tmp/graph"; then
	bad "sim_modem_usim calls another modem file"
else
	ok "sim_modem_usim calls no other modem file"
fi
[ $up -eq 0 ] && ok "cat, sel and sms call neither each other nor sim_modem.c"
echo "check_modem_graph: $passed passed, $failed failed"
[ $failed -eq 0 ]
