#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The file-level call graph of a set of objects, read from their symbol
# tables: file A calls file B when A leaves undefined a global symbol that B
# defines. Fails when the graph has a cycle (files calling each other, even
# through others), printing one. Checks applet/core (card-check.sh,
# applet/tests/check_core_graph.sh) and the virtual modem
# (simulator/tests/check_modem_graph.sh).
# usage: core-graph.sh [--edges] [--order] OBJ|DIR...
#   DIR      every DIR/*.o (a directory of the build tree, e.g. build/simulator/modem)
#   --edges  print every edge "a -> b (symbol)" first
#   --order  print the files lowest first (each calls only files above it
#            in the list), when there is no cycle
# NM may name another nm (arm-none-eabi-nm). Exit 0: no cycle, 1: a cycle,
# 64 (EX_USAGE): no objects, 66 (EX_NOINPUT): an object that nm cannot read
# or a directory without objects.
set -u
export LC_ALL=C
NM=${NM:-nm}
edges=0
order=0
while [ $# -gt 0 ]; do
	case $1 in
	--edges) edges=1 ;;
	--order) order=1 ;;
	*) break ;;
	esac
	shift
done
if [ $# -eq 0 ]; then
	echo "usage: core-graph.sh [--edges] [--order] OBJ|DIR..." >&2
	exit 64
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# a directory stands for its objects
for a in "$@"; do
	shift
	if [ -d "$a" ]; then
		found=0
		for o in "$a"/*.o; do
			[ -f "$o" ] || continue
			set -- "$@" "$o"
			found=1
		done
		if [ $found -eq 0 ]; then
			echo "core-graph: $a: no object files (build it first)" >&2
			exit 66
		fi
	else
		set -- "$@" "$a"
	fi
done

# "file symbol" per defined global, and per undefined one
for o in "$@"; do
	f=$(basename "$o" .o)
	if ! "$NM" -g "$o" >"$tmp/nm" 2>"$tmp/nm.err"; then
		echo "core-graph: $o: $(head -n 1 "$tmp/nm.err")" >&2
		exit 66
	fi
	awk -v f="$f" 'NF == 3 && $2 != "U" { print $3, f }' "$tmp/nm" >>"$tmp/def"
	awk -v f="$f" '$1 == "U" { print $2, f }' "$tmp/nm" >>"$tmp/und"
done
touch "$tmp/def" "$tmp/und"
sort -u "$tmp/def" >"$tmp/def.s"
sort -u "$tmp/und" >"$tmp/und.s"
# caller callee symbol, calls between two different files only
join "$tmp/und.s" "$tmp/def.s" | awk '$2 != $3 { print $2, $3, $1 }' | sort -u >"$tmp/edges"
if [ $edges -eq 1 ]; then
	awk '{ print $1, "->", $2, "(" $3 ")" }' "$tmp/edges"
fi
# tsort puts the files in an order where every call goes one way; it
# names the files of a loop on stderr when there is none
{
	awk '{ print $1, $2 }' "$tmp/edges"
	for o in "$@"; do
		b=$(basename "$o" .o)
		echo "$b $b" # every file a node, even one that calls nothing
	done
} | tsort >"$tmp/order" 2>"$tmp/loop"
n=$#
m=$(awk '{ print $1, $2 }' "$tmp/edges" | sort -u | wc -l | tr -d ' ')
if [ -s "$tmp/loop" ]; then
	loop=$(sed -n 's/^tsort: //p' "$tmp/loop" | grep -v 'input contains a loop' | awk '!seen[$0]++' | tr '\n' ' ')
	echo "core-graph: a cycle of files calling each other: ${loop% }" >&2
	# the calls between those files, so the cycle can be read
	for a in $loop; do
		for b in $loop; do
			awk -v a="$a" -v b="$b" '$1 == a && $2 == b { print "  " $1 " -> " $2 " (" $3 ")" }' "$tmp/edges"
		done
	done | sort -u >&2
	echo "core-graph: $n files, $m file-to-file calls, CYCLE"
	exit 1
fi
if [ $order -eq 1 ]; then
	# tsort lists callers first: reversed, every file comes after those it calls
	sed -n '1!G;h;$p' "$tmp/order" | sed 's/^/  /'
fi
echo "core-graph: $n files, $m file-to-file calls, no cycle"
