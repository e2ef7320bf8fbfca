# SPDX-License-Identifier: Apache-2.0
"""The UICC as an ME reaches it over PC/SC (pcsc-lite through pyscard's
thin SCard* wrapper): power-up and reset, the T=0 procedure bytes an ME
resolves itself (61xx, 6Cxx: TS 102 221 §7.3.1.1.4 / ISO 7816-3 §10.3.4),
and the USIM file access (TS 102 221 §11.1.1 SELECT, §11.1.3 READ BINARY,
§11.1.5 READ RECORD; TS 31.102 §5.1.1 USIM initialisation)."""

from smartcard import scard

from ime_tlv import imsi_decode

USIM_AID_PREFIX = bytes.fromhex("A0000000871002")  # TS 101 220 Annex E, 3GPP USIM


class CardError(Exception):
    """The reader or the card failed (not a status word: those are data)."""


class Card:
    def __init__(self, reader, log=None):
        self.reader = reader
        self.log = log
        self.apdus = 0
        self.fetch_len = 0           # 91xx seen: a proactive command of xx bytes waits
        self.aid = None              # the USIM's AID, once read from EF_DIR
        self.ctx = None
        self.hcard = None
        self.pci = None
        hr, self.ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hr != scard.SCARD_S_SUCCESS:
            raise CardError("no PC/SC service: %s" % scard.SCardGetErrorMessage(hr))
        hr, readers = scard.SCardListReaders(self.ctx, [])
        if hr != scard.SCARD_S_SUCCESS or reader not in readers:
            raise CardError("reader %r not found (readers: %s)" % (reader, readers))
        hr, self.hcard, proto = scard.SCardConnect(
            self.ctx, reader, scard.SCARD_SHARE_EXCLUSIVE,
            scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1)
        if hr != scard.SCARD_S_SUCCESS:
            raise CardError("%s: %s" % (reader, scard.SCardGetErrorMessage(hr)))
        self._set_pci(proto)

    def _set_pci(self, proto):
        self.pci = scard.SCARD_PCI_T0 if proto == scard.SCARD_PROTOCOL_T0 else scard.SCARD_PCI_T1

    def close(self):
        if self.hcard is not None:
            scard.SCardDisconnect(self.hcard, scard.SCARD_LEAVE_CARD)
            self.hcard = None
        if self.ctx is not None:
            scard.SCardReleaseContext(self.ctx)
            self.ctx = None

    def reset(self):
        """A warm reset (REFRESH UICC reset, TS 102 223 §6.4.7)."""
        hr, proto = scard.SCardReconnect(self.hcard, scard.SCARD_SHARE_EXCLUSIVE,
                                         scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
                                         scard.SCARD_RESET_CARD)
        if hr != scard.SCARD_S_SUCCESS:
            raise CardError("reset: %s" % scard.SCardGetErrorMessage(hr))
        self._set_pci(proto)

    def raw(self, apdu):
        """One exchange as it crosses the interface: (data, SW1SW2)."""
        hr, rsp = scard.SCardTransmit(self.hcard, self.pci, list(apdu))
        self.apdus += 1
        if hr != scard.SCARD_S_SUCCESS or len(rsp) < 2:
            raise CardError("transmit: %s" % scard.SCardGetErrorMessage(hr))
        sw = rsp[-2] << 8 | rsp[-1]
        if self.log:
            self.log("> %s\n< %s %04X" % (bytes(apdu).hex().upper(), bytes(rsp[:-2]).hex().upper(), sw))
        return bytes(rsp[:-2]), sw

    def send(self, apdu):
        """A command with the procedure an ME follows: 6Cxx sends it again
        with Le = xx; 61xx (and the GSM 9Fxx) fetches the response with GET
        RESPONSE; 91xx is a success with a proactive command waiting (TS
        102 221 §14.6.2): its length is kept for the FETCH. 9300 and
        errors go back to the caller."""
        apdu = bytes(apdu)
        data, sw = self.raw(apdu)
        if sw >> 8 == 0x6C:
            fixed = apdu[:4] + bytes([sw & 0xFF]) if len(apdu) <= 5 else apdu[:-1] + bytes([sw & 0xFF])
            data, sw = self.raw(fixed)
        while sw >> 8 in (0x61, 0x9F):
            # TS 102 221 §10.1.1: GET RESPONSE is of class 0X (channel bits kept)
            more, sw = self.raw(bytes([apdu[0] & 0x03, 0xC0, 0x00, 0x00, sw & 0xFF]))
            data += more
        if sw >> 8 == 0x91:
            self.fetch_len = sw & 0xFF
            sw = 0x9000
        return data, sw

    # --- files ---------------------------------------------------------------------------
    def select(self, fid):
        """SELECT by file id, FCP returned (P2 04)."""
        return self.send(bytes([0x00, 0xA4, 0x00, 0x04, 0x02, fid >> 8, fid & 0xFF]))

    def read_binary(self, n):
        data, sw = self.send(bytes([0x00, 0xB0, 0x00, 0x00, n]))
        if sw != 0x9000:
            raise CardError("READ BINARY answered %04X" % sw)
        return data

    def usim_aid(self):
        """The USIM's AID from EF_DIR (TS 102 221 §13.1: records 61 L 4F
        len AID ...), else the bare 3GPP prefix (SELECT by partial name)."""
        _, sw = self.select(0x3F00)
        data, sw = self.select(0x2F00)
        if sw == 0x9000:
            for rec in range(1, 16):
                r, sw = self.send(bytes([0x00, 0xB2, rec, 0x04, 0x00]))
                if sw != 0x9000:
                    break
                if len(r) > 4 and r[0] == 0x61 and r[2] == 0x4F and r[4:4 + r[3]].startswith(USIM_AID_PREFIX):
                    return r[4:4 + r[3]]
        return USIM_AID_PREFIX

    def select_usim(self):
        if self.aid is None:
            self.aid = self.usim_aid()
        _, sw = self.send(bytes([0x00, 0xA4, 0x04, 0x04, len(self.aid)]) + self.aid)
        if sw != 0x9000:
            raise CardError("SELECT ADF.USIM answered %04X" % sw)

    def read_imsi(self):
        """EF_IMSI (TS 31.102 §4.2.2, FID 6F07 under ADF.USIM), 9 bytes."""
        self.select_usim()
        _, sw = self.select(0x6F07)
        if sw != 0x9000:
            raise CardError("SELECT EF_IMSI answered %04X" % sw)
        return imsi_decode(self.read_binary(9))
