#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make card-check: build applet/core (the host-only text codecs live in
# applet/host and never enter it)
# freestanding for the host, Cortex-M0 and AVR (16-bit int), then enforce the
# card rules and print one line of figures per target:
#   - nm -u lists only memcpy, memset and mi_port_* (no libc, no libgcc
#     helpers: no soft-float, no 32-bit division calls);
#   - no float/double in the sources (comments stripped), no malloc family,
#     no static variable that is not const;
#   - no dynamic stack frame (-fstack-usage);
#   - no cycle in the file-level call graph (scripts/core-graph.sh);
#   - Cortex-M0 budget: .text <= 9216, .data+.bss <= 512, frame <= 256,
#     where .text is the applet image a card carries: the core linked from
#     the mi_applet_* entry points with --gc-sections (host-side codecs such
#     as ICCID encoding or the EF encoders of the compiler drop out).
# Figures: .text is size's Berkeley "text" summed over the objects (code and
# read-only data), then the linked image; max-stack is the largest single
# frame, not a call chain.
# Objects go to build-card/<target>/. Exit 0 = pass, 1 = a rule broken,
# 69 (EX_UNAVAILABLE) = a cross compiler is missing (scripts/deps.sh).
set -u
export LC_ALL=C
cd "$(dirname "$0")/.." || exit 1

# CORE_DIR and OUT may be overridden to check another tree (self-test).
CORE_DIR=${CORE_DIR:-applet/core}
OUT=${OUT:-build-card}
FLAGS="-std=c99 -ffreestanding -fno-builtin -nostdlib -Os -fstack-usage -Wall -Wextra -Werror
	-Wdouble-promotion -Wfloat-conversion -Wvla -Iapplet/include -I$CORE_DIR"
TEXT_MAX=9216
DATA_MAX=512
STACK_MAX=256

fail=0
err() {
	echo "card-check: $*" >&2
	fail=1
}

srcs=""
for f in "$CORE_DIR"/*.c; do
	[ -e "$f" ] && srcs="$srcs $f"
done
if [ -z "$srcs" ]; then
	echo "card-check: no sources in $CORE_DIR" >&2
	exit 1
fi
hdrs=""
for f in "$CORE_DIR"/*.h applet/include/mimsi/*.h; do
	[ -e "$f" ] && hdrs="$hdrs $f"
done

# ---- source rules (comments stripped by the preprocessor, includes not expanded)
strip() {
	gcc -std=c99 -fpreprocessed -dD -E -P "$1" 2>/dev/null
}
for f in $srcs $hdrs; do
	code=$(strip "$f")
	if echo "$code" | grep -aqwE 'float|double'; then
		err "$f: float/double is not allowed in the card core"
	fi
	if echo "$code" | grep -aqwE 'malloc|calloc|realloc|free'; then
		err "$f: heap allocation (malloc family) is not allowed in the card core"
	fi
	# a 'static' declaration up to its first ; { ( or =: functions end in '('
	bad=$(echo "$code" | tr '\n' ' ' | grep -aoE '\bstatic\b[^;{(=]*[;{(=]' |
		grep -v '($' | grep -vw const)
	if [ -n "$bad" ]; then
		err "$f: non-const static variable: $(echo "$bad" | head -n 1)"
	fi
done

# ---- what a card image would hold: the core rebuilt with one section per
# function, linked from the mi_applet_* entry points (mi_applet.h) with
# --gc-sections; port hooks and memcpy/memset left unresolved. Linked twice:
# without and with link-time optimisation (-flto: one translation unit for
# the whole core, as a vendor's "whole program" or "cross-module" build
# gives). The Cortex-M0 budget applies to the image without LTO (what any
# C99 toolchain gives from -Os and --gc-sections); the LTO image is printed
# as a figure for vendors whose toolchain has it, and its own symbols and
# frames are checked too (LTO inlines across files, so frames grow).
# Sets img_text and img_db (no LTO), lto_text, img_stack and img_func (LTO).
image_link() {
	mode=$1 idir=$2 cc=$3 extra=$4
	mkdir -p "$idir"
	rm -f "$idir"/*.su
	iobjs=""
	for f in $srcs; do
		o=$idir/$(basename "$f" .c).o
		# shellcheck disable=SC2086
		$cc $FLAGS $extra $mode -ffunction-sections -fdata-sections -c "$f" -o "$o" 2>"$idir/cc.err" || return 1
		iobjs="$iobjs $o"
	done
	und=""
	for e in $entries; do
		und="$und -Wl,--undefined=$e"
	done
	# shellcheck disable=SC2086
	$cc $FLAGS $extra $mode -Wl,--gc-sections -Wl,--unresolved-symbols=ignore-all $und \
		-Wl,-e,"$(echo "$entries" | head -n 1)" -o "$idir/image.elf" $iobjs 2>"$idir/ld.err"
}

image_figure() {
	img_text="" img_db="" lto_text="" img_stack="" img_func=""
	dir=$1 cc=$2 size=$3 extra=$4 nm=$5
	entries=$(sed -n 's/.*\b\(mi_applet_[a-z_0-9]*\)(.*/\1/p' applet/include/mimsi/mi_applet.h 2>/dev/null | sort -u)
	[ -n "$entries" ] || return 0
	image_link "" "$dir/gc" "$cc" "$extra" || return 0
	# shellcheck disable=SC2046
	set -- $($size -A "$dir/gc/image.elf" | awk '$1 == ".text" || $1 == ".rodata" { c += $2 }
		$1 == ".data" || $1 == ".bss" { d += $2 } END { print c + 0, d + 0 }')
	[ "${1:-0}" -gt 0 ] || return 0 # no entry point defined in the core yet
	img_text=$1 img_db=$2
	echo "card-check $target image (gc-sections from mi_applet_*, no LTO): .text+.rodata=$1 .data+.bss=$2"
	if ! image_link -flto "$dir/lto" "$cc" "$extra -fstack-usage"; then
		cat "$dir/lto/cc.err" "$dir/lto/ld.err" >&2 2>/dev/null
		err "$target: the applet image does not link with -flto"
		return 0
	fi
	# shellcheck disable=SC2046
	set -- $($size -A "$dir/lto/image.elf" | awk '$1 == ".text" || $1 == ".rodata" { c += $2 }
		$1 == ".data" || $1 == ".bss" { d += $2 } END { print c + 0, d + 0 }')
	lto_text=$1
	[ "$2" -le "$img_db" ] || img_db=$2
	top=$(cat "$dir"/lto/*.su 2>/dev/null | awk -F'\t' '{ print $2, $1 }' | sort -n | tail -n 1)
	img_stack=${top%% *}
	img_func=$(echo "${top#* }" | sed 's/.*://')
	if cat "$dir"/lto/*.su 2>/dev/null | grep -aqw dynamic; then
		err "$target: dynamic stack frame in the LTO image"
	fi
	$nm -u "$dir/lto/image.elf" | awk '$1 == "U" { print $2 }' |
		grep -vE '^(memcpy|memset|mi_port_[A-Za-z0-9_]+)$' >"$dir/lto/extern.txt"
	if [ -s "$dir/lto/extern.txt" ]; then
		err "$target: the LTO image needs $(tr '\n' ' ' <"$dir/lto/extern.txt")(only memcpy, memset, mi_port_*)"
	fi
	echo "card-check $target image (-flto, gc-sections from mi_applet_*): .text+.rodata=$lto_text" \
		".data+.bss=$2 max-stack=${img_stack:-0} ($img_func)"
}

# ---- resource sheet (figures, never a failure): sizes of the state structs
# and NV files per target, read back from the headers through a probe object
# (one char array per figure; nm -S gives its size).
sheet_sizes() {
	target=$1 cc=$2 nm=$3 extra=$4
	dir=$OUT/$target
	cat >"$dir/sheet_probe.c" <<-'PROBE'
		#include "mimsi/mi_applet.h"
		#include "mimsi/mi_ef.h"
		#include "mimsi/mi_state.h"
		char sheet_ram[sizeof(struct mi_ram)];
		char sheet_nv[sizeof(struct mi_nv)];
		char sheet_bank[MI_EF_CFG_SIZE + MI_EF_SLOTS_SIZE + MI_EF_RULES_SIZE];
		char sheet_state[MI_EF_STATE_SIZE];
	PROBE
	# shellcheck disable=SC2086
	$cc -std=c99 -ffreestanding -fno-common -Iapplet/include $extra -c "$dir/sheet_probe.c" \
		-o "$dir/sheet_probe.o" 2>/dev/null || return 0
	ram=0 nv=0 bank=0 state=0
	# shellcheck disable=SC2034
	while read -r _addr sz _type name; do
		case $name in
		sheet_ram) ram=$((0x$sz)) ;;
		sheet_nv) nv=$((0x$sz)) ;;
		sheet_bank) bank=$((0x$sz)) ;;
		sheet_state) state=$((0x$sz)) ;;
		esac
	done <<-EOF
		$($nm -S "$dir/sheet_probe.o")
	EOF
	set -- "$ram" "$nv" "$bank" "$state"
	echo "resource $target state: struct mi_ram $1 B RAM, struct mi_nv $2 B;" \
		"NV files: 2 banks x $3 B (CFG+SLOTS+RULES) + EF.MI_STATE $4 B = $((2 * $3 + $4)) B"
}

# NV writes per switch and per event (simulator port counters over every
# journey) and the worst instructions per mi_applet_* call with a 1,000-rule
# table (callgrind on the host build). Needs the host binaries that
# `make card-check` builds first.
sheet_dynamic() {
	build=${BUILD:-build}
	if [ -x "$build/simulator/tests/bench_nv_writes" ]; then
		"$build/simulator/tests/bench_nv_writes" --quiet
	else
		echo "resource nv: $build/simulator/tests/bench_nv_writes not built (make card-check builds it)"
	fi
	if ! command -v valgrind >/dev/null 2>&1 || [ ! -x "$build/applet/tests/bench_engine" ]; then
		echo "resource instructions: not measured (valgrind or $build/applet/tests/bench_engine missing)"
		return 0
	fi
	cg=$OUT/callgrind
	rm -rf "$cg"
	mkdir -p "$cg"
	dumps=""
	for f in install reset terminal_profile envelope terminal_response status; do
		dumps="$dumps --dump-after=mi_applet_$f"
	done
	# only the cost inside mi_applet_* is collected; one dump after each call
	# shellcheck disable=SC2086
	if ! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='mi_applet_*' $dumps \
		--callgrind-out-file="$cg/cg.out" "$build/applet/tests/bench_engine" --events \
		>"$cg/run.txt" 2>"$cg/valgrind.txt"; then
		echo "resource instructions: callgrind failed (see $cg/valgrind.txt)"
		return 0
	fi
	for f in "$cg"/cg.out.*; do
		awk '/^desc: Trigger: --dump-after=/ { sub(/.*=/, ""); t = $0 } /^totals:/ { print t, $2 }' "$f"
	done | awk '{ if ($2 > m[$1]) m[$1] = $2; n[$1]++ }
		END { for (k in m) printf "%s %d calls worst %d\n", k, n[k], m[k] }' | sort >"$cg/worst.txt"
	printf 'resource instructions (host x86-64 -O2, callgrind, 1,000-rule table, worst call):'
	awk '{ printf " %s %s (%s calls);", $1, $5, $2 }' "$cg/worst.txt"
	echo
}

# The same events on the Cortex-M0 build (the LTO image's flags), under
# QEMU's microbit machine (an nRF51: a real Cortex-M0, so a Thumb-2
# instruction faults): bench_engine --events records its calls
# (applet/tests/m0/m0_trace.h), the replay runs them, checks each answer
# against the host's and counts the instructions executed (-icount: the
# virtual clock moves 128 ns per instruction; m0_replay.c).
sheet_m0() {
	build=${BUILD:-build}
	m0=$OUT/cortex-m0/m0
	tracer=$build/applet/tests/m0/bench_engine_trace
	if ! command -v qemu-system-arm >/dev/null 2>&1; then
		echo "resource instructions cortex-m0: not measured (qemu-system-arm missing: scripts/deps.sh)"
		return 0
	fi
	if [ ! -x "$tracer" ]; then
		echo "resource instructions cortex-m0: not measured ($tracer not built: make card-check builds it)"
		return 0
	fi
	rm -rf "$m0"
	mkdir -p "$m0"
	if ! MI_M0_TRACE=$m0/m0.trace "$tracer" --events >"$m0/record.txt" 2>&1; then
		err "cortex-m0 replay: recording bench_engine --events failed (see $m0/record.txt)"
		return 0
	fi
	harness=""
	for f in applet/tests/m0/m0_*.c; do
		[ "$f" = applet/tests/m0/m0_trace_record.c ] || harness="$harness $f"
	done
	# shellcheck disable=SC2086,SC2046
	if ! arm-none-eabi-gcc $(echo "$FLAGS" | sed 's/-fstack-usage//') -mthumb -mcpu=cortex-m0 -flto \
		-ffunction-sections -fdata-sections -Iapplet/tests/m0 -nostartfiles \
		-T applet/tests/m0/m0.ld -Wl,--gc-sections -o "$m0/replay.elf" $harness $srcs \
		-lc_nano -lgcc >"$m0/build.err" 2>&1; then
		echo "resource instructions cortex-m0: not measured (the replay does not build: $m0/build.err)"
		return 0
	fi
	if ! (cd "$m0" && timeout 300 qemu-system-arm -M microbit -icount shift=7,align=off,sleep=off \
		-semihosting-config enable=on,target=native -nographic -monitor none -serial null \
		-kernel replay.elf) >"$m0/run.txt" 2>&1; then
		err "cortex-m0 replay under QEMU failed: $(grep -m1 '^m0:' "$m0/run.txt" || tail -n 1 "$m0/run.txt")"
		return 0
	fi
	awk '$1 == "m0-call" { if ($4 > m[$3]) m[$3] = $4; n[$3]++ }
		END { for (k in m) printf "%s %d %d\n", k, n[k], m[k] }' "$m0/run.txt" | sort >"$m0/worst.txt"
	printf 'resource instructions cortex-m0 (QEMU microbit, instructions executed, -flto -Os, 1,000-rule table, worst call):'
	awk '{ printf " %s %s (%s calls);", $1, $3, $2 }' "$m0/worst.txt"
	echo
	# the worst event: an envelope or TERMINAL RESPONSE (install and reset
	# are not events); 01 = REFRESH, the switch (TS 102 223 §9.4)
	awk '$1 == "m0-call" && $3 !~ /^(install|reset)$/ && $4 > w { w = $4; e = $3; c = $5 }
		END { printf "resource instructions cortex-m0 worst event: %d (%s%s), about %.2f ms at 20 MHz" \
			" if an instruction takes 1.3 cycles (assumed: Cortex-M0 loads and stores take 2," \
			" taken branches 3, most others 1)\n", w, e, c == "01" ? ", the switch: REFRESH sent" : "",
			w * 1.3 / 20000 }' "$m0/run.txt"
}

# ---- one target: build, nm -u, .su, size
# usage: check TARGET CC NM SIZE EXTRA_FLAGS
check() {
	target=$1 cc=$2 nm=$3 size=$4 extra=$5
	dir=$OUT/$target
	if ! command -v "$cc" >/dev/null 2>&1; then
		echo "card-check: $cc not found: run scripts/deps.sh (Debian: gcc-arm-none-eabi, gcc-avr)" >&2
		exit 69
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	objs=""
	for f in $srcs; do
		o=$dir/$(basename "$f" .c).o
		# shellcheck disable=SC2086
		if ! $cc $FLAGS $extra -c "$f" -o "$o" 2>"$dir/cc.err"; then
			cat "$dir/cc.err" >&2
			err "$target: $f does not build freestanding"
			continue
		fi
		objs="$objs $o"
	done
	[ -n "$objs" ] || return
	# symbols the objects need from outside the core: undefined minus defined
	# shellcheck disable=SC2086
	$nm -u $objs | awk '$1 == "U" { print $2 }' | sort -u >"$dir/undef.txt"
	# shellcheck disable=SC2086
	$nm -g --defined-only $objs | awk 'NF == 3 { print $3 }' | sort -u >"$dir/defined.txt"
	# __do_copy_data/__do_clear_bss: avr-gcc marks any object with .data or
	# .bss with them (start-up code hooks, not calls)
	comm -23 "$dir/undef.txt" "$dir/defined.txt" |
		grep -vE '^(memcpy|memset|mi_port_[A-Za-z0-9_]+|__do_copy_data|__do_clear_bss)$' \
		>"$dir/extern.txt"
	while read -r s; do
		# shellcheck disable=SC2086
		who=$($nm -A -u $objs 2>/dev/null | grep -w -- "$s" | sed 's/:.*//' |
			xargs -n1 basename 2>/dev/null | sort -u | tr '\n' ' ')
		case $s in
		__aeabi_[fd]* | __aeabi_*2f | __aeabi_*2d | __*[sdt]f[0-9]* | __*[sd]f | __float* | __fix* | __extend* | __trunc*)
			why="floating point helper" ;;
		*div* | *mod*) why="integer division helper (no divide instruction on this target)" ;;
		*mul*) why="multiplication helper (32-bit product on this target)" ;;
		mi_*) why="core symbol that no core file defines" ;;
		*) why="not memcpy/memset/mi_port_*" ;;
		esac
		err "$target: $s, $why, needed by: $who"
	done <"$dir/extern.txt"
	# no circle of files calling each other (scripts/core-graph.sh)
	# shellcheck disable=SC2086
	if ! NM=$nm scripts/core-graph.sh $objs >"$dir/graph.txt" 2>&1; then
		cat "$dir/graph.txt" >&2
		err "$target: files of $CORE_DIR call each other in a cycle"
	fi
	dyn=$(cat "$dir"/*.su 2>/dev/null | grep -aw dynamic)
	if [ -n "$dyn" ]; then
		err "$target: dynamic stack frame: $dyn"
	fi
	# Berkeley totals: text (code + rodata), data, bss
	# shellcheck disable=SC2086
	# shellcheck disable=SC2046
	set -- $($size -t $objs | awk '/\(TOTALS\)/ { print $1, $2, $3 }')
	text=${1:-0} data=${2:-0} bss=${3:-0}
	db=$((data + bss))
	top=$(cat "$dir"/*.su | awk -F'\t' '{ print $2, $1 }' | sort -n | tail -n 1)
	stack=${top%% *}
	func=$(echo "${top#* }" | sed 's/.*://')
	echo "card-check $target: .text=$text .data+.bss=$db max-stack=$stack ($func)"
	if [ "$target" = cortex-m0 ]; then
		image_figure "$dir" "$cc" "$size" "$extra" "$nm"
		if [ -z "$img_text" ]; then
			err "cortex-m0: the applet image could not be linked from mi_applet_*"
			img_text=$text img_db=$db
		fi
		[ "$img_text" -le $TEXT_MAX ] || err "cortex-m0: applet image .text $img_text > budget $TEXT_MAX"
		[ "$img_db" -le $DATA_MAX ] || err "cortex-m0: .data+.bss $img_db > budget $DATA_MAX"
		[ "${stack:-0}" -le $STACK_MAX ] || err "cortex-m0: stack frame $stack ($func) > budget $STACK_MAX"
		[ "${img_stack:-0}" -le $STACK_MAX ] ||
			err "cortex-m0: stack frame $img_stack ($img_func) in the LTO image > budget $STACK_MAX"
	fi
}

check host gcc nm size "-fno-stack-protector -fno-asynchronous-unwind-tables"
sheet_sizes host gcc nm "-fno-stack-protector"
check cortex-m0 arm-none-eabi-gcc arm-none-eabi-nm arm-none-eabi-size "-mthumb -mcpu=cortex-m0"
# the image of a UICC toolkit card, where the framework owns the events,
# menu and timers (MI_PORT_TOOLKIT in mi_port.h, docs/porting.md §8)
target=cortex-m0-fw-toolkit
image_figure "$OUT/$target" arm-none-eabi-gcc arm-none-eabi-size \
	"-mthumb -mcpu=cortex-m0 -DMI_PORT_TOOLKIT=MI_TOOLKIT_FRAMEWORK" arm-none-eabi-nm
[ "${img_text:-0}" -le $TEXT_MAX ] || err "$target: applet image .text $img_text > budget $TEXT_MAX"
sheet_sizes cortex-m0 arm-none-eabi-gcc arm-none-eabi-nm "-mthumb -mcpu=cortex-m0"
check avr avr-gcc avr-nm avr-size "-mmcu=atmega128"
sheet_sizes avr avr-gcc avr-nm "-mmcu=atmega128"
sheet_dynamic
sheet_m0

# shellcheck disable=SC2086
n=$(echo $srcs | wc -w)
if [ $fail -ne 0 ]; then
	echo "card-check: FAILED ($n core files)" >&2
	exit 1
fi
echo "card-check: passed ($n core files, 3 targets)"
