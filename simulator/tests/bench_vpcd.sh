#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Round-trip APDUs per second through real PC/SC: pcsc-lite client -> pcscd ->
# vpcd driver -> mimsi-sim serve, SELECT + READ BINARY pairs. Starts pcscd only
# if none runs and stops only what it started; uses the first vpcd slot
# (35964, 35963) with no card connected, under /tmp/mimsi-vpcd-PORT.lock.
set -u
BUILD=${BUILD:-build}
SIM="$BUILD/mimsi-sim"
N=${MIMSI_BENCH_PAIRS:-2000}

for tool in pcscd cc pkg-config; do
	command -v "$tool" >/dev/null 2>&1 || { echo "bench_vpcd: $tool missing (scripts/deps.sh); skipped"; exit 0; }
done
[ -x "$SIM" ] || { echo "bench_vpcd: $SIM not built"; exit 1; }
. scripts/vpcd-lib.sh
mimsi_run_begin bench-vpcd
mimsi_pcscd_up
pcscd_pid=$MIMSI_PCSCD_PID
mimsi_vpcd_slot 60 || { echo "bench_vpcd: no free vpcd slot"; exit 1; }
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
echo "bench_vpcd: slot 127.0.0.1:$PORT (\"$READER\"), $N SELECT + READ BINARY pairs"
"$tmp/pcsc_client" "$READER" bench "$N"
