#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Install, only when missing, the Debian packages mimsi needs.
# Without root: print the exact apt-get line and stop with a clear message.
set -eu

BUILD_PKGS="gcc make pkg-config libpcsclite-dev libssl-dev libjansson-dev libcmocka-dev libnfc-dev libsqlite3-dev libcsv-dev"
# tests: sqlite3 (the stock checks query the database), pcscd + vpcd + scriptor for end-to-end, tshark to check that traces
# and CAT vectors decode (etsi_cat), python3 and procps for the test scripts, python3-pyscard for the
# independent modem (simulator/tests/indep-modem: PC/SC from Python, no mimsi code)
RUN_PKGS="pcscd vsmartcard-vpcd pcsc-tools tshark python3 python3-pyscard procps sqlite3"
# qemu-system-arm: make card-check counts the Cortex-M0 instructions per event on its microbit machine
FOOTPRINT_PKGS="gcc-arm-none-eabi libnewlib-arm-none-eabi gcc-avr avr-libc binutils-avr qemu-system-arm"
ALL_PKGS="$BUILD_PKGS $RUN_PKGS $FOOTPRINT_PKGS"

missing=""
for p in $ALL_PKGS; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = "installed" ] || missing="$missing $p"
done

if [ -z "$missing" ]; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "mimsi: these Debian packages are missing:$missing" >&2
	echo "mimsi: install them as root, then run make again:" >&2
	echo "  apt-get update && apt-get install -y$missing" >&2
	exit 1
fi

echo "mimsi: installing missing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "mimsi: packages installed"
