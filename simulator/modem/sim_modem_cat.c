/* SPDX-License-Identifier: Apache-2.0 */
/* The ME side of the CAT (TS 102 223): FETCH, TERMINAL RESPONSE per command,
 * TIMER MANAGEMENT in virtual time, event and timer envelopes. */
#include <string.h>

#include "mimsi/mi_apdu.h"
#include "mimsi/mi_config.h"
#include "mimsi/mi_err.h"
#include "mimsi/mi_timer.h"
#include "mimsi/mi_tlv.h"
#include "modem/sim_modem_int.h"

/* Command types (TS 102 223 §9.4). */
#define CMD_REFRESH 0x01
#define CMD_MORE_TIME 0x02
#define CMD_POLL_INTERVAL 0x03
#define CMD_POLLING_OFF 0x04
#define CMD_SET_UP_EVENT_LIST 0x05
#define CMD_DISPLAY_TEXT 0x21
#define CMD_SELECT_ITEM 0x24
#define CMD_SET_UP_MENU 0x25
#define CMD_PROVIDE_LOCAL_INFO 0x26
#define CMD_TIMER_MANAGEMENT 0x27

/* General results (TS 102 223 §8.12). */
#define RES_OK 0x00
#define RES_USER_TERMINATED 0x10
#define RES_UNABLE 0x20
#define RES_TIMER_CONTRADICTION 0x24
#define RES_BEYOND 0x30
#define RES_NOT_UNDERSTOOD 0x31

struct tr {
	uint8_t buf[MI_APDU_BUF];
	size_t len;
};

static void tr_begin(struct tr *t, const uint8_t cmd_details[3], uint8_t result, int addl)
{
	/* TS 102 223 §6.8: command details, device ids (terminal -> UICC), result */
	t->len = 0;
	t->buf[t->len++] = 0x81;
	t->buf[t->len++] = 0x03;
	memcpy(t->buf + t->len, cmd_details, 3);
	t->len += 3;
	t->buf[t->len++] = 0x82;
	t->buf[t->len++] = 0x02;
	t->buf[t->len++] = 0x82;
	t->buf[t->len++] = 0x81;
	t->buf[t->len++] = 0x83;
	t->buf[t->len++] = addl >= 0 ? 2 : 1;
	t->buf[t->len++] = result;
	if (addl >= 0)
		t->buf[t->len++] = (uint8_t)addl;
}

static void tr_add(struct tr *t, uint8_t tag, const uint8_t *val, size_t len)
{
	if (t->len + 2 + len > sizeof(t->buf))
		return;
	t->buf[t->len++] = tag;
	t->buf[t->len++] = (uint8_t)len;
	memcpy(t->buf + t->len, val, len);
	t->len += len;
}

static void tr_send(struct sim_modem *m, const struct tr *t)
{
	uint8_t c[5 + MI_APDU_BUF] = {0x80, 0x14, 0x00, 0x00}, r[64];
	size_t rl = sizeof(r);
	uint16_t sw = 0;

	c[4] = (uint8_t)t->len;
	memcpy(c + 5, t->buf, t->len);
	if (sim_modem_xfer(m, c, 5 + t->len, r, &rl, &sw) < 0 || sw != MI_SW_OK)
		sim_modem_notef(m, "TERMINAL RESPONSE answered %04X", sw);
}

/* \returns 0 accepted, 1 busy (9300: retry later), -1 error (SW in m->env_sw). */
static int envelope(struct sim_modem *m, const uint8_t *env, size_t len)
{
	uint8_t c[5 + MI_APDU_BUF] = {0x80, 0xC2, 0x00, 0x00}, r[300];
	size_t rl = sizeof(r);
	uint16_t sw = 0;

	m->env_sw = 0;
	c[4] = (uint8_t)len;
	memcpy(c + 5, env, len);
	if (sim_modem_xfer(m, c, 5 + len, r, &rl, &sw) < 0)
		return -1;
	m->env_sw = sw;
	if (sw == MI_SW_TOOLKIT_BUSY) {
		if (!m->retry_queued) {
			m->retry_queued = 1;
			sim_evq_push(m->q, m->q->now + 1, SIM_EV_MODEM_RETRY, 0, 0);
		}
		return 1;
	}
	return sw == MI_SW_OK ? 0 : -1;
}

static size_t location_info(const struct sim_modem *m, uint8_t *out)
{
	/* TS 102 223 §8.19: MCC/MNC, LAC, cell id (GERAN form, 7 bytes) */
	const struct sim_plmn *p = &m->net->plmns[m->plmn];

	if (mi_plmn_encode(&p->id, out, 3) != 3)
		return 0;
	out[3] = (uint8_t)(p->lac >> 8);
	out[4] = (uint8_t)p->lac;
	out[5] = (uint8_t)(p->ci >> 8);
	out[6] = (uint8_t)p->ci;
	return 7;
}

void sim_modem_report_location(struct sim_modem *m)
{
	uint8_t env[32];
	size_t n = 0;
	int st, rc;
	static const char *const names[] = {"normal", "limited", "no service"};

	if (!m->powered || m->asleep || !m->ev_location)
		return;
	switch (m->svc) {
	case SIM_SVC_NORMAL:
		st = 0;
		break;
	case SIM_SVC_LIMITED:
		st = 1;
		break;
	case SIM_SVC_NONE:
		st = 2;
		break;
	default:
		return; /* searching: nothing settled to report */
	}
	if (st == m->rep_status && (st != 0 || m->plmn == m->rep_plmn))
		return;
	/* TS 102 223 §7.5.4: event download, location status */
	env[n++] = MI_BTAG_EVENT;
	env[n++] = 0; /* length, set below */
	env[n++] = 0x99;
	env[n++] = 0x01;
	env[n++] = 0x03; /* event: location status */
	env[n++] = 0x82;
	env[n++] = 0x02;
	env[n++] = 0x82;
	env[n++] = 0x81;
	env[n++] = 0x9B;
	env[n++] = 0x01;
	env[n++] = (uint8_t)st;
	if (st == 0) {
		size_t l;

		env[n++] = 0x93;
		env[n++] = 0x07;
		l = location_info(m, env + n);
		if (l != 7)
			return;
		n += l;
	}
	env[1] = (uint8_t)(n - 2);
	rc = envelope(m, env, n);
	if (rc == 0) {
		m->rep_status = st;
		m->rep_plmn = m->plmn;
		sim_modem_notef(m, "EVENT location status: %s", names[st]);
	}
}

/* The TERMINAL PROFILE bit that covers rejections on the modem's RAT. */
static uint32_t reject_cap(const struct sim_modem *m)
{
	return m->prof->rat == SIM_RAT_EUTRAN ? SIM_CAP_EVENT_REJECT_EUTRAN
					      : SIM_CAP_EVENT_REJECT_GERAN;
}

size_t sim_modem_reject_envelope(const struct sim_reject *r, uint8_t *out, size_t cap)
{
	uint8_t b[32];
	size_t n = 0;
	int eutran = r->rat == SIM_RAT_EUTRAN;

	b[n++] = MI_BTAG_EVENT; /* TS 102 223 §9.1: D6 event download */
	b[n++] = 0;		/* length, set below */
	b[n++] = 0x99;		/* event list (§8.25), CR: network rejection */
	b[n++] = 0x01;
	b[n++] = 0x12;
	b[n++] = 0x82; /* device identities (§8.7), CR: terminal -> UICC */
	b[n++] = 0x02;
	b[n++] = 0x82;
	b[n++] = 0x81;
	/* TS 31.111 §8.99 tracking area id: PLMN + TAC; §8.91 routing area
	 * id: PLMN + LAC + RAC */
	b[n++] = eutran ? 0x7D : 0x73;
	b[n++] = eutran ? 0x05 : 0x06;
	if (mi_plmn_encode(&r->plmn, b + n, 3) != 3)
		return 0;
	n += 3;
	b[n++] = (uint8_t)(r->lac >> 8);
	b[n++] = (uint8_t)r->lac;
	if (!eutran)
		b[n++] = r->rac;
	b[n++] = 0x3F; /* access technology (TS 102 223 §8.61) */
	b[n++] = 0x01;
	b[n++] = r->rat;
	b[n++] = 0x74; /* update/attach type (TS 31.111 §8.92) */
	b[n++] = 0x01;
	b[n++] = r->upd_type;
	b[n++] = 0x75; /* rejection cause code (TS 31.111 §8.93) */
	b[n++] = 0x01;
	b[n++] = r->cause;
	b[1] = (uint8_t)(n - 2);
	if (n > cap)
		return 0;
	memcpy(out, b, n);
	return n;
}

int sim_modem_report_reject(struct sim_modem *m, const struct sim_reject *r)
{
	int rc;

	if (r) {
		if (!m->ev_reject)
			return 0;
		m->rej_env_len = sim_modem_reject_envelope(r, m->rej_env, sizeof(m->rej_env));
	}
	if (!m->rej_env_len || !m->powered || m->asleep || !m->ev_reject)
		return 0;
	rc = envelope(m, m->rej_env, m->rej_env_len);
	if (rc == 1)
		return 0; /* 9300: the retry event sends it again */
	if (rc < 0)
		sim_modem_notef(m, "EVENT network rejection #%u: card answered %04X",
				m->rej_env[m->rej_env_len - 1], m->env_sw);
	else
		sim_modem_notef(m, "EVENT network rejection #%u", m->rej_env[m->rej_env_len - 1]);
	m->rej_env_len = 0;
	if (rc == 0)
		m->reject_events++;
	return rc == 0;
}

void sim_modem_send_due_timers(struct sim_modem *m)
{
	int id;

	for (id = 1; id <= SIM_MODEM_TIMERS; id++) {
		uint8_t env[14] = {MI_BTAG_TIMER, 12, 0x82, 0x02, 0x82, 0x81, 0xA4, 0x01};

		if (!(m->timers_due & (1u << id)))
			continue;
		/* TS 102 223 §7.4: timer id and the value that expired */
		env[8] = (uint8_t)id;
		env[9] = 0xA5;
		env[10] = 0x03;
		if (mi_timer_encode(m->timers[id].value_s, env + 11, 3) != 3)
			memset(env + 11, 0, 3);
		if (envelope(m, env, sizeof(env)) == 1)
			return; /* busy: the retry event sends it again */
		m->timers_due &= ~(1u << id);
		sim_modem_notef(m, "TIMER EXPIRATION #%d (%u s)", id, m->timers[id].value_s);
	}
}

static void do_timer(struct sim_modem *m, const uint8_t *d, const uint8_t *tlvs, mi_u16 len)
{
	struct mi_ctlv id_tlv, val_tlv;
	struct tr t;
	uint8_t qual = d[2] & 0x03, id, val[3];
	struct sim_modem_timer *tm;
	mi_u32 secs = 0;

	if (!(m->prof->caps & SIM_CAP_TIMER_MANAGEMENT)) {
		sim_modem_notef(m, "TIMER MANAGEMENT: not supported, result 30");
		tr_begin(&t, d, RES_BEYOND, -1);
		tr_send(m, &t);
		return;
	}
	if (mi_ctlv_find(tlvs, len, 0x24, &id_tlv) < 0 || id_tlv.len != 1 || id_tlv.val[0] < 1 ||
	    id_tlv.val[0] > SIM_MODEM_TIMERS) {
		tr_begin(&t, d, 0x36, -1); /* required values missing */
		tr_send(m, &t);
		return;
	}
	id = id_tlv.val[0];
	tm = &m->timers[id];
	if (qual == 0x00) {
		if (mi_ctlv_find(tlvs, len, 0x25, &val_tlv) < 0 ||
		    mi_timer_decode(val_tlv.val, val_tlv.len, &secs) != 3) {
			tr_begin(&t, d, 0x32, -1); /* data not understood */
			tr_send(m, &t);
			return;
		}
		tm->active = 1;
		tm->value_s = secs;
		tm->expiry = m->q->now + (sim_time_t)secs;
		tm->gen++;
		m->timers_due &= ~(1u << id);
		sim_evq_push(m->q, tm->expiry, SIM_EV_MODEM_TIMER, id, tm->gen);
		sim_modem_notef(m, "TIMER MANAGEMENT start #%u %u s", id, secs);
		tr_begin(&t, d, RES_OK, -1);
		tr_add(&t, 0xA4, &id, 1);
		tr_send(m, &t);
		return;
	}
	if (!tm->active) {
		tr_begin(&t, d, RES_TIMER_CONTRADICTION, -1);
		tr_send(m, &t);
		return;
	}
	secs = (mi_u32)(tm->expiry - m->q->now);
	if (qual == 0x01) {
		tm->active = 0;
		tm->gen++;
	}
	sim_modem_notef(m, "TIMER MANAGEMENT %s #%u (%u s left)", qual == 0x01 ? "stop" : "get", id,
			secs);
	tr_begin(&t, d, RES_OK, -1);
	tr_add(&t, 0xA4, &id, 1);
	if (mi_timer_encode(secs, val, 3) == 3)
		tr_add(&t, 0xA5, val, 3);
	tr_send(m, &t);
}

static void do_refresh(struct sim_modem *m, const uint8_t *d)
{
	static const char *const modes[] = {
	    "NAA init+FCN", "file change",   "NAA init+file change", "NAA init",
	    "UICC reset",   "NAA app reset", "NAA session reset",    "steering of roaming"};
	uint8_t q = d[2];
	struct tr t;

	m->refreshes++;
	sim_modem_notef(m, "REFRESH %02X (%s)", q, q < 8 ? modes[q] : "?");
	if (q < 8 && (m->prof->refresh_refuse & (1u << q))) {
		/* this mode only: a terminal without it (TS 102 223 §6.4.7) */
		m->last_refresh_result = RES_BEYOND;
		sim_modem_notef(m, "REFRESH %02X refused: result 30 (beyond capabilities)", q);
		tr_begin(&t, d, RES_BEYOND, -1);
		tr_send(m, &t);
		return;
	}
	switch (m->prof->refresh) {
	case SIM_REFRESH_BUSY:
		m->last_refresh_result = RES_UNABLE;
		sim_modem_notef(m, "REFRESH refused: result 20 (busy)");
		tr_begin(&t, d, RES_UNABLE, 0x00);
		tr_send(m, &t);
		return;
	case SIM_REFRESH_UNSUPPORTED:
		m->last_refresh_result = RES_BEYOND;
		sim_modem_notef(m, "REFRESH refused: result 30 (beyond capabilities)");
		tr_begin(&t, d, RES_BEYOND, -1);
		tr_send(m, &t);
		return;
	case SIM_REFRESH_DEFERRED:
		m->last_refresh_result = RES_OK;
		sim_modem_notef(m, "REFRESH acknowledged; IMSI kept until the next reset (quirk)");
		tr_begin(&t, d, RES_OK, -1);
		tr_send(m, &t);
		return;
	default:
		break;
	}
	m->last_refresh_result = RES_OK;
	if (q == 0x04) {
		/* TS 102 223 §6.4.7: UICC reset, no TERMINAL RESPONSE */
		sim_modem_fx_post(m, SIM_FX_RESET, 0, 0);
		return;
	}
	/* NAA init, file change, app/session reset, steering: re-read the NAA
	 * files (a superset of any file list), answer, then select again. */
	if (sim_modem_usim_init(m, 0) < 0) {
		tr_begin(&t, d, RES_UNABLE, 0x00);
		tr_send(m, &t);
		return;
	}
	tr_begin(&t, d, RES_OK, -1);
	tr_send(m, &t);
	m->rep_status = -1;
	/* the new subscription registers after the TERMINAL RESPONSE */
	sim_modem_fx_post(m, SIM_FX_RESELECT, 0, 0);
}

static void do_local_info(struct sim_modem *m, const uint8_t *d)
{
	struct tr t;
	uint8_t v[8];

	if (!(m->prof->caps & SIM_CAP_PLI_LOCATION)) {
		tr_begin(&t, d, RES_BEYOND, -1);
		tr_send(m, &t);
		return;
	}
	switch (d[2]) {
	case 0x00: /* location information (TS 102 223 §8.19) */
	case 0x06: /* access technology (§8.61) */
		if ((m->svc != SIM_SVC_NORMAL && m->svc != SIM_SVC_LIMITED) || m->plmn < 0) {
			tr_begin(&t, d, RES_UNABLE, 0x04); /* no service */
			break;
		}
		/* §8.12: 06 = performed, limited service; the camped cell is known */
		tr_begin(&t, d, m->svc == SIM_SVC_NORMAL ? RES_OK : 0x06, -1);
		if (d[2] == 0x00) {
			if (location_info(m, v) == 7)
				tr_add(&t, 0x93, v, 7);
		} else {
			v[0] = 0x08; /* E-UTRAN */
			tr_add(&t, 0xBF, v, 1);
		}
		break;
	default:
		tr_begin(&t, d, RES_BEYOND, -1);
		break;
	}
	sim_modem_notef(m, "PROVIDE LOCAL INFORMATION %02X", d[2]);
	tr_send(m, &t);
}

static void handle(struct sim_modem *m, const uint8_t *cmd, size_t len)
{
	struct mi_btlv b;
	struct mi_ctlv det, tl;
	struct tr t;
	uint8_t d[3];
	int i;

	m->proactive++;
	if (mi_btlv_decode(cmd, (mi_u16)len, &b) < 0 || b.tag != MI_BTAG_PROACTIVE ||
	    mi_ctlv_find(b.val, b.len, 0x01, &det) < 0 || det.len != 3) {
		static const uint8_t none[3] = {0, 0, 0};

		sim_modem_notef(m, "proactive command not understood");
		tr_begin(&t, none, 0x32, -1);
		tr_send(m, &t);
		return;
	}
	memcpy(d, det.val, 3);
	switch (d[1]) {
	case CMD_REFRESH:
		if (!(m->prof->caps & SIM_CAP_REFRESH)) {
			tr_begin(&t, d, RES_BEYOND, -1);
			tr_send(m, &t);
			return;
		}
		do_refresh(m, d);
		return;
	case CMD_TIMER_MANAGEMENT:
		do_timer(m, d, b.val, b.len);
		return;
	case CMD_SET_UP_EVENT_LIST:
		m->ev_location = 0;
		m->ev_reject = 0;
		m->rej_env_len = 0;
		if (mi_ctlv_find(b.val, b.len, 0x19, &tl) >= 0)
			for (i = 0; i < tl.len; i++) {
				if (tl.val[i] == 0x03 && (m->prof->caps & SIM_CAP_EVENT_LOCATION))
					m->ev_location = 1;
				/* TS 102 223 §8.25: 12 = network rejection */
				if (tl.val[i] == 0x12 && (m->prof->caps & reject_cap(m)))
					m->ev_reject = 1;
			}
		sim_modem_notef(m, "SET UP EVENT LIST%s%s",
				m->ev_location ? " (location status)" : "",
				m->ev_reject ? " (network rejection)" : "");
		tr_begin(&t, d, RES_OK, -1);
		tr_send(m, &t);
		m->rep_status = -1;
		sim_modem_report_location(m);
		return;
	case CMD_POLL_INTERVAL:
		tr_begin(&t, d, RES_OK, -1);
		if (mi_ctlv_find(b.val, b.len, 0x04, &tl) >= 0 && tl.len == 2 && tl.val[1]) {
			/* TS 102 223 §8.8: unit 00 min, 01 s, 02 tenths */
			int s = tl.val[0] == 0	 ? tl.val[1] * 60
				: tl.val[0] == 1 ? tl.val[1]
						 : (tl.val[1] + 9) / 10;
			uint8_t dur[2] = {0x01, 0};

			m->poll_s = s < 1 ? 1 : s;
			dur[1] = (uint8_t)(m->poll_s > 255 ? 255 : m->poll_s);
			tr_add(&t, 0x84, dur, 2);
		}
		sim_modem_notef(m, "POLL INTERVAL %d s", m->poll_s);
		tr_send(m, &t);
		return;
	case CMD_POLLING_OFF:
		m->poll_s = m->prof->status_poll_s;
		tr_begin(&t, d, RES_OK, -1);
		tr_send(m, &t);
		return;
	case CMD_MORE_TIME:
		tr_begin(&t, d, RES_OK, -1);
		tr_send(m, &t);
		return;
	case CMD_DISPLAY_TEXT:
		sim_modem_notef(m, "DISPLAY TEXT");
		tr_begin(&t, d, RES_OK, -1);
		tr_send(m, &t);
		return;
	case CMD_SET_UP_MENU: {
		mi_u16 off = 0;

		m->menu_n = 0;
		while (off < b.len && m->menu_n < SIM_MODEM_MENU_MAX) {
			int r = mi_ctlv_decode(b.val + off, (mi_u16)(b.len - off), &tl);

			if (r <= 0)
				break;
			if (tl.tag == 0x0F && tl.len >= 1)
				m->menu_ids[m->menu_n++] = tl.val[0];
			off = (mi_u16)(off + r);
		}
		sim_modem_notef(m, "SET UP MENU (%d items)", m->menu_n);
		tr_begin(&t, d, RES_OK, -1);
		tr_send(m, &t);
		return;
	}
	case CMD_SELECT_ITEM:
		if (m->select_choice > 0) {
			uint8_t it = (uint8_t)m->select_choice;

			sim_modem_notef(m, "SELECT ITEM: user picks %d", it);
			tr_begin(&t, d, RES_OK, -1);
			tr_add(&t, 0x90, &it, 1);
			m->select_choice = 0;
		} else {
			sim_modem_notef(m, "SELECT ITEM: user backs out");
			tr_begin(&t, d, RES_USER_TERMINATED, -1);
		}
		tr_send(m, &t);
		return;
	case CMD_PROVIDE_LOCAL_INFO:
		do_local_info(m, d);
		return;
	default:
		sim_modem_notef(m, "proactive command %02X: beyond this modem", d[1]);
		tr_begin(&t, d, RES_BEYOND, -1);
		tr_send(m, &t);
		return;
	}
}

void sim_modem_cat_fetch(struct sim_modem *m)
{
	uint8_t c[5] = {0x80, 0x12, 0x00, 0x00, 0}, r[300];
	size_t rl = sizeof(r);
	uint16_t sw = 0;

	m->fetch_pending = 0;
	c[4] = m->fetch_len;
	/* TS 102 221 §11.2.3 FETCH */
	if (sim_modem_xfer(m, c, 5, r, &rl, &sw) < 0 || sw != MI_SW_OK || rl == 0)
		return;
	handle(m, r, rl);
}

int sim_modem_cat_menu(struct sim_modem *m, int item, int select)
{
	uint8_t env[9] = {MI_BTAG_MENU, 7, 0x82, 0x02, 0x01, 0x81, 0x90, 0x01, 0};
	int i, found = 0;

	for (i = 0; i < m->menu_n; i++)
		if (m->menu_ids[i] == item)
			found = 1;
	if (!m->powered || m->asleep || !found)
		return -1;
	/* TS 102 223 §7.2: menu selection, source keypad */
	env[8] = (uint8_t)item;
	m->select_choice = select;
	sim_modem_notef(m, "MENU SELECTION item %d", item);
	return envelope(m, env, sizeof(env)) < 0 ? -1 : 0;
}
