#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The worked hex examples of docs/ef-format.md are real files: each has the
# "MI" magic, a known type, version 01, a body of the declared length and a
# CRC-32 (zlib, over header bytes 0..9 and the body) that matches, so the
# document vendors read cannot drift from the format. Checked with Python's
# zlib, independently of applet/core.
# Prints "check_ef_doc: N passed, N failed".
set -u
if ! command -v python3 >/dev/null 2>&1; then
	echo "check_ef_doc: python3 missing (scripts/deps.sh installs it)"
	echo "check_ef_doc: 0 passed, 1 failed"
	exit 1
fi
python3 - docs/ef-format.md <<'PY'
import re, sys, zlib

HEX = re.compile(r"^(?:[0-9A-F]{2})+$")
TYPES = {1: "CFG", 2: "SLOTS", 3: "RULES", 4: "STATE"}
files, cur, fence, after_example = [], None, False, False
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("```"):
        fence = not fence
        if not fence:
            after_example = False
            cur = None
        continue
    if not fence:
        if line.lower().startswith("worked example"):
            after_example = True
        continue
    if not after_example:
        continue
    hexpart = ""
    for tok in line.split():
        if not HEX.match(tok):
            break  # the comment column starts here
        hexpart += tok
    if not hexpart:
        continue
    if hexpart.startswith("4D49"):
        cur = bytearray()
        files.append(cur)
    if cur is not None:
        cur += bytes.fromhex(hexpart)

passed = failed = 0
for f in files:
    body_len = int.from_bytes(f[4:6], "big")
    crc = int.from_bytes(f[10:14], "big")
    name = TYPES.get(f[2], "type %02X" % f[2])
    problems = []
    if f[2] not in TYPES or f[3] != 1:
        problems.append("type/version %02X %02X" % (f[2], f[3]))
    if len(f) != 14 + body_len:
        problems.append("body is %d bytes, header says %d" % (len(f) - 14, body_len))
    if zlib.crc32(bytes(f[0:10]) + bytes(f[14:])) != crc:
        problems.append("CRC %08X does not match" % crc)
    ok = not problems
    passed, failed = passed + ok, failed + (not ok)
    print("  %s  EF.MI_%s example, %d body bytes%s" %
          ("PASS" if ok else "FAIL", name, len(f) - 14, "" if ok else ": " + "; ".join(problems)))
if not files:
    print("  FAIL  no worked example found")
    failed += 1
print("check_ef_doc: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
