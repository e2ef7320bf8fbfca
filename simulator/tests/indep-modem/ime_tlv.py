# SPDX-License-Identifier: Apache-2.0
"""The codecs an ME needs to talk to a UICC, written from the standards
alone (no mimsi code): BER-TLV and COMPREHENSION-TLV (ETSI TS 101 220
§7.1.1 and §7.1.2, TS 102 223 Annex C), the BCD of an IMSI (TS 31.102
§4.2.2), of a PLMN (TS 24.008 §10.5.1.3) and of a timer value (TS 102 223
§8.38), and the SMS-SUBMIT fields a PoR travels in (TS 23.040 §9.2.2.2)."""


class TlvError(ValueError):
    """Bytes that are not the TLV they claim to be."""


def _length(buf, i):
    """TS 101 220 §7.1.2 (TS 102 223 Annex C): 00..7F in one byte, 81 xx
    for 80..FF, 82 xx xx up to FFFF. Returns (length, next index)."""
    if i >= len(buf):
        raise TlvError("length missing at offset %d" % i)
    b = buf[i]
    if b < 0x80:
        return b, i + 1
    if b == 0x81:
        if i + 1 >= len(buf) or buf[i + 1] < 0x80:
            raise TlvError("bad 81 length at offset %d" % i)
        return buf[i + 1], i + 2
    if b == 0x82:
        if i + 2 >= len(buf):
            raise TlvError("short 82 length at offset %d" % i)
        return buf[i + 1] << 8 | buf[i + 2], i + 3
    raise TlvError("length byte %02X not allowed at offset %d" % (b, i))


def encode_length(n):
    if n < 0x80:
        return bytes([n])
    if n <= 0xFF:
        return bytes([0x81, n])
    return bytes([0x82, n >> 8, n & 0xFF])


def ber_tlv(buf):
    """One BER-TLV object with a one-byte tag (TS 101 220 §7.1.1: the
    card application toolkit tags D0..DF are single bytes). Returns (tag,
    value); trailing bytes are an error (a FETCH answer is exactly one)."""
    buf = bytes(buf)
    if len(buf) < 2:
        raise TlvError("BER-TLV shorter than two bytes")
    tag = buf[0]
    if tag & 0x1F == 0x1F:
        raise TlvError("multi-byte BER tag %02X: not a CAT object" % tag)
    n, i = _length(buf, 1)
    if i + n != len(buf):
        raise TlvError("BER-TLV %02X says %d bytes, holds %d" % (tag, n, len(buf) - i))
    return tag, buf[i:i + n]


def ber_tlv_encode(tag, value):
    return bytes([tag]) + encode_length(len(value)) + bytes(value)


def ctlvs(buf):
    """Every COMPREHENSION-TLV of buf in order (TS 101 220 §7.1.2.1):
    a one-byte tag (CR = b8, tag value b7..b1; 00, 80 and FF are not tags)
    or the three-byte form 7F/FF, CR + 15-bit tag. Returns a list of
    (tag without CR, comprehension required, value)."""
    buf = bytes(buf)
    out = []
    i = 0
    while i < len(buf):
        t = buf[i]
        if t in (0x00, 0x80, 0xFF):
            raise TlvError("%02X is not a COMPREHENSION-TLV tag (offset %d)" % (t, i))
        if t == 0x7F:
            if i + 2 >= len(buf):
                raise TlvError("short three-byte tag at offset %d" % i)
            cr = bool(buf[i + 1] & 0x80)
            tag = (buf[i + 1] & 0x7F) << 8 | buf[i + 2]
            i += 3
        else:
            cr = bool(t & 0x80)
            tag = t & 0x7F
            i += 1
        n, i = _length(buf, i)
        if i + n > len(buf):
            raise TlvError("COMPREHENSION-TLV %02X says %d bytes, %d left" % (tag, n, len(buf) - i))
        out.append((tag, cr, buf[i:i + n]))
        i += n
    return out


def ctlv(tag, value, cr=True):
    """One COMPREHENSION-TLV with a one-byte tag (all the ME sends)."""
    return bytes([(0x80 if cr else 0) | tag]) + encode_length(len(value)) + bytes(value)


def find(objs, tag):
    """The value of the first object with tag, or None."""
    for t, _, v in objs:
        if t == tag:
            return v
    return None


def imsi_decode(ef):
    """EF_IMSI (TS 31.102 §4.2.2): byte 1 the length in bytes, then the
    digits in BCD, low nibble first, the first nibble being the parity /
    identity type (9 odd, 1 even) that is not a digit."""
    ef = bytes(ef)
    if len(ef) < 2 or ef[0] < 1 or ef[0] > 8 or 1 + ef[0] > len(ef):
        raise TlvError("EF_IMSI length byte %02X" % (ef[0] if ef else 0))
    nib = []
    for b in ef[1:1 + ef[0]]:
        nib += [b & 0x0F, b >> 4]
    parity, digits = nib[0], nib[1:]
    if parity & 0x07 != 0x01:
        raise TlvError("EF_IMSI identity type %X is not IMSI" % parity)
    if not parity & 0x08:  # even number of digits: the last nibble is filler F
        if digits[-1] != 0x0F:
            raise TlvError("EF_IMSI: even IMSI without filler")
        digits = digits[:-1]
    if any(d > 9 for d in digits):
        raise TlvError("EF_IMSI: a nibble that is not a digit")
    return "".join(str(d) for d in digits)


def plmn_encode(plmn):
    """MCC-MNC text to the three bytes of TS 24.008 §10.5.1.3 (MCC2 MCC1,
    MNC3 MCC3, MNC2 MNC1; MNC3 = F for a two-digit MNC)."""
    mcc, mnc = plmn.split("-")
    if len(mcc) != 3 or len(mnc) not in (2, 3) or not (mcc + mnc).isdigit():
        raise ValueError("PLMN %r is not MCC-MNC" % plmn)
    d = [int(c) for c in mcc + mnc]
    mnc3 = d[5] if len(mnc) == 3 else 0x0F
    return bytes([d[1] << 4 | d[0], mnc3 << 4 | d[2], d[4] << 4 | d[3]])


def _bcd_swapped(v):
    return (v % 10) << 4 | (v // 10)


def timer_value_decode(v):
    """TS 102 223 §8.38: hours, minutes, seconds, each a byte of two BCD
    digits with the nibbles swapped (as TS 23.040 §9.2.3.11). Seconds."""
    if len(v) != 3:
        raise TlvError("timer value of %d bytes" % len(v))
    h, m, s = [(b & 0x0F) * 10 + (b >> 4) for b in v]
    return h * 3600 + m * 60 + s


def timer_value_encode(secs):
    secs = max(0, min(int(secs), 99 * 3600 + 59 * 60 + 59))
    return bytes([_bcd_swapped(secs // 3600), _bcd_swapped(secs // 60 % 60),
                  _bcd_swapped(secs % 60)])


def sms_submit_user_data(tpdu):
    """TP-UD of an SMS-SUBMIT (TS 23.040 §9.2.2.2), UDH included: what the
    ME sends to the network, here the PoR (TS 31.115 §4.3 / TS 102 225
    §5.2). 8-bit data assumed (DCS class 2, 8 bit: TS 31.115 §4.2)."""
    t = bytes(tpdu)
    if len(t) < 7 or t[0] & 0x03 != 0x01:
        raise TlvError("not an SMS-SUBMIT")
    i = 2                                  # first octet, TP-MR
    i += 2 + (t[i] + 1) // 2               # TP-DA: digits, TON/NPI, BCD
    i += 2                                 # TP-PID, TP-DCS
    vpf = (t[0] >> 3) & 0x03               # §9.2.3.3 validity period format
    i += {0: 0, 2: 1, 1: 7, 3: 7}[vpf]
    if i >= len(t):
        raise TlvError("SMS-SUBMIT ends before TP-UDL")
    udl = t[i]
    ud = t[i + 1:]
    if udl != len(ud):
        raise TlvError("SMS-SUBMIT TP-UDL %d, %d bytes follow" % (udl, len(ud)))
    return ud
