#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The decision unit is pure: mi_decide.c and the slot choice it calls
# (mi_choice.c), compiled as the card builds them, leave undefined only
# symbols they define themselves and memcpy/memset: no mi_port_* (no port
# call), no mi_nv_* (no NV write or commit), no switch, no timer, no
# proactive command. Also checks the cmocka binary that tests the unit alone
# (build/applet/tests/test_decide) links no port. A self-test first: an
# object calling the port must be caught.
# Prints "check_decide_pure: N passed, N failed".
set -u
export LC_ALL=C
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
PURE="applet/core/mi_decide.c applet/core/mi_choice.c"
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

# impure OBJ...: prints the undefined symbols no object of the set defines,
# other than memcpy and memset
impure() {
	for o in "$@"; do nm -g "$o"; done | awk 'NF == 3 && $2 != "U" { print $3 }' | sort -u >"$tmp/def"
	for o in "$@"; do nm -u "$o"; done | awk '{ print $NF }' | sort -u >"$tmp/und"
	comm -23 "$tmp/und" "$tmp/def" | grep -vx -e memcpy -e memset
}

# self-test: a decision that reads a file through the port is not pure
mkdir -p "$tmp/st"
printf 'int mi_port_file_read(void);\nint d(void) { return mi_port_file_read(); }\n' >"$tmp/st/d.c"
gcc -std=c99 -c "$tmp/st/d.c" -o "$tmp/st/d.o" || bad "self-test object does not build"
if [ "$(impure "$tmp/st/d.o")" = mi_port_file_read ]; then
	ok "self-test: a port call is caught"
else
	bad "self-test: a port call is not caught"
fi

objs=""
for f in $PURE; do
	o=$tmp/$(basename "$f" .c).o
	if gcc -std=c99 -ffreestanding -fno-builtin -Os -Iapplet/include -Iapplet/core -c "$f" -o "$o"; then
		objs="$objs $o"
	else
		bad "$f does not build"
	fi
done
# shellcheck disable=SC2086
left=$(impure $objs)
if [ -z "$left" ]; then
	ok "mi_decide.c + mi_choice.c call nothing outside themselves but memcpy/memset"
else
	bad "the decision unit calls out: $(echo "$left" | tr '\n' ' ')"
fi

t=$BUILD/applet/tests/test_decide
if [ ! -x "$t" ]; then
	bad "$t is not built"
elif nm "$t" | grep -q -e ' mi_port_' -e ' mi_nv_'; then
	bad "$t links port or NV code: $(nm "$t" | grep -o -e 'mi_port_[a-z_]*' -e 'mi_nv_[a-z_]*' | sort -u | tr '\n' ' ')"
else
	ok "$t links no port and no NV code"
fi
echo "check_decide_pure: $passed passed, $failed failed"
[ $failed -eq 0 ]
