#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make install into a temporary prefix (its own build directory, as the
# data directory is compiled in from PREFIX), then what a new user meets:
# every installed tool answers --version and has its man page, the vendor kit
# (headers, libmimsi-core.a, mimsi-core.pc) builds a program, and the README's
# tour runs from a directory under /tmp with only the installed files (its
# PC/SC lines use the in-process simulator instead of pcscd). DESTDIR is
# honoured. Prints "check_install: N passed, N failed".
set -u
pass=0
fail=0
T=$(mktemp -d /tmp/check_install.XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
ok() { pass=$((pass + 1)); echo "  ok    $1"; }
ko() { fail=$((fail + 1)); echo "  FAIL  $1"; [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/        | /' "$2" | tail -n 15; }
check() { name=$1; shift; if "$@"; then ok "$name"; else ko "$name" "$T/last.log"; fi; }

P=$T/prefix
# SAN and other flags of the outer make stay out: this is a user's build
if ! env -u MAKEFLAGS -u MFLAGS -u SAN make -s -j2 SAN= BUILD="$T/build" PREFIX="$P" install \
	>"$T/install.log" 2>&1; then
	ko "make install PREFIX=$P" "$T/install.log"
	echo "check_install: $pass passed, $fail failed"
	exit 1
fi
ok "make install PREFIX=<tmp>"
env -u MAKEFLAGS -u MFLAGS -u SAN make -s SAN= BUILD="$T/build" PREFIX="$P" DESTDIR="$T/stage" install \
	>"$T/last.log" 2>&1
check "DESTDIR: the same tree under the staging directory" \
	sh -c "[ -x '$T/stage$P/bin/mimsi-sim' ] && [ -f '$T/stage$P/share/mimsi/scenarios/munich-andorra.json' ] &&
	[ ! -e '$T/stage$P/share/mimsi/../../../build' ]"

# every installed tool: --version, a man page; every docs/man page installed
n_bin=0
for b in "$P"/bin/*; do
	t=$(basename "$b")
	n_bin=$((n_bin + 1))
	"$b" --version >"$T/last.log" 2>&1
	check "$t --version" grep -q "^$t [0-9]" "$T/last.log"
	check "$t(1) installed" [ -f "$P/share/man/man1/$t.1" ]
done
check "the tools are installed ($n_bin)" [ "$n_bin" -ge 3 ]
n_man=$(ls docs/man/*.1 | wc -l)
check "every docs/man page installed ($n_man)" [ "$(ls "$P"/share/man/man1/*.1 | wc -l)" -eq "$n_man" ]
for c in serve apdu image run compare; do
	check "mimsi-sim-$c(1)" [ -f "$P/share/man/man1/mimsi-sim-$c.1" ]
done
if command -v man >/dev/null 2>&1; then
	MANPATH=$P/share/man man -P cat mimsi-card-write >"$T/last.log" 2>&1
	check "man mimsi-card-write renders" grep -q 'adm-file' "$T/last.log"
fi
check "docs installed" [ -f "$P/share/doc/mimsi/README.md" ] && [ -f "$P/share/doc/mimsi/ef-format.md" ]

# the vendor kit: pkg-config finds it, a program links against the core
cat >"$T/vendor.c" <<'C'
#include <stdio.h>
#include "mimsi/mi_err.h"
#include "mimsi/mi_plmn.h"
int main(void)
{
	struct mi_plmn p;
	return mi_plmn_parse("262-01", 6, &p) == MI_OK ? 0 : 1;
}
C
PKG_CONFIG_PATH=$P/lib/pkgconfig pkg-config --cflags --libs mimsi-core >"$T/pc.txt" 2>"$T/last.log"
check "pkg-config mimsi-core" grep -q -- "-lmimsi-core" "$T/pc.txt"
# shellcheck disable=SC2046
cc -std=c99 -o "$T/vendor" "$T/vendor.c" $(cat "$T/pc.txt") >"$T/last.log" 2>&1 && "$T/vendor"
check "a vendor program builds and runs against libmimsi-core.a" [ $? -eq 0 ]

# the README tour, from a directory under /tmp, installed files only
D=$P/share/mimsi
mkdir -p "$T/tour"
awk '/^## A five-minute tour/ { t = 1 } t && /^```sh/ { b = 1; next } b && /^```/ { exit } b' \
	README.md >"$T/tour.raw"
check "the README has a tour" [ -s "$T/tour.raw" ]
# join continued lines; the build line is done; PC/SC lines use the simulator
sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$T/tour.raw" |
	grep -v -e '^make' -e '^D=' -e 'pcscd' |
	sed -e 's/-r "Virtual PCD 00 00"/-r sim:card.json/' >"$T/tour.sh"
n=0
while IFS= read -r line; do
	[ -z "$line" ] && continue
	n=$((n + 1))
	cmd=${line%%#*}
	(cd "$T/tour" && env -u MIMSI_DATADIR PATH="$P/bin:/usr/bin:/bin" D="$D" sh -c "$cmd") \
		>"$T/last.log" 2>&1 </dev/null
	check "tour: $(echo "$cmd" | cut -c1-60)" [ $? -eq 0 ]
done <"$T/tour.sh"
check "the tour ran ($n commands)" [ "$n" -ge 8 ]
check "the tour's card holds the andorra set" sh -c "
	PATH='$P/bin' mimsi-card -r sim:'$T/tour/card.json' read | grep -q '^active set seq'"
# the compiled-in data directory: a journey copied out of it still finds its
# world, modem profile and rule set, with no MIMSI_DATADIR
cp "$D/scenarios/munich-andorra.json" "$T/tour/mine.json"
(cd "$T/tour" && env -u MIMSI_DATADIR "$P/bin/mimsi-sim" run mine.json --quiet) >"$T/last.log" 2>&1
check "a copied journey runs from the installed data" [ $? -eq 0 ]
(cd "$T/tour" && env -u MIMSI_DATADIR "$P/bin/mimsi-sim" run mine.json --modem rel99 --quiet) \
	>"$T/last.log" 2>&1
check "a modem profile by name from the installed data" [ $? -le 1 ]
echo "check_install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
