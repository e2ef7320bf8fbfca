#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""indep-modem: an ME that shares no code with mimsi's C simulator, for
checking a served card over PC/SC. It powers the card up as a terminal
does (USIM selection, TERMINAL PROFILE, EF_IMSI), registers on one PLMN
(the location status event), passes SMS-PP (U)SIM data download messages
to the card, answers every proactive command, keeps TIMER MANAGEMENT
timers and STATUS polls in virtual time, and reads EF_IMSI again after a
REFRESH. What it saw goes out as JSON.

The card application toolkit side is TS 102 223 (with TS 31.111 for the
3GPP parts); the interface is TS 102 221."""

import argparse
import json
import os
import sys

from ime_card import Card, CardError
import ime_tlv as tlv

EX_OK, EX_USAGE, EX_DATAERR, EX_NOINPUT, EX_UNAVAILABLE, EX_IOERR = 0, 64, 65, 66, 69, 74

# TS 102 223 §9.4 type of command; §8.12 general result
REFRESH, MORE_TIME, POLL_INTERVAL, POLLING_OFF, SET_UP_EVENT_LIST = 0x01, 0x02, 0x03, 0x04, 0x05
SEND_SHORT_MESSAGE, TIMER_MANAGEMENT, PROVIDE_LOCAL_INFO = 0x13, 0x27, 0x26
RES_OK, RES_UNABLE, RES_TIMER_CONTRADICTION, RES_BEYOND, RES_TYPE_UNKNOWN = 0x00, 0x20, 0x24, 0x30, 0x31
RES_REQUIRED_MISSING = 0x36
# TS 102 223 §8.7 device identities; §9.3 COMPREHENSION-TLV tags (without CR)
DEV_UICC, DEV_TERMINAL, DEV_NETWORK = 0x81, 0x82, 0x83
T_CMD_DETAILS, T_DEVICES, T_RESULT, T_DURATION, T_SMS_TPDU = 0x01, 0x02, 0x03, 0x04, 0x0B
T_LOCATION_INFO, T_LOCATION_STATUS, T_EVENT_LIST, T_TIMER_ID, T_TIMER_VALUE = 0x13, 0x1B, 0x19, 0x24, 0x25
T_ACCESS_TECH = 0x3F
EV_LOCATION_STATUS = 0x03
# BER-TLV tags (TS 101 220 §7.2)
PROACTIVE, SMS_PP_DOWNLOAD, EVENT_DOWNLOAD, TIMER_EXPIRATION = 0xD0, 0xD1, 0xD6, 0xD7

# TERMINAL PROFILE (TS 102 223 §5.2), byte by byte
TERMINAL_PROFILE = bytes([
    0x23,  # 1: profile download, SMS-PP data download, timer expiration
    0x01,  # 2: command result
    0xE8,  # 3: MORE TIME, POLL INTERVAL, POLLING OFF, REFRESH
    0x42,  # 4: SEND SHORT MESSAGE, PROVIDE LOCAL INFORMATION (location)
    0x11,  # 5: SET UP EVENT LIST, event location status
    0x00, 0x00,
    0x03,  # 8: TIMER MANAGEMENT start/stop, get current value
])
STATUS_POLL_S = 30  # TS 102 221 §14.5.2: the default poll period


class Modem:
    def __init__(self, card, plmn, lac=0x0001, cell=0x0001):
        self.card = card
        self.plmn = tlv.plmn_encode(plmn)
        self.lac, self.cell = lac, cell
        self.now = 0                 # virtual seconds
        self.next_status = STATUS_POLL_S
        self.poll_s = STATUS_POLL_S
        self.timers = {}             # id -> (expiry, initial value)
        self.events = set()          # SET UP EVENT LIST
        self.report_location = False
        self.imsi = None
        self.refreshes = []          # qualifiers
        self.commands = []           # proactive command types, in order
        self.pors = []               # hex, as they go back to the network
        self.envelopes = []          # SMS-PP download envelopes sent (hex)
        self.imsi_change_apdu = None # APDU count when EF_IMSI was first read with a new IMSI

    # --- transport ------------------------------------------------------------------------
    def xfer(self, apdu):
        return self.card.send(apdu)

    def envelope(self, body):
        """ENVELOPE (TS 102 221 §11.2.2). Returns (response data, SW)."""
        return self.xfer(bytes([0x80, 0xC2, 0x00, 0x00, len(body)]) + body)

    # --- start-up (TS 31.102 §5.1.1) -------------------------------------------------------
    def power_up(self):
        self.card.select_usim()
        _, sw = self.xfer(bytes([0x80, 0x10, 0x00, 0x00, len(TERMINAL_PROFILE)]) + TERMINAL_PROFILE)
        if sw != 0x9000:
            raise CardError("TERMINAL PROFILE answered %04X" % sw)
        self.set_imsi(self.card.read_imsi())
        self.events.clear()
        self.timers.clear()
        self.report_location = True   # the registration that follows
        self.drain()

    def set_imsi(self, imsi):
        if self.imsi is not None and imsi != self.imsi and self.imsi_change_apdu is None:
            self.imsi_change_apdu = self.card.apdus
        self.imsi = imsi

    # --- proactive commands ----------------------------------------------------------------
    def drain(self):
        """FETCH (TS 102 221 §11.2.3) while the card says 91xx."""
        for _ in range(64):
            if not self.card.fetch_len:
                return
            n, self.card.fetch_len = self.card.fetch_len, 0
            cmd, sw = self.xfer(bytes([0x80, 0x12, 0x00, 0x00, n]))
            if sw == 0x9000 and cmd:
                self.proactive(cmd)

    def terminal_response(self, details, result, extra=b""):
        """TS 102 223 §6.8: command details, device identities terminal ->
        UICC, result, then what the command asks for."""
        body = (tlv.ctlv(T_CMD_DETAILS, details) + tlv.ctlv(T_DEVICES, bytes([DEV_TERMINAL, DEV_UICC]))
                + tlv.ctlv(T_RESULT, bytes([result])) + extra)
        self.xfer(bytes([0x80, 0x14, 0x00, 0x00, len(body)]) + body)

    def proactive(self, raw):
        try:
            tag, value = tlv.ber_tlv(raw)
            objs = tlv.ctlvs(value)
        except tlv.TlvError:
            return self.terminal_response(bytes(3), RES_TYPE_UNKNOWN)
        details = tlv.find(objs, T_CMD_DETAILS)
        if tag != PROACTIVE or details is None or len(details) != 3:
            return self.terminal_response(details if details and len(details) == 3 else bytes(3),
                                          RES_TYPE_UNKNOWN)
        kind, qual = details[1], details[2]
        self.commands.append(kind)
        handler = {
            REFRESH: self.do_refresh,
            SET_UP_EVENT_LIST: self.do_event_list,
            TIMER_MANAGEMENT: self.do_timer,
            SEND_SHORT_MESSAGE: self.do_send_sms,
            PROVIDE_LOCAL_INFO: self.do_local_info,
            POLL_INTERVAL: self.do_poll_interval,
        }.get(kind)
        if handler:
            return handler(details, qual, objs)
        if kind in (MORE_TIME, POLLING_OFF):
            if kind == POLLING_OFF:
                self.poll_s = STATUS_POLL_S
            return self.terminal_response(details, RES_OK)
        return self.terminal_response(details, RES_BEYOND)

    def do_refresh(self, details, qual, objs):
        """TS 102 223 §6.4.7. 04 (UICC reset): no TERMINAL RESPONSE, the
        card is reset and started again. The others: the NAA files read
        again (EF_IMSI, which may have changed), then the answer, then a
        new registration reported."""
        self.refreshes.append(qual)
        if qual == 0x04:
            self.card.reset()
            self.card.fetch_len = 0
            return self.power_up()
        try:
            self.set_imsi(self.card.read_imsi())
        except CardError:
            return self.terminal_response(details, RES_UNABLE, b"")
        self.terminal_response(details, RES_OK)
        self.report_location = True

    def do_event_list(self, details, qual, objs):
        """TS 102 223 §6.4.16: the list replaces the previous one."""
        lst = tlv.find(objs, T_EVENT_LIST) or b""
        self.events = set(lst)
        self.terminal_response(details, RES_OK)
        self.report_location = EV_LOCATION_STATUS in self.events

    def do_timer(self, details, qual, objs):
        """TS 102 223 §6.4.21: start (00), deactivate (01), get (02)."""
        tid = tlv.find(objs, T_TIMER_ID)
        if not tid or len(tid) != 1 or not 1 <= tid[0] <= 8:
            return self.terminal_response(details, RES_REQUIRED_MISSING)
        op = qual & 0x03
        if op == 0x00:
            val = tlv.find(objs, T_TIMER_VALUE)
            try:
                secs = tlv.timer_value_decode(val or b"")
            except tlv.TlvError:
                return self.terminal_response(details, RES_REQUIRED_MISSING)
            self.timers[tid[0]] = (self.now + secs, secs)
            return self.terminal_response(details, RES_OK, tlv.ctlv(T_TIMER_ID, tid))
        if tid[0] not in self.timers:
            return self.terminal_response(details, RES_TIMER_CONTRADICTION)
        left = self.timers[tid[0]][0] - self.now
        if op == 0x01:
            del self.timers[tid[0]]
        self.terminal_response(details, RES_OK, tlv.ctlv(T_TIMER_ID, tid)
                               + tlv.ctlv(T_TIMER_VALUE, tlv.timer_value_encode(left)))

    def do_send_sms(self, details, qual, objs):
        """TS 102 223 §6.4.10 (TS 31.111 §6.4.10): the SMS-SUBMIT goes to
        the network; the PoR is its user data (TS 31.115 §4.3)."""
        tpdu = tlv.find(objs, T_SMS_TPDU)
        try:
            self.pors.append(tlv.sms_submit_user_data(tpdu or b"").hex().upper())
        except tlv.TlvError:
            return self.terminal_response(details, RES_TYPE_UNKNOWN)
        self.terminal_response(details, RES_OK)

    def location_info(self):
        """TS 102 223 §8.19: MCC/MNC, LAC, cell identity."""
        return self.plmn + bytes([self.lac >> 8, self.lac & 0xFF, self.cell >> 8, self.cell & 0xFF])

    def do_local_info(self, details, qual, objs):
        """TS 102 223 §6.4.15: 00 location information, 06 access technology."""
        if qual == 0x00:
            return self.terminal_response(details, RES_OK, tlv.ctlv(T_LOCATION_INFO, self.location_info()))
        if qual == 0x06:
            return self.terminal_response(details, RES_OK, tlv.ctlv(T_ACCESS_TECH, b"\x08"))  # E-UTRAN
        self.terminal_response(details, RES_BEYOND)

    def do_poll_interval(self, details, qual, objs):
        """TS 102 223 §6.4.6, duration per §8.8 (unit 00 min, 01 s, 02 1/10 s)."""
        d = tlv.find(objs, T_DURATION)
        if not d or len(d) != 2 or d[0] > 2 or not d[1]:
            return self.terminal_response(details, RES_REQUIRED_MISSING)
        self.poll_s = max(1, d[1] * 60 if d[0] == 0 else d[1] if d[0] == 1 else (d[1] + 9) // 10)
        self.terminal_response(details, RES_OK, tlv.ctlv(T_DURATION, bytes([0x01, min(self.poll_s, 255)])))

    # --- envelopes -----------------------------------------------------------------------
    def send_location_status(self):
        """EVENT DOWNLOAD location status (TS 102 223 §7.5.3): normal
        service on the PLMN, with its location information."""
        body = (tlv.ctlv(T_EVENT_LIST, bytes([EV_LOCATION_STATUS]))
                + tlv.ctlv(T_DEVICES, bytes([DEV_TERMINAL, DEV_UICC]))
                + tlv.ctlv(T_LOCATION_STATUS, b"\x00")
                + tlv.ctlv(T_LOCATION_INFO, self.location_info()))
        _, sw = self.envelope(tlv.ber_tlv_encode(EVENT_DOWNLOAD, body))
        return sw != 0x9300

    def send_timer_expiration(self, tid, value):
        """TS 102 223 §7.4: the timer's identifier and value."""
        body = (tlv.ctlv(T_DEVICES, bytes([DEV_TERMINAL, DEV_UICC])) + tlv.ctlv(T_TIMER_ID, bytes([tid]))
                + tlv.ctlv(T_TIMER_VALUE, tlv.timer_value_encode(value)))
        _, sw = self.envelope(tlv.ber_tlv_encode(TIMER_EXPIRATION, body))
        return sw != 0x9300

    def sms_pp_download(self, tpdu):
        """ENVELOPE SMS-PP download (TS 102 223 §7.1.1.2, TS 31.111
        §7.1.1.2): device identities network -> UICC and the SMS-DELIVER
        TPDU. Response data is the PoR for the SMS-DELIVER-REPORT; a PoR
        by SEND SHORT MESSAGE comes with the proactive commands. 9300: the
        network tries again (TS 31.111 §7.1.1.1), here after a STATUS."""
        body = tlv.ctlv(T_DEVICES, bytes([DEV_NETWORK, DEV_UICC])) + tlv.ctlv(T_SMS_TPDU, tpdu)
        env = tlv.ber_tlv_encode(SMS_PP_DOWNLOAD, body)
        for _ in range(10):
            data, sw = self.envelope(env)
            if sw != 0x9300:
                break
            self.run(self.now + 1)
        self.envelopes.append(env.hex().upper())
        if data:
            self.pors.append(data.hex().upper())
        self.drain()
        return sw

    # --- virtual time --------------------------------------------------------------------
    def run(self, until):
        """Idle until virtual time until: registration report, STATUS polls
        (TS 102 221 §11.1.2, the card's clock), timer expiries, each with
        the proactive commands they raise."""
        for _ in range(10000):
            self.drain()
            if self.report_location and EV_LOCATION_STATUS in self.events:
                if self.send_location_status():
                    self.report_location = False
                continue
            due = [(t, tid) for tid, (t, _) in self.timers.items()]
            nxt = min([self.next_status] + [t for t, _ in due])
            if nxt > until:
                self.now = until
                return
            self.now = nxt
            for t, tid in sorted(due):
                if t <= self.now and self.send_timer_expiration(tid, self.timers[tid][1]):
                    del self.timers[tid]
            if self.next_status <= self.now:
                self.xfer(bytes([0x80, 0xF2, 0x00, 0x0C]))  # STATUS, no data
                self.next_status = self.now + self.poll_s


def read_tpdus(path):
    """SMS-DELIVER TPDUs: the ota-slot event of mimsi-stock plan-swap
    --json (its packets' sms[].tpdu), or one hex TPDU per line."""
    text = open(path).read()
    try:
        doc = json.loads(text)
    except ValueError:
        return [bytes.fromhex(line.strip()) for line in text.splitlines() if line.strip()]
    for ev in doc.get("events", []):
        if ev.get("do") == "ota-slot" and "packets" in ev:
            return [bytes.fromhex(s["tpdu"]) for p in ev["packets"] for s in p["sms"]]
    raise ValueError("%s: no ota-slot event with packets" % path)


def version():
    mk = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "mk", "version.mk")
    try:
        for line in open(mk):
            if line.startswith("MIMSI_VERSION"):
                return line.split("=", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


class Args(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        print("indep-modem: %s" % message, file=sys.stderr)
        sys.exit(EX_USAGE)


def main(argv):
    ap = Args(
        prog="indep-modem",
        description="An independent ME over PC/SC: power the card up, register on PLMN, pass "
                    "SMS-PP data downloads, answer proactive commands, re-read EF_IMSI after REFRESH.",
        epilog="exit: 0 ok, 64 usage, 65 bad SMS input, 66 input unreadable, 69 no reader, 74 card error")
    ap.add_argument("--reader", required=True, help='PC/SC reader name, e.g. "Virtual PCD 00 01"')
    ap.add_argument("--plmn", required=True, help="the network the modem registers on, MCC-MNC")
    ap.add_argument("--sms", help="SMS-DELIVER TPDUs: plan-swap --json output, or hex lines")
    ap.add_argument("--settle-s", type=int, default=600, help="virtual seconds before and after the SMS")
    ap.add_argument("--log", help="append every APDU to this file")
    ap.add_argument("--json", action="store_true", help="the result as JSON on stdout")
    ap.add_argument("--version", action="version", version="indep-modem (mimsi) " + version())
    a = ap.parse_args(argv)
    try:
        tpdus = read_tpdus(a.sms) if a.sms else []
        tlv.plmn_encode(a.plmn)
    except OSError as e:
        print("indep-modem: %s" % e, file=sys.stderr)
        return EX_NOINPUT
    except (ValueError, KeyError, TypeError) as e:
        print("indep-modem: %s" % e, file=sys.stderr)
        return EX_DATAERR
    logf = open(a.log, "a") if a.log else None
    try:
        card = Card(a.reader, (lambda s: logf.write(s + "\n")) if logf else None)
    except CardError as e:
        print("indep-modem: %s" % e, file=sys.stderr)
        return EX_UNAVAILABLE
    m = Modem(card, a.plmn)
    out = {"reader": a.reader, "plmn": a.plmn}
    try:
        m.power_up()
        out["imsi_at_power_up"] = m.imsi
        m.run(a.settle_s)
        out["imsi_before_sms"] = m.imsi
        before = card.apdus
        refreshes_before = len(m.refreshes)
        m.imsi_change_apdu = None
        out["sms_sw"] = ["%04X" % m.sms_pp_download(t) for t in tpdus]
        m.run(m.now + a.settle_s)
        out["imsi_after"] = m.imsi
        out["imsi_read_again"] = card.read_imsi()
        out["apdus_swap"] = card.apdus - before
        # from the first SMS-PP to the READ BINARY that shows the new EF_IMSI
        out["apdus_to_new_imsi"] = m.imsi_change_apdu - before if m.imsi_change_apdu else None
        out["refreshes_after_sms"] = ["%02X" % q for q in m.refreshes[refreshes_before:]]
    except CardError as e:
        print("indep-modem: %s" % e, file=sys.stderr)
        return EX_IOERR
    finally:
        card.close()
        if logf:
            logf.close()
    out.update({"apdus": card.apdus, "virtual_s": m.now, "pors": m.pors, "envelopes": m.envelopes,
                "refreshes": ["%02X" % q for q in m.refreshes],
                "commands": ["%02X" % c for c in m.commands]})
    if a.json:
        print(json.dumps(out, indent=1))
    else:
        print("IMSI %s -> %s; %d SMS, %d PoR, %d APDUs for the swap"
              % (out["imsi_before_sms"], out["imsi_after"], len(tpdus), len(m.pors), out["apdus_swap"]))
    return EX_OK


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
