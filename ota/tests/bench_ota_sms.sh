#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Bench: SMS per OTA update with mimsi-ota (ciphered, with CC and counter,
# SPI 16 19, key version 3 of the default card):
#  1. one changed rate of the generated world set (bench_compile: 1,000
#     PLMNs, row 1234 -> 0.01, compiled with --base) -> target 1 SMS;
#  2. a slot replacement of that world set with IMSI, K/OPc and new OPLMN
#     and FPLMN lists -> target <= 2 SMS.
set -u
BUILD=${BUILD:-build}
OTA="$BUILD/mimsi-ota"
COMPILE_BENCH="$BUILD/rules-compiler/tests/bench_compile"
KEYS=test-vectors/ota/default-card-keys.json
[ -x "$OTA" ] && [ -x "$COMPILE_BENCH" ] || { echo "bench_ota_sms: build mimsi-ota and bench_compile first"; exit 1; }

out=$(BENCH_KEEP=1 "$COMPILE_BENCH")
dir=$(printf '%s\n' "$out" | sed -n 's/^kept //p')
[ -d "$dir" ] || { echo "bench_ota_sms: bench_compile kept no sets"; exit 1; }
trap 'rm -rf "$dir"' EXIT

summary() { sed -n 's/.*"sms_count": \([0-9]*\), "bytes": \([0-9]*\).*/\1 SMS, \2 packet bytes/p'; }
n=$("$OTA" build --keys "$KEYS" --kvn 3 --counter 1 --set "$dir/set2" --base "$dir/set" --out json | summary)
echo "one changed rate of the world set (compile --base): $n (target 1 SMS, ciphered, with CC)"
printf 'k1 = 000102030405060708090A0B0C0D0E0F\nopc1 = 0F0E0D0C0B0A09080706050403020100\n' >"$dir/k.keys"
n=$("$OTA" build --keys "$KEYS" --kvn 3 --counter 1 --slot 1 --base "$dir/set" --imsi 262019876543210 \
	--oplmn 262-02,262-03,232-01 --fplmn 262-07 --slot-keys "$dir/k.keys" --out json | summary)
echo "slot replacement (IMSI, K/OPc, OPLMN and FPLMN lists): $n (target <= 2 SMS)"
