#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Re-record the mimsi-card transcripts in test-vectors/apdu/host-*.apdu from
# the in-process simulator (run from the repository root after `make`).
# ADM/PIN bytes are recorded as XX, never in clear.
set -eu
M=${BUILD:-build}/mimsi-card
V=test-vectors/apdu
T=$(mktemp -d)
echo 12345678 >"$T/adm"
echo 87654321 >"$T/adm-wrong"
trap 'rm -rf "$T"' EXIT

hdr() { printf '# %s\n# recorded from the simulator default card by host/tests/record_transcripts.sh\n' "$1"; }

"$M" -r "sim:$T/c.json" --transcript "$T/t" info >/dev/null
{ hdr "mimsi-card info"; cat "$T/t"; } >"$V/host-info.apdu"

"$M" -r "sim:$T/c.json" --transcript "$T/t" write "$V/host-set-a" --adm-file "$T/adm" >/dev/null
{ hdr "mimsi-card write host-set-a onto a card with empty banks (seq 1 into bank A)"; cat "$T/t"; } >"$V/host-write-first.apdu"

"$M" -r "sim:$T/c.json" --transcript "$T/t" write "$V/host-set-a" --adm-file "$T/adm" >/dev/null
{ hdr "mimsi-card write host-set-a again: identical, 0 UPDATE BINARY, no VERIFY"; cat "$T/t"; } >"$V/host-write-identical.apdu"

"$M" -r "sim:$T/c.json" --transcript "$T/t" write "$V/host-set-b" --adm-file "$T/adm" >/dev/null
{ hdr "mimsi-card write host-set-b over set A: seq 2 into bank B"; cat "$T/t"; } >"$V/host-write-second.apdu"

"$M" -r "sim:$T/c.json" --transcript "$T/t" write "$V/host-set-a" --adm-file "$T/adm-wrong" >/dev/null 2>&1 || true
{ hdr "mimsi-card write with a wrong ADM: 63C2 (2 tries left), nothing written"; cat "$T/t"; } >"$V/host-wrong-adm.apdu"

"$M" -r "sim:$T/n.json" apdu 0020000A083132333435363738 00A40004023F00 00E40000027F4D >/dev/null
"$M" -r "sim:$T/n.json" --transcript "$T/t" write "$V/host-set-a" --adm-file "$T/adm" --create >/dev/null
{ hdr "mimsi-card write --create on a card without DF.MIMSI: CREATE FILE DF + 7 EFs"; cat "$T/t"; } >"$V/host-create.apdu"
echo "recorded: $(ls $V/host-*.apdu | wc -l) transcripts"
