/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_engine.c
 *  The entry points of mi_applet.h: reset and install, TERMINAL PROFILE,
 *  ENVELOPE (event download, timer expiration, menu selection), TERMINAL
 *  RESPONSE and STATUS, and the proactive command queue. The events parsed
 *  here are decided on in mi_decide.c and carried out by mi_apply.c, the
 *  persistent state is in mi_nv.c, the soft timers in mi_softtimer.c; this
 *  file only parses the inputs and wires the units.
 *
 *  Every input is parsed and checked completely before anything changes:
 *  a malformed one returns a negative mi_err with nv and ram untouched.
 */
#include "mi_engine_int.h"
#include "mimsi/mi_plmn.h"
#include "mimsi/mi_timer.h"
#include "mimsi/mi_tlv.h"

/* ---- proactive command queue ----------------------------------------- */

/* Command of each MI_Q_* bit, lowest first (TS 102 223 §9.4). */
static const mi_u8 mi_q_type[] = {MI_CMD_EVENT_LIST, MI_CMD_REFRESH,	MI_CMD_PLI,
				  MI_CMD_TIMER,	     MI_CMD_TIMER,	MI_CMD_TIMER,
				  MI_CMD_TIMER,	     MI_CMD_SETUP_MENU, MI_CMD_SELECT_ITEM};

/* Send the next owed command unless one is awaiting its TERMINAL RESPONSE. */
static int mi_pump(struct mi_applet *a)
{
	struct mi_ram *r = a->ram;
	mi_u8 i, type, qual, timer;
	mi_u16 bit;
	int rc;

	/* a set written while the card runs: adopted at the end of every
	 * event that went well, before the commands owed go out (a failure
	 * is retried at the next one; mi_adopt.c) */
	(void)mi_adopt(a);
	/* watchdog: a TERMINAL RESPONSE still missing after two rotation
	 * periods never comes; a REFRESH dropped so is "not done" (20: retry
	 * with the backoff, TS 102 223 §8.12), the switch stays committed */
	if (r->pend_type && r->now_s - r->pend_since >= (mi_u32)r->cfg.rotation_s << 1) {
		if (r->pend_type == MI_CMD_REFRESH)
			mi_refresh_result(a, 0x20);
		r->pend_type = 0;
	}
	while (!r->pend_type && r->queue) {
		for (i = 0; !(r->queue & (1u << i)); i++)
			;
		bit = (mi_u16)(1u << i);
		type = mi_q_type[i];
		timer = (mi_u8)(type == MI_CMD_TIMER ? i - 2u : 0u);
		qual = type == MI_CMD_REFRESH ? r->refresh_qual : 0u;
		r->queue &= (mi_u16)~bit;
		if (qual == MI_REFRESH_NONE)
			continue;
		rc = mi_toolkit_send(a, type, qual, timer);
		if (rc == MI_ERR_BUSY) {
			r->queue |= bit; /* the card OS has one pending: next event */
			return MI_OK;
		}
		if (rc < 0)
			return rc;
		r->pend_type = type;
		r->pend_since = r->now_s;
		r->pend_qual = qual;
		r->pend_timer = timer;
	}
	return MI_OK;
}

/* ---- entry points ----------------------------------------------------- */

/* The PLMN that opens TLV \a tix, which holds at least \a min bytes:
 * location information (TS 102 223 §8.19), routing area (TS 31.111 §8.91)
 * or tracking area identification (§8.99). */
static MI_NOINLINE int mi_tlv_plmn(const struct mi_tlvs *t, mi_u8 tix, mi_u8 min,
				   struct mi_plmn *pl)
{
	if (t->l[tix] < min)
		return MI_ERR_LENGTH;
	return mi_plmn_decode(t->v[tix], 3, pl);
}

/* Power-up: RAM cleared, the EF set chosen, STATE loaded; \a fresh (install)
 * or without a valid STATE: no history. */
static int mi_reset(struct mi_applet *a, mi_bool fresh)
{
	struct mi_ram *r;

	if (!a || !a->nv || !a->ram)
		return MI_ERR_PARAM;
	r = a->ram;
	MI_MEMSET(r, 0, sizeof(*r));
	r->service = MI_SERVICE_UNKNOWN;
	r->refresh_qual = MI_REFRESH_NONE;
	(void)mi_set_load(a); /* no valid set: safe mode, reported by r->mode */
	mi_nv_restore(a, fresh);
	return MI_OK;
}

int mi_applet_reset(struct mi_applet *a)
{
	return mi_reset(a, MI_FALSE);
}

/* A fresh STATE, written. */
int mi_applet_install(struct mi_applet *a)
{
	struct mi_nv nv;
	int rc = mi_reset(a, MI_TRUE);

	if (rc < 0)
		return rc;
	nv = *a->nv;
	nv.set_seq = a->ram->set_seq; /* the files as personalised go with this set */
	return mi_nv_txn(a, &nv, 0); /* always written, unlike mi_nv_commit() */
}

/* TERMINAL PROFILE bits (TS 102 223 §5.2, TS 31.111 §5.2): byte, mask,
 * capability; a capability needs every one of its bits. */
static const mi_u8 mi_tp_bits[][3] = {
    {3, 0x80, MI_CAP_REFRESH},	  {4, 0x01, MI_CAP_SELECT_ITEM},
    {4, 0x20, MI_CAP_SETUP_MENU}, {1, 0x08, MI_CAP_SETUP_MENU}, /* menu selection */
    {4, 0x40, MI_CAP_PLI},	  {5, 0x01, MI_CAP_EVENTS},
    {5, 0x10, MI_CAP_EVENTS},				   /* location status event */
    {8, 0x01, MI_CAP_TIMER},	  {1, 0x20, MI_CAP_TIMER}, /* timer expiration */
};

int mi_applet_terminal_profile(struct mi_applet *a, const mi_u8 *tp, mi_u16 len)
{
	struct mi_ram *r;
	mi_u8 caps = 0x3F, k;
	const mi_u8 *b;

	if (!a || !a->ram || !tp)
		return MI_ERR_PARAM;
	if (len < 1u)
		return MI_ERR_TRUNCATED;
	r = a->ram;
	/* PROVIDE LOCAL INFORMATION serves fast failover only: with the CFG
	 * flag off it is never asked, so the country under limited service
	 * stays unknown and the rotation must go blind (mi_rules_next) */
	if (!(r->cfg.flags & MI_CFG_F_FAILOVER))
		caps = (mi_u8)~MI_CAP_PLI & 0x3Fu;
	for (k = 0; k < MI_ARRAY_SIZE(mi_tp_bits); k++) {
		b = mi_tp_bits[k];
		if (b[0] > len || !(tp[b[0] - 1u] & b[1]))
			caps &= (mi_u8)~b[2];
	}
	/* event network rejection, GERAN/UTRAN (byte 25 b5) or E-UTRAN (b7) */
	if (len >= 25u && (tp[24] & 0x50u))
		caps |= MI_CAP_NET_REJECT;
	/* framework-owned toolkit resources: registered now, what it refuses
	 * is as if the terminal lacked it (mi_toolkit.c) */
	caps = mi_toolkit_claim(a, caps);
	/* a new CAT session: nothing is pending in the terminal any more */
	r->caps = caps;
	r->pend_type = 0;
	r->timer_run = 0;
	r->queue = (caps & MI_CAP_EVENTS) ? MI_Q_EVENTS : 0u;
	/* no normal service reported yet: the rotation clock runs (only when
	 * the terminal reports location status, or we would rotate blind) */
	if ((caps & MI_CAP_EVENTS) && r->service != MI_SERVICE_NORMAL &&
	    !r->deadline[MI_TIMER_ROTATE - 1u])
		r->deadline[MI_TIMER_ROTATE - 1u] = r->now_s + mi_rotation_s(a);
	if ((a->nv->flags & MI_NV_F_DWELL) && !r->deadline[MI_TIMER_DWELL - 1u])
		r->deadline[MI_TIMER_DWELL - 1u] = r->now_s + mi_dwell_s(a);
	if ((r->cfg.flags & MI_CFG_F_RETURN_HOME) && !r->deadline[MI_TIMER_REEVAL - 1u])
		r->deadline[MI_TIMER_REEVAL - 1u] = r->now_s + mi_reeval_s(a);
	for (k = 1; k <= MI_TIMER_COUNT; k++) /* (re)start them in the terminal */
		if (r->deadline[k - 1u] && (caps & MI_CAP_TIMER))
			r->queue |= MI_Q_TIMER(k); /* value: mi_timer_left() */
	if ((r->cfg.flags & MI_CFG_F_MENU) && (caps & MI_CAP_SETUP_MENU))
		r->queue |= MI_Q_MENU;
	if (MI_TK_FW(a)) /* the framework sends SET UP EVENT LIST / SET UP MENU */
		r->queue &= (mi_u16) ~(MI_Q_EVENTS | MI_Q_MENU);
	if (r->refresh_qual != MI_REFRESH_NONE) /* still owed: the mode this terminal allows */
		mi_refresh_next(a);
	return mi_pump(a);
}

/* Network rejection event (TS 31.111 §7.5.2, contents §7.5.2.2): the
 * rejecting PLMN from location information (§8.19), routing area (§8.91)
 * or tracking area identification (§8.99), and the cause (§8.93). */
static int mi_env_reject(struct mi_applet *a, const struct mi_tlvs *t)
{
	struct mi_plmn pl;
	mi_u8 k = MI_T_LOCI; /* the first present of LOCI (5 bytes), RAI (6), TAI (5) */
	int rc;

	if (!t->v[MI_T_CAUSE] || t->l[MI_T_CAUSE] < 1u)
		return MI_ERR_TAG;
	if (!t->v[k])
		k = MI_T_RAI;
	if (!t->v[k])
		k = MI_T_TAI;
	if (!t->v[k])
		return MI_ERR_TAG;
	rc = mi_tlv_plmn(t, k, k == MI_T_RAI ? 6u : 5u, &pl);
	return rc < 0 ? rc : mi_event_in(a, MI_EV(MI_EV_REJECT, t->v[MI_T_CAUSE][0]), 0, pl.mcc);
}

/* EVENT DOWNLOAD (D6, TS 102 223 §7.5): location status, network rejection. */
static int mi_env_event(struct mi_applet *a, const struct mi_tlvs *t)
{
	const mi_u8 *st = t->v[MI_T_LSTATUS], *li = t->v[MI_T_LOCI];
	struct mi_plmn pl;
	int rc;

	if (!t->v[MI_T_EVENTS] || t->l[MI_T_EVENTS] != 1u)
		return MI_ERR_TAG;
	if (t->v[MI_T_EVENTS][0] == 0x12u && (a->ram->caps & MI_CAP_NET_REJECT))
		return mi_env_reject(a, t);
	if (t->v[MI_T_EVENTS][0] != 0x03u)
		return MI_ERR_UNSUPPORTED; /* never registered */
	if (!st || t->l[MI_T_LSTATUS] != 1u)
		return MI_ERR_TAG;
	if (st[0] > MI_SERVICE_NONE)
		return MI_ERR_RANGE;
	if (st[0] != MI_SERVICE_NORMAL)
		return mi_event_in(a, MI_EV(MI_EV_LOCATION, st[0]), 0, 0);
	/* normal service: location information, PLMN + LAC (+ cell) (§8.19) */
	if (!li)
		return MI_ERR_TAG;
	rc = mi_tlv_plmn(t, MI_T_LOCI, 5, &pl);
	if (rc < 0)
		return rc;
	return mi_event_in(a, MI_EV(MI_EV_LOCATION, MI_SERVICE_NORMAL), li, pl.mcc);
}

/* TIMER EXPIRATION (D7, TS 102 223 §7.4). */
static int mi_env_timer(struct mi_applet *a, const struct mi_tlvs *t)
{
	struct mi_ram *r = a->ram;
	mi_u32 secs;
	mi_u8 id;
	int rc;

	if (!t->v[MI_T_TIMER_ID] || !t->v[MI_T_TIMER_VAL])
		return MI_ERR_TAG;
	if (t->l[MI_T_TIMER_ID] != 1u)
		return MI_ERR_LENGTH;
	rc = mi_timer_decode(t->v[MI_T_TIMER_VAL], t->l[MI_T_TIMER_VAL], &secs);
	if (rc < 0)
		return rc;
	id = mi_toolkit_role(a, t->v[MI_T_TIMER_ID][0]); /* framework's id -> role */
	if (id < 1u || id > MI_TIMER_COUNT)
		return MI_ERR_RANGE;
	if (!(r->timer_run & (1u << (id - 1u))))
		return MI_ERR_STATE; /* a timer we never started */
	r->timer_run &= (mi_u8) ~(1u << (id - 1u));
	if ((r->queue & MI_Q_TIMER(id)) || !r->deadline[id - 1u])
		return MI_OK; /* cancelled, or restarted since: stale */
	if (r->now_s < r->deadline[id - 1u])
		r->now_s = r->deadline[id - 1u];
	return mi_event_in(a, MI_EV(MI_EV_TIMER, id), 0, 0);
}

/* The ENVELOPE is exactly one BER-TLV (TS 102 223 Annex C): the checks of
 * mi_btlv_decode() in its order, then no byte after the object. */
int mi_applet_envelope(struct mi_applet *a, const mi_u8 *env, mi_u16 len)
{
	struct mi_tlvs t;
	mi_u16 vlen;
	mi_u8 tag;
	int rc;

	if (!a || !a->ram || !env)
		return MI_ERR_PARAM;
	if (len < 1u)
		return MI_ERR_TRUNCATED;
	tag = env[0];
	if (tag == 0x00u || tag == 0xFFu)
		return MI_ERR_TAG; /* padding, never a tag (ISO/IEC 7816-4 BER-TLV) */
	rc = mi_tlv_len_decode(env + 1, (mi_u16)(len - 1u), &vlen);
	if (rc >= 0 && (mi_u16)(1u + (mi_u16)rc + vlen) != len)
		rc = MI_ERR_LENGTH; /* beyond the buffer, or bytes after the object */
	if (rc >= 0)
		rc = mi_cat_scan(env + 1 + rc, vlen, &t);
	if (rc < 0)
		return rc;
	if (tag == MI_BTAG_MENU)
		rc = mi_menu_selection(a, &t);
	else if (!mi_cat_dev_is(&t, 0x82, 0x81)) /* terminal -> UICC (§8.7) */
		rc = MI_ERR_TAG;
	else if (tag == MI_BTAG_EVENT)
		rc = mi_env_event(a, &t);
	else if (tag == MI_BTAG_TIMER)
		rc = mi_env_timer(a, &t);
	else
		rc = MI_ERR_TAG;
	return rc < 0 ? rc : mi_pump(a);
}

int mi_applet_terminal_response(struct mi_applet *a, const mi_u8 *tr, mi_u16 len)
{
	struct mi_ram *r;
	struct mi_tlvs t;
	struct mi_plmn pl;
	const mi_u8 *cd, *li;
	mi_u8 res, type;
	int rc;

	if (!a || !a->ram || !tr)
		return MI_ERR_PARAM;
	r = a->ram;
	rc = mi_cat_scan(tr, len, &t);
	if (rc < 0)
		return rc;
	cd = t.v[MI_T_CMD];
	if (!cd || !mi_cat_dev_is(&t, 0x82, 0x81) || !t.v[MI_T_RESULT])
		return MI_ERR_TAG;
	if (t.l[MI_T_CMD] != 3u || t.l[MI_T_RESULT] < 1u)
		return MI_ERR_LENGTH;
	type = r->pend_type;
	if (!type || cd[0] != MI_CMD_NUMBER || cd[1] != type)
		return MI_ERR_STATE; /* a command we did not send, or not this one */
	res = t.v[MI_T_RESULT][0];
	if (type == MI_CMD_SELECT_ITEM && res == 0x00u) {
		rc = mi_menu_item(a, &t); /* checks the item before any change */
		if (rc < 0)
			return rc;
	}
	li = t.v[MI_T_LOCI];
	if (type == MI_CMD_PLI && li) { /* location information (§8.19) */
		rc = mi_tlv_plmn(&t, MI_T_LOCI, 5, &pl);
		if (rc < 0)
			return rc;
	}
	r->pend_type = 0;
	if (type == MI_CMD_TIMER) {
		if (res < 0x10u) {
			r->timer_run |= (mi_u8)(1u << (r->pend_timer - 1u));
		} else { /* TIMER MANAGEMENT refused: count STATUS polls instead */
			r->caps &= (mi_u8)~MI_CAP_TIMER;
			r->queue &= (mi_u16)~MI_Q_TIMERS;
		}
	} else if (type == MI_CMD_REFRESH) {
		mi_refresh_result(a, res);
	} else if (type == MI_CMD_SELECT_ITEM && res == 0x00u) {
		rc = mi_menu_choose(a, (mi_u8)rc);
	} else if (type == MI_CMD_PLI && res == 0x06u && li) {
		rc = mi_event_in(a, MI_EV(MI_EV_PLI, 0), li, pl.mcc);
	}
	return rc < 0 ? rc : mi_pump(a);
}

int mi_applet_status(struct mi_applet *a)
{
	struct mi_ram *r;
	mi_u8 k;
	int rc = MI_OK;

	if (!a || !a->ram)
		return MI_ERR_PARAM;
	r = a->ram;
	if (!(r->caps & MI_CAP_TIMER)) {
		/* the clock is the poll count; one due timer per poll */
		r->now_s += r->cfg.poll_s;
		for (k = 1; k <= MI_TIMER_COUNT; k++) {
			if (r->deadline[k - 1u] && r->deadline[k - 1u] <= r->now_s) {
				rc = mi_event_in(a, MI_EV(MI_EV_TIMER, k), 0, 0);
				break;
			}
		}
	}
	return rc < 0 ? rc : mi_pump(a);
}
