#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Run every benchmark binary and script; each prints its own figures.
# usage: bench.sh BIN... -- SCRIPT...
set -eu
mode=bin
for arg in "$@"; do
	if [ "$arg" = "--" ]; then mode=script; continue; fi
	echo "== ${arg##*/}"
	if [ "$mode" = bin ]; then "$arg"; else sh "$arg"; fi
done
