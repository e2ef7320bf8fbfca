#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Round-trip APDUs per second through real PC/SC: pcsc-lite client -> pcscd ->
# vpcd driver -> mimsi-sim serve, SELECT + READ BINARY pairs. Starts pcscd only
# if none runs and stops only what it started (slot: MIMSI_VPCD_PORT, 35964).
set -u
BUILD=${BUILD:-build}
SIM="$BUILD/mimsi-sim"
PORT=${MIMSI_VPCD_PORT:-35964}
READER="Virtual PCD 00 0$((PORT - 35963))"
N=${MIMSI_BENCH_PAIRS:-2000}

for tool in pcscd cc pkg-config; do
	command -v "$tool" >/dev/null 2>&1 || { echo "bench_vpcd: $tool missing (scripts/deps.sh); skipped"; exit 0; }
done
[ -x "$SIM" ] || { echo "bench_vpcd: $SIM not built"; exit 1; }
tmp=$(mktemp -d /tmp/mimsi-bench-vpcd.XXXXXX)
pcscd_pid=""
sim_pid=""
cleanup() {
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
	[ -n "$pcscd_pid" ] && kill "$pcscd_pid" 2>/dev/null && wait "$pcscd_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
exec 9>"/tmp/mimsi-vpcd-$PORT.lock"
command -v flock >/dev/null 2>&1 && flock -w 60 9
if [ -n "$(ss -tnH state established "( dport = :$PORT )" 2>/dev/null)" ]; then
	echo "bench_vpcd: another card is connected to vpcd slot $PORT; skipped (set MIMSI_VPCD_PORT)"
	exit 0
fi

# a live pcscd (zombies left by others do not count)
if ! ps -C pcscd -o stat= 2>/dev/null | grep -qv '^Z'; then
	pcscd -f -a >/dev/null 2>&1 &
	pcscd_pid=$!
fi
i=0
until ss -ltn 2>/dev/null | grep -q ":$PORT " || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
cc -std=c99 -O2 -D_POSIX_C_SOURCE=200809L $(pkg-config --cflags libpcsclite) \
	simulator/tests/pcsc/pcsc_client.c -o "$tmp/pcsc_client" $(pkg-config --libs libpcsclite) || exit 1
"$SIM" serve --vpcd "127.0.0.1:$PORT" 2>/dev/null &
sim_pid=$!
i=0
until "$tmp/pcsc_client" "$READER" bench 1 >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -ge 50 ] && { echo "bench_vpcd: card never appeared in \"$READER\""; exit 1; }
	sleep 0.1
done
"$tmp/pcsc_client" "$READER" bench "$N"
