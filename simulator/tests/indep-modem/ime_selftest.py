#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The independent modem's codecs on hand-made bytes, edges included
(check_indep_modem.sh runs it first). Prints "ime_selftest: N passed, N failed"."""

import sys

import ime_tlv as tlv

passed = failed = 0


def check(what, got, want):
    global passed, failed
    if got == want:
        passed += 1
    else:
        failed += 1
        print("FAIL %s: got %r, want %r" % (what, got, want))


def raises(what, fn, *args):
    global passed, failed
    try:
        fn(*args)
    except (tlv.TlvError, ValueError):
        passed += 1
        return
    failed += 1
    print("FAIL %s: no error" % what)


h = bytes.fromhex
# a REFRESH as a card sends it (TS 102 223 §6.6.13): D0, command details, device ids UICC -> terminal
tag, val = tlv.ber_tlv(h("D009810301010482028182"))
check("BER tag", tag, 0xD0)
check("CTLVs", tlv.ctlvs(val), [(0x01, True, h("010104")), (0x02, True, h("8182"))])
# two-byte length form 81 xx (TS 102 223 Annex C)
big = bytes(0x90)
check("81 length", tlv.ber_tlv(h("D08190") + big), (0xD0, big))
raises("81 with a short length", tlv.ber_tlv, h("D0817F") + bytes(0x7F))
raises("length beyond the data", tlv.ber_tlv, h("D00A8103010104"))
raises("trailing bytes", tlv.ber_tlv, h("D00081"))
raises("multi-byte BER tag", tlv.ber_tlv, h("1F0100"))
# three-byte COMPREHENSION-TLV tag 7F, CR in the second byte (TS 101 220 §7.1.2.1)
check("3-byte tag", tlv.ctlvs(h("7F80010101")), [(0x0001, True, h("01"))])
raises("tag 00", tlv.ctlvs, h("000100"))
raises("value beyond the data", tlv.ctlvs, h("81040101"))
check("encode 81", tlv.ctlv(0x0B, bytes(200))[:3], h("8B81C8"))
# EF_IMSI (TS 31.102 §4.2.2): 15 digits (odd: 9), 14 digits (even: 1 and filler F)
check("IMSI odd", tlv.imsi_decode(h("082926102143658709")), "262011234567890")
check("IMSI even", tlv.imsi_decode(h("0811325476981032F4")), "12345678901234")
raises("IMSI length byte", tlv.imsi_decode, h("09FFFFFFFFFFFFFFFFFF"))
raises("IMSI type", tlv.imsi_decode, h("08FFFFFFFFFFFFFFFF"))
# PLMN (TS 24.008 §10.5.1.3)
check("PLMN 2-digit MNC", tlv.plmn_encode("276-03"), h("72F630"))
check("PLMN 3-digit MNC", tlv.plmn_encode("310-410"), h("130014"))
raises("PLMN text", tlv.plmn_encode, "27603")
# timer value (TS 102 223 §8.38): 00h 03m 00s, and 23h 59m 59s
check("timer 180 s", tlv.timer_value_decode(h("003000")), 180)
check("timer back", tlv.timer_value_encode(86399), h("329595"))
# SMS-SUBMIT (TS 23.040 §9.2.2.2): UDHI, no validity period, DA 4 digits, 8-bit, TP-UD with UDH
sub = h("41" "00" "04" "81" "2143" "7F" "F6" "06" "027100" "AABBCC")
check("PoR user data", tlv.sms_submit_user_data(sub), h("027100AABBCC"))
raises("TP-UDL mismatch", tlv.sms_submit_user_data, sub[:-1])
raises("not a SUBMIT", tlv.sms_submit_user_data, h("04") + sub[1:])

print("ime_selftest: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
