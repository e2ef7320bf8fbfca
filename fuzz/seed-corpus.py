#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Write the seed corpora fuzz/corpus/<target>/ from the vectors in
test-vectors/ (run from the repository root; the build does not run it).
Each seed is a small binary file named after its source vector.
With target names as arguments, only those corpora are written."""
import glob
import os
import re
import sys

OUT = "fuzz/corpus"
ONLY = set(sys.argv[1:])
HEXSTR = re.compile(r'"([0-9A-Fa-f ]*)"')


def hexbytes(s):
    s = re.sub(r"[^0-9A-Fa-f]", "", s)
    if len(s) % 2:
        return None
    return bytes.fromhex(s)


def hexfile(path):
    with open(path) as f:
        return hexbytes(f.read())


def data_args(path, funcs):
    """Quoted hex arguments of the lines of a .data file for funcs."""
    out = []
    with open(path) as f:
        for line in f:
            if line.startswith("#") or ":" not in line:
                continue
            fn = line.split(":", 1)[0]
            if fn not in funcs:
                continue
            for m in HEXSTR.findall(line):
                b = hexbytes(m)
                if b:
                    out.append((fn, b))
    return out


class Corpus:
    def __init__(self, target):
        self.seen = set()
        self.dir = None
        if ONLY and target not in ONLY:
            return
        self.dir = os.path.join(OUT, target)
        os.makedirs(self.dir, exist_ok=True)
        for old in os.listdir(self.dir):  # regenerated as a whole
            os.remove(os.path.join(self.dir, old))
        self.seen = set()

    def add(self, name, data):
        if self.dir is None or data is None or data in self.seen or len(data) > 8192:
            return
        self.seen.add(data)
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", name)[:60]
        with open(os.path.join(self.dir, "%s-%d" % (name, len(self.seen))), "wb") as f:
            f.write(data)


def apdu_lines():
    """C-APDUs of the simulator's APDU scripts ("name: C-APDU = R-APDU")."""
    out = []
    for path in sorted(glob.glob("test-vectors/apdu/*.apdu")):
        cmds = []
        with open(path) as f:
            for line in f:
                if line.startswith("#") or ":" not in line or "=" not in line:
                    continue
                cmd = line.split(":", 1)[1].split("=", 1)[0]
                b = hexbytes(cmd)
                if b:
                    cmds.append(b)
        out.append((os.path.basename(path), cmds))
    return out


def main():
    c = Corpus("btlv")
    for fn, b in data_args("test-vectors/codec/tlv.data", {"btlv_decode", "cat_walk"}):
        c.add(fn, b)
    for p in sorted(glob.glob("test-vectors/cat/*.hex")):
        c.add(os.path.basename(p), hexfile(p))

    c = Corpus("ctlv")
    for fn, b in data_args("test-vectors/codec/tlv.data", {"ctlv_decode", "cat_walk"}):
        c.add(fn, b)
    for p in sorted(glob.glob("test-vectors/cat/*.hex")):
        b = hexfile(p)
        # the C-TLVs inside a D0/D3/D6/D7 object, or a bare TERMINAL RESPONSE
        if b and b[0] >= 0xD0 and len(b) > 2:
            b = b[3:] if b[1] == 0x81 else b[2:]
        c.add(os.path.basename(p), b)

    c = Corpus("apdu")
    for fn, b in data_args("test-vectors/codec/apdu.data", {"apdu_parse"}):
        c.add(fn, b)
    for name, cmds in apdu_lines():
        for b in cmds[:6]:
            c.add(name, b)

    c = Corpus("bcd")
    for fn, b in data_args("test-vectors/codec/bcd.data", {"imsi_decode", "iccid_decode"}):
        c.add(fn, b)

    c = Corpus("plmn")
    for fn, b in data_args("test-vectors/codec/plmn.data",
                           {"plmn_decode", "plmnwact_decode"}):
        c.add(fn, b)
    for fn, b in data_args("test-vectors/codec/timer.data", {"timer_decode"}):
        c.add(fn, b)
    for text in ("262-01", "302-777", "26201", "302777", "213-77"):
        c.add("text", text.encode())

    # ef: byte 0 = mode (00 whole file; 80 | type-1: body to seal)
    c = Corpus("ef")
    files = sorted(glob.glob("test-vectors/ef/*.hex")) + \
        sorted(glob.glob("test-vectors/rules/valid/*/expected/ef_*.hex"))
    for p in files:
        b = hexfile(p)
        name = p.split("/")[-3] + "-" + os.path.basename(p) if "valid" in p else os.path.basename(p)
        if b and len(b) >= 14:
            c.add(name, b"\x00" + b)
            c.add(name + "-body", bytes([0x80 | (b[2] - 1) & 3]) + b[14:])
    for fn, b in data_args("test-vectors/ef/ef_check.data", {"ef_check"}):
        c.add(fn, b"\x00" + b)

    # applet_envelope: byte 0 = setup, then records op, len, data (fuzz_applet_envelope.c)
    c = Corpus("applet_envelope")
    drain = bytes([6, 1, 0]) * 6  # answer the start-up commands with OK
    for p in sorted(glob.glob("test-vectors/cat/*.hex")):
        name = os.path.basename(p)
        b = hexfile(p)
        if not b or len(b) > 255:
            continue
        if name.startswith("env_"):
            c.add(name, b"\x00" + drain + bytes([0, len(b)]) + b + drain)
            c.add(name + "-notimer", b"\x01" + drain + bytes([0, len(b)]) + b +
                  bytes([2, 0]) * 8 + drain)
        elif name.startswith("tr_"):
            c.add(name, b"\x00" + drain + bytes([1, len(b)]) + b)
    roam = hexfile("test-vectors/cat/env_location_normal_262_01.hex")
    roam = roam.replace(bytes.fromhex("62F210"), bytes.fromhex("12F377"))  # 213-77
    for result in (0x00, 0x03, 0x20, 0x32, 0x10):
        c.add("roam-result-%02x" % result, b"\x00" + drain + bytes([0, len(roam)]) + roam +
              bytes([6, 1, result]) * 4 + bytes([4, 0]) + drain)
    menu = hexfile("test-vectors/cat/env_menu_selection.hex")
    for item in (1, 2, 3, 0x80):
        c.add("menu-item-%02x" % item, b"\x00" + drain + bytes([0, len(menu)]) + menu +
              bytes([6, 4, 0x00, 0x90, 0x01, item]) + drain)
    c.add("safe-mode", b"\x04" + drain + bytes([0, len(roam)]) + roam + drain)
    # a compiled rule set into bank B (seq 2), reset, then roam
    plmns = ["12F377", "12F378", "12F355", "92F710", "72F630", "22F210", "32F210", "037277", "44F000", "62F210"]
    for case in sorted(glob.glob("test-vectors/rules/valid/*/expected")):
        name = case.split("/")[-2]
        seq = b"\x00" + drain
        for k, f in enumerate(("ef_cfg", "ef_slots", "ef_rules")):
            body = hexfile("%s/%s.hex" % (case, f))[14:]
            if len(body) < 255:
                seq += bytes([5, len(body) + 1, k]) + body
        seq += bytes([4, 0]) + drain
        c.add("set-b-" + name, seq)
        for plmn in plmns:
            env = roam.replace(bytes.fromhex("12F377"), bytes.fromhex(plmn))
            c.add("set-b-%s-%s" % (name, plmn), seq + bytes([0, len(env)]) + env +
                  bytes([6, 1, 0]) * 4 + bytes([2, 0]) * 4)

    # uicc_apdu: records len, cap (0 = 258), C-APDU (fuzz_uicc_apdu.c)
    c = Corpus("uicc_apdu")
    for name, cmds in apdu_lines():
        cmds = [x for x in cmds if len(x) < 256]
        for i in range(0, len(cmds), 16):
            seq = b"".join(bytes([len(x), 0]) + x for x in cmds[i:i + 16])
            c.add(name, seq)
            if name in ("admin.apdu", "cat.apdu", "pin.apdu") and i == 0:
                # power cut at NV write 1 or 2, 3 bytes of it kept
                c.add(name + "-tear1", bytes([254, 0, 3]) + seq)
                c.add(name + "-tear2", bytes([254, 1, 3]) + seq)

    # the CAT start-up on the default card (TERMINAL PROFILE, then FETCH and
    # TERMINAL RESPONSE OK for each command), then a location status
    # ENVELOPE (213-77) that saves the applet state: power cuts at NV writes
    # 1..4 of it exercise the journal recovery
    flow = ["80100000082800806111000001", "801200000E",
            "801400000C810301050082028281830100", "8012000013",
            "801400000C810301270082028281830100", "8012000013",
            "801400000C810301270082028281830100", "8012000020",
            "801400000C810301250082028281830100"]
    env = "D613990103820282811B0100130712F37700010002"
    flow_b = b"".join(bytes([len(hexbytes(x)), 0]) + hexbytes(x) for x in flow)
    env_b = hexbytes("80C2000015" + env)
    env_b = bytes([len(env_b), 0]) + env_b
    c.add("cat-flow", flow_b + env_b)
    for at in range(4):
        c.add("cat-flow-tear%d" % (at + 1), flow_b + bytes([254, at, 3]) + env_b + flow_b[:15])

    # rc_set: flags, BE lengths of CFG and SLOTS, then CFG, SLOTS, RULES
    c = Corpus("rc_set")
    for case in sorted(glob.glob("test-vectors/rules/valid/*/expected")) + ["test-vectors/ef"]:
        if case.endswith("ef"):
            files = [hexfile("test-vectors/ef/%s.hex" % n)
                     for n in ("cfg_default", "slots_andorra", "rules_andorra")]
        else:
            files = [hexfile("%s/%s.hex" % (case, n)) for n in ("ef_cfg", "ef_slots", "ef_rules")]
        head = len(files[0]).to_bytes(2, "big") + len(files[1]).to_bytes(2, "big")
        name = case.split("/")[-2]
        c.add(name, b"\x00" + head + b"".join(files))
        c.add(name + "-fixcrc", b"\x01" + head + b"".join(files))

    # rc_csv: the rate tables of the compiler's test cases
    c = Corpus("rc_csv")
    for p in sorted(glob.glob("test-vectors/rules/*/*/*.csv")):
        with open(p, "rb") as f:
            c.add(p.split("/")[-2] + "-" + os.path.basename(p), f.read())

    # csv (the host tools' reader, mc_csv): rate sheets, batch and import
    # files, quoting and comment cases; byte 0 = options, byte 1 = stop row
    # (fuzz/fuzz_csv.c)
    c = Corpus("csv")
    sheets = sorted(glob.glob("test-vectors/rules/valid/*/*.csv") +
                    glob.glob("test-vectors/scenarios/rules/*/*.csv") +
                    glob.glob("test-vectors/csv/*.csv"))
    for p in sheets:
        with open(p, "rb") as f:
            text = f.read()
        name = p.split("/")[-2] + "-" + os.path.basename(p)
        semi = b";" in text.split(b"\n", 2)[1 if text.startswith(b"#") else 0]
        opts = 0x01 | (0x02 if semi else 0)
        c.add(name, bytes([opts, 0]) + text)
        c.add(name + "-limits", bytes([opts | 0x04, 0]) + text)
        c.add(name + "-stop", bytes([opts | 0x18, 1]) + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
