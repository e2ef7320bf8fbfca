#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Write the small EF sets the mimsi-card tests load (test-vectors/apdu/host-set-*).

Layouts: applet/include/mimsi/mi_ef.h. Run from the repository root; the
output is committed, this script only documents how it was made.
"""
import os, struct, zlib

def seal(ftype, seq, body):
    hdr = b"MI" + bytes([ftype, 1]) + struct.pack(">HI", len(body), seq)
    return hdr + struct.pack(">I", zlib.crc32(hdr + body) & 0xFFFFFFFF) + body

def imsi_ef(d):
    n = [int(c) for c in d]
    first = (n[0] << 4) | (9 if len(n) % 2 else 1)  # TS 31.102 §4.2.2 parity
    rest = n[1:] + ([0xF] if len(n[1:]) % 2 else [])
    return bytes([(len(n) + 2) // 2, first] + [(rest[i + 1] << 4) | rest[i] for i in range(0, len(rest), 2)])

def plmn(mcc, mnc, three=False):
    a, b, c = (int(x) for x in "%03d" % mcc)
    m = "%03d" % mnc if three else "%02d" % mnc
    m3 = int(m[2]) if three else 0xF
    return bytes([(b << 4) | a, (m3 << 4) | c, (int(m[1]) << 4) | int(m[0])])

def slot(n, flags, spons, keys, imsi, oplmn):
    rec = bytes([n, flags, spons, keys, 2]) + imsi_ef(imsi) + bytes([len(oplmn), 0])
    for p in oplmn:
        rec += p + b"\xC0\x00"  # UTRAN + E-UTRAN (TS 31.102 §4.2.5)
    return rec

def cfg(rot):
    return struct.pack(">HHHBBBBB", rot, 180, 1440, 4, 3, 0x0C, 30, 6) + bytes(5)

def rules(n_extra):
    prof = [bytes([0x12, 0, 0, 0, 0, 0, 0]), bytes([0x21, 0, 0, 0, 0, 0, 0])]
    keys = [(262 << 12) | (1 << 11) | 1]
    keys += [((300 + i) << 12) for i in range(n_extra)]  # MCC defaults
    keys.sort()
    body = bytes([len(prof), 0]) + struct.pack(">H", len(keys)) + b"".join(prof)
    for i, k in enumerate(keys):
        body += struct.pack(">I", k)[1:] + bytes([i % 2])
    return body

def write(d, seq, rot, n_extra, imsi2):
    os.makedirs(d, exist_ok=True)
    slots = bytes([2]) + slot(1, 3, 0, 1, "262011234567890", [plmn(262, 1)]) + \
        slot(2, 0, 1, 2, imsi2, [plmn(213, 77), plmn(213, 78)])
    for name, t, body in (("ef_cfg", 1, cfg(rot)), ("ef_slots", 2, slots), ("ef_rules", 3, rules(n_extra))):
        f = seal(t, seq, body)
        open(os.path.join(d, name + ".bin"), "wb").write(f)
        open(os.path.join(d, name + ".hex"), "w").write(f.hex().upper() + "\n")

write("test-vectors/apdu/host-set-a", 1, 180, 40, "213770000000001")
write("test-vectors/apdu/host-set-b", 1, 240, 41, "213770000000001")
