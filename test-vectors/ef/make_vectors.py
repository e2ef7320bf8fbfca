#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Regenerate the worked EF examples of test-vectors/ef/ from the layouts in
applet/include/mimsi/mi_ef.h, independently of the C code (CRC from zlib).
Not run by the build: the .hex files are checked in and read by test_ef.c."""
import struct
import zlib


def imsi_ef(digits):
    # TS 31.102 §4.2.2: length byte, then [parity|type 001] d1 .. dN swapped, F padded
    nib = [9 if len(digits) % 2 else 1] + [int(d) for d in digits]
    if len(nib) % 2:
        nib.append(0xF)
    body = bytes((nib[i + 1] << 4) | nib[i] for i in range(0, len(nib), 2))
    return bytes([len(body)]) + body + b"\xff" * (8 - len(body))


def plmn(mcc, mnc):
    # TS 24.008 §10.5.1.13
    m = [int(c) for c in mcc]
    n = [int(c) for c in mnc] + ([0xF] if len(mnc) == 2 else [])
    return bytes([(m[1] << 4) | m[0], (n[2] << 4) | m[2], (n[1] << 4) | n[0]])


def seal(typ, seq, body):
    hdr = b"MI" + bytes([typ, 1]) + struct.pack(">HI", len(body), seq)
    return hdr + struct.pack(">I", zlib.crc32(hdr + body)) + body


def cfg_body(rot=180, dwell=180, reeval=1440, pref=4, fb=3, flags=0x0E, poll=30, fomax=6):
    return struct.pack(">HHHBBBBB", rot, dwell, reeval, pref, fb, flags, poll, fomax) + bytes(5)


def slot_rec(slot, flags, sponsor, keyset, mnc_len, imsi, oplmn=(), fplmn=()):
    rec = bytes([slot, flags, sponsor, keyset, mnc_len]) + imsi_ef(imsi)
    rec += bytes([len(oplmn), len(fplmn)])
    for p, act in oplmn:
        rec += p + struct.pack(">H", act)
    for p in fplmn:
        rec += p
    return rec


def profile(pref, forbidden=0):
    nib = list(pref) + [0] * (10 - len(pref))
    return bytes((nib[i] << 4) | nib[i + 1] for i in range(0, 10, 2)) + struct.pack(">H", forbidden)


def key(mcc, mnc=None):
    if mnc is None:
        return int(mcc) << 12
    return int(mcc) << 12 | 1 << 11 | (len(mnc) == 3) << 10 | int(mnc)


def rule(k, prof):
    return struct.pack(">I", k)[1:] + bytes([prof])


def write(name, data):
    with open(name, "w") as f:
        f.write(data.hex().upper() + "\n")


ACT = 0x8000 | 0x4000 | 0x0080  # UTRAN + E-UTRAN + GSM, TS 31.102 §4.2.5
write("cfg_default.hex", seal(1, 1, cfg_body()))
slots = bytes([2])
slots += slot_rec(1, 0x03, 0, 1, 2, "262011234567890")
slots += slot_rec(2, 0x00, 1, 2, 2, "213770000000001",
                  oplmn=[(plmn("213", "77"), ACT), (plmn("213", "78"), ACT)],
                  fplmn=[plmn("262", "01")])
write("slots_andorra.hex", seal(2, 1, slots))
profs = [profile([1, 2]), profile([2, 1]), profile([1], forbidden=0x0002)]
rules = [rule(key("213"), 1), rule(key("213", "77"), 1), rule(key("213", "78"), 1),
         rule(key("262", "01"), 2)]
body = bytes([len(profs), 0]) + struct.pack(">H", len(rules)) + b"".join(profs) + b"".join(rules)
write("rules_andorra.hex", seal(3, 1, body))
