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
# TCP state from /proc/net/tcp (no iproute2 needed): listening on a port,
# or a client connected to it (a card in that vpcd slot).
tcp_state() { # PORT STATE(0A listen, 01 established) FIELD(2 local, 3 remote)
	awk -v p="$(printf '%04X' "$1")" -v st="$2" -v f="$3" \
		'NR > 1 && $4 == st { split($f, a, ":"); if (a[2] == p) n++ } END { exit n ? 0 : 1 }' /proc/net/tcp
}
port_busy() { tcp_state "$1" 01 3; }

if ! ps -C pcscd -o stat= 2>/dev/null | grep -qv '^Z'; then
	pcscd -f -a >/dev/null 2>&1 &
	pcscd_pid=$!
fi
i=0
until tcp_state 35963 0A 2 || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -n "$pcscd_pid" ] && sleep 2.5 # let cards of other runs reconnect first
PORT=""
i=0
while [ -z "$PORT" ] && [ $i -lt 300 ]; do
	for p in ${MIMSI_VPCD_PORT:-35964 35963}; do
		exec 9>"/tmp/mimsi-vpcd-$p.lock"
		if command -v flock >/dev/null 2>&1 && ! flock -n 9; then continue; fi
		if port_busy "$p"; then exec 9>&-; continue; fi
		PORT=$p
		break
	done
	[ -z "$PORT" ] && sleep 0.2
	i=$((i + 1))
done
[ -n "$PORT" ] || { echo "bench_vpcd: no free vpcd slot; skipped"; exit 0; }
READER="Virtual PCD 00 0$((PORT - 35963))"
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
