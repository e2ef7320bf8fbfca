#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# No circle of files inside applet/core: each core file is compiled alone
# (no link-time inlining, so every call between files stays a symbol) and
# scripts/core-graph.sh reads the file-level call graph from the symbol
# tables. A self-test first: two files calling each other must be caught.
# Prints "check_core_graph: N passed, N failed".
set -u
export LC_ALL=C
cd "$(dirname "$0")/../.." || exit 1
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

# self-test: a -> b -> a is a cycle, a -> b alone is not
printf 'int b(void);\nint a(void) { return b(); }\n' >"$tmp/a.c"
printf 'int a(void);\nint b(void) { return a(); }\n' >"$tmp/b.c"
printf 'int b(void) { return 1; }\n' >"$tmp/b2.c"
mkdir -p "$tmp/st"
for f in a b b2; do
	gcc -std=c99 -c "$tmp/$f.c" -o "$tmp/st/$f.o" || bad "self-test: $f.c does not build"
done
if scripts/core-graph.sh "$tmp/st/a.o" "$tmp/st/b.o" >/dev/null 2>&1; then
	bad "self-test: a <-> b not reported as a cycle"
else
	ok "self-test: a <-> b is a cycle"
fi
if scripts/core-graph.sh "$tmp/st/a.o" "$tmp/st/b2.o" >/dev/null 2>&1; then
	ok "self-test: a -> b is no cycle"
else
	bad "self-test: a -> b reported as a cycle"
fi

# the core, as the card builds it (freestanding, -Os)
mkdir -p "$tmp/core"
objs=""
for f in applet/core/*.c; do
	o=$tmp/core/$(basename "$f" .c).o
	if gcc -std=c99 -ffreestanding -fno-builtin -Os -Iapplet/include -Iapplet/core -c "$f" -o "$o"; then
		objs="$objs $o"
	else
		bad "$f does not build"
	fi
done
# shellcheck disable=SC2086
if scripts/core-graph.sh $objs; then
	ok "applet/core: no cycle of files"
else
	bad "applet/core: files call each other in a cycle (above)"
fi
echo "check_core_graph: $passed passed, $failed failed"
[ $failed -eq 0 ]
