/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_decide.c
 *  The decisions: evaluate the serving PLMN, rotate without service, fast
 *  failover; episodes of lost service and hysteresis (docs/applet.md).
 *
 *  Episode: from the loss of normal service to its return on any slot. The
 *  failure marks (nv.failed) and the rotation backoff belong to it and end
 *  with it, so the next outage tries the best candidates first again.
 *  Mandatory switches (no service; the active slot forbidden or disabled on
 *  the exact serving PLMN) act at once. Optional ones (a cheaper slot) wait
 *  for the dwell, which restarts at every switch and at every new serving
 *  PLMN, and doubles at each return to the slot the last switch left.
 */
#include "mi_decide_int.h"
#include "mi_nv_int.h"
#include "mi_rules_int.h"
#include "mi_softtimer_int.h"
#include "mi_switch_int.h"

/* The bitmap bit of the active slot; none before the first. */
static MI_NOINLINE mi_u16 mi_active_bit(const struct mi_nv *nv)
{
	return (mi_u16)(nv->active_slot ? MI_BIT(nv->active_slot) : 0u);
}

/* No normal service: the rotation clock runs (started once, not pushed back
 * by every report). */
static MI_NOINLINE void mi_rotate_start(struct mi_applet *a)
{
	if (!a->ram->deadline[MI_TIMER_ROTATE - 1u])
		mi_rotate_arm(a);
}

/* The network is in country \a mcc: marks from another country say nothing here. */
static void mi_nv_mcc(struct mi_nv *nv, mi_u16 mcc)
{
	if (mcc != nv->last_mcc)
		nv->failed = 0;
	nv->last_mcc = mcc;
}

/* Switch to \a target; \a optional: for a cheaper slot (a probe, left at
 * once on a limited-service report, mi_location). A return to the slot the
 * last switch left is a back-and-forth: the dwell doubles, up to
 * MI_NV_BOUNCE_MAX. */
static int mi_move(struct mi_applet *a, struct mi_nv *nv, mi_u8 target, mi_bool optional)
{
	mi_u8 f = (mi_u8)(nv->flags & ~MI_NV_F_PROBE);

	if (target == nv->prev_slot && (f & MI_NV_BOUNCE) < MI_NV_BOUNCE_MAX)
		f = (mi_u8)(f + MI_NV_BOUNCE_1);
	nv->flags = (mi_u8)(optional ? f | MI_NV_F_PROBE : f);
	nv->prev_slot = nv->active_slot;
	return mi_switch(a, target, nv);
}

/* Decide on the rules of \a plmn, the exact serving PLMN (its exact rule,
 * else its MCC default, else the global rule).
 * Served (normal service there): mandatory if the active slot is forbidden
 * or disabled there (or none is known yet): at once to the best slot. Else
 * optional: a better-ranked slot once the dwell is over (better on this
 * PLMN, or first in the country's order and not taken by this PLMN); a
 * decision to stay with no dwell running is a quiet period: the
 * back-and-forth level resets.
 * Not served (limited service, the PLMN from PROVIDE LOCAL INFORMATION):
 * at once to the best other slot if it ranks above the active one or the
 * active one is forbidden there; else leave it to the rotation. */
static int mi_decide(struct mi_applet *a, struct mi_nv *nv, const mi_u8 *plmn, mi_bool served)
{
	struct mi_ram *r = a->ram;
	struct mi_profile p;
	mi_u8 act = nv->active_slot, best, target;
	mi_u16 me = mi_active_bit(nv), q;
	mi_bool must, better;
	int rc;

	if (nv->pinned_slot || r->mode == MI_MODE_SAFE || (r->cfg.flags & MI_CFG_F_NAIVE))
		return mi_nv_commit(a, nv);
	rc = mi_rules_lookup(a, plmn, &p);
	if (rc < 0)
		return rc;
	best = mi_rules_best(a, &p, (mi_u16)(nv->failed | (served ? 0u : me)));
	q = p.forbidden;
	must = (mi_bool)(!act || ((q | (mi_u16)~r->enabled) & me));
	better = (mi_bool)(best && mi_rules_rank(&p, best) < mi_rules_rank(&p, act));
	target = best;
	if (!served) {
		if (!must && !better)
			target = 0;
	} else if (!must) {
		if (!better && mi_rules_profile_mcc(a, nv->last_mcc, &p) >= 0) {
			/* the best here is the active slot; the country's own order
			 * may rank first a slot this network does not take (it is
			 * forbidden here): it would attach to another network of the
			 * country, e.g. home after a home outage spent on a sponsor
			 * whose network the home IMSI is not priced on. A slot the
			 * country's order lists but forbids is priced on another of
			 * its networks only (docs/compiler.md): a candidate too. */
			p.forbidden = 0;
			target = mi_rules_best(a, &p, nv->failed);
			better = (mi_bool)(target && (q & MI_BIT(target)) &&
					   mi_rules_rank(&p, target) < mi_rules_rank(&p, act));
		}
		if (!r->deadline[MI_TIMER_DWELL - 1u] && !better)
			nv->flags &= (mi_u8)~MI_NV_BOUNCE; /* held a whole dwell: quiet */
		if (!better || r->deadline[MI_TIMER_DWELL - 1u])
			target = 0;
	} else if (!best && act) {
		target = mi_rules_next(a, nv, (mi_u16)(nv->failed | me));
	}
	if (!target || target == act)
		return mi_nv_commit(a, nv);
	if (!served) {
		nv->failed |= me; /* not served here */
		nv->fo_count++;
	}
	return mi_move(a, nv, target, (mi_bool)(served && !must));
}

static int mi_failover_on(const struct mi_applet *a)
{
	return (a->ram->cfg.flags & MI_CFG_F_FAILOVER) != 0;
}

/* Fast failover: start a decision on the network's word about the active
 * IMSI in \a mcc. \returns 1 when a decision may be taken (nv is the new
 * state: MCC remembered, hour window rolled), 0 when not. */
static int mi_fo_begin(struct mi_applet *a, struct mi_nv *nv, mi_u16 mcc)
{
	struct mi_ram *r = a->ram;

	if (r->fo_armed & MI_FO_LOCK)
		return 0; /* the last switch has not reached the terminal yet */
	mi_nv_mcc(nv, mcc);
	if (r->now_s - r->fo_window >= 3600u) { /* a new hour */
		r->fo_window = r->now_s;
		nv->fo_count = 0;
	}
	return !nv->pinned_slot && r->mode != MI_MODE_SAFE && !(r->cfg.flags & MI_CFG_F_NAIVE) &&
	       nv->fo_count < r->cfg.failover_max_per_hour;
}

/* Normal service in ram->plmn (dwell over, re-evaluation, menu "Automatic"). */
int mi_evaluate(struct mi_applet *a, struct mi_nv *nv)
{
	if (a->ram->service != MI_SERVICE_NORMAL)
		return mi_nv_commit(a, nv);
	return mi_decide(a, nv, a->ram->plmn, MI_TRUE);
}

/* No normal service for the rotation period: the active slot failed; try
 * the next. When every candidate has failed, the marks age out (a new
 * round). Without any cell (no limited service either) the rotation period
 * also doubles, up to 8 x rotation_s: cycling cannot help until cells come
 * back, which the terminal reports (limited service restarts the period).
 * In limited service cells are there and the period stays rotation_s. */
static int mi_rotate(struct mi_applet *a, struct mi_nv *nv)
{
	mi_u16 me = mi_active_bit(nv);
	mi_u8 next;
	int rc;

	if (a->ram->service == MI_SERVICE_NORMAL || nv->pinned_slot)
		return MI_OK;
	if ((a->ram->cfg.flags & MI_CFG_F_NAIVE) && a->ram->mode != MI_MODE_SAFE)
		nv->failed = 0; /* naive: plain round robin, no memory */
	nv->failed |= me;
	next = mi_rules_next(a, nv, nv->failed);
	if (!next) { /* every candidate failed: a new round; slower without any cell */
		nv->failed = me;
		if (a->ram->service != MI_SERVICE_LIMITED &&
		    (nv->flags & MI_NV_ROUND) != MI_NV_ROUND)
			nv->flags = (mi_u8)(nv->flags + MI_NV_ROUND_1);
		next = mi_rules_next(a, nv, me);
	}
	if (next && next != nv->active_slot)
		return mi_move(a, nv, next, MI_FALSE);
	rc = mi_nv_commit(a, nv);
	mi_rotate_arm(a); /* with the committed round */
	return rc;
}

int mi_timer_fire(struct mi_applet *a, mi_u8 id)
{
	struct mi_nv nv = *a->nv;

	a->ram->deadline[id - 1u] = 0;
	if (id == MI_TIMER_ROTATE)
		return mi_rotate(a, &nv);
	if (id == MI_TIMER_RETRY) {
		if (a->ram->refresh_qual != MI_REFRESH_NONE)
			a->ram->queue |= MI_Q_REFRESH;
		return MI_OK;
	}
	if (id == MI_TIMER_DWELL) {
		nv.flags &= (mi_u8)~MI_NV_F_DWELL;
	} else { /* MI_TIMER_REEVAL: forget failures, look again (return home) */
		nv.failed = 0;
		mi_timer_arm(a, MI_TIMER_REEVAL, mi_reeval_s(a));
	}
	return mi_evaluate(a, &nv);
}

/* Location status (TS 102 223 §7.5.3): normal service in \a plmn, or not. */
int mi_location(struct mi_applet *a, mi_u8 status, const mi_u8 *plmn, mi_u16 mcc)
{
	struct mi_ram *r = a->ram;
	struct mi_nv nv = *a->nv;
	mi_u8 was = r->service, k;

	r->service = status;
	if (status != MI_SERVICE_NORMAL) {
		/* cells again after a backed-off round: the rotation period
		 * starts over; else the rotation clock runs (started once, not
		 * pushed back by every report) */
		if (was == MI_SERVICE_NONE && status == MI_SERVICE_LIMITED &&
		    (nv.flags & MI_NV_ROUND)) {
			nv.flags &= (mi_u8)~MI_NV_ROUND;
			(void)mi_nv_commit(a, &nv);
			mi_rotate_arm(a);
		} else {
			mi_rotate_start(a);
		}
		if (status != MI_SERVICE_LIMITED || (r->fo_armed & MI_FO_LOCK))
			return MI_OK; /* reports before the REFRESH concern the old IMSI */
		/* an optional switch that finds cells but no service here: back
		 * to the slot it left (served a moment ago) at once */
		if ((nv.flags & MI_NV_F_PROBE) && nv.prev_slot && !nv.pinned_slot) {
			nv.failed |= mi_active_bit(&nv);
			return mi_move(a, &nv, nv.prev_slot, MI_FALSE);
		}
		/* fast failover: ask where the terminal is camped */
		if (r->caps & MI_CAP_PLI) {
			r->fo_armed |= MI_FO_PLI;
			r->queue |= MI_Q_PLI;
		}
		return MI_OK;
	}
	/* another serving network than the last one (none known since reset:
	 * power-up, or a switch, whose dwell runs): an optional switch waits a
	 * dwell from here */
	for (k = 0; k < 3u && r->plmn[k] == plmn[k]; k++)
		;
	if (k < 3u && (r->plmn[0] | r->plmn[1] | r->plmn[2]))
		mi_timer_arm(a, MI_TIMER_DWELL, mi_dwell_s(a));
	MI_MEMCPY(r->plmn, plmn, 3);
	mi_timer_cancel(a, MI_TIMER_ROTATE);
	/* normal service back: the episode is over, its failure marks and
	 * backoff too (a slot whose switch failed in the port stays marked
	 * while the service lasts) */
	nv.flags &= (mi_u8) ~(MI_NV_F_UNVERIFIED | MI_NV_F_PROBE | MI_NV_ROUND);
	nv.fo_count = 0;
	if (was != MI_SERVICE_NORMAL)
		nv.failed = 0;
	mi_nv_mcc(&nv, mcc);
	return mi_evaluate(a, &nv);
}

/* PROVIDE LOCAL INFORMATION answered "06 limited service" with the camped
 * PLMN: the country is known although the active IMSI is not served.
 * Remember its MCC (the rotation order follows it) and let its rules decide
 * at once; once per limited-service report, at most failover_max_per_hour
 * times until normal service; the rotation timer stays the backstop. */
int mi_pli_limited(struct mi_applet *a, const mi_u8 *plmn, mi_u16 mcc)
{
	struct mi_nv nv = *a->nv;

	if (!(a->ram->fo_armed & MI_FO_PLI) || a->ram->service != MI_SERVICE_LIMITED)
		return MI_OK;
	a->ram->fo_armed &= (mi_u8)~MI_FO_PLI;
	if (!mi_fo_begin(a, &nv, mcc))
		return mi_nv_commit(a, &nv);
	return mi_decide(a, &nv, plmn, MI_FALSE);
}

/* Rejection causes that say "this identity is not served here" (TS 24.008
 * §10.5.3.6 / TS 24.301 §9.9.3.9): #2 IMSI unknown, #3 illegal UE, #6
 * illegal ME, #7 EPS services not allowed, #8 EPS and non-EPS not allowed,
 * #11 PLMN not allowed, #12 LA/TA not allowed, #13 roaming not allowed in
 * this LA/TA, #14 EPS services not allowed in this PLMN, #15 no suitable
 * cells in LA/TA. Anything else (#17 network failure, #22 congestion ...)
 * is temporary: the normal rotation timer decides. Bit n = cause n. */
#define MI_CAUSES_NOT_SERVED 0xF9CCu

/* NETWORK REJECTION: on a permanent cause, the active slot failed in the
 * rejecting network's MCC; switch at once to the next candidate of that
 * MCC's rules (same order as the rotation). */
int mi_rejected(struct mi_applet *a, mi_u16 mcc, mi_u8 cause)
{
	struct mi_nv nv = *a->nv;
	mi_u8 next;

	if (!mi_failover_on(a))
		return MI_OK;
	if (cause > 15u || !(MI_CAUSES_NOT_SERVED & (1u << cause))) {
		mi_rotate_start(a);
		return MI_OK;
	}
	if (!mi_fo_begin(a, &nv, mcc))
		return mi_nv_commit(a, &nv);
	nv.failed |= mi_active_bit(&nv);
	next = mi_rules_next(a, &nv, nv.failed);
	if (!next || next == nv.active_slot)
		return mi_nv_commit(a, &nv);
	nv.fo_count++;
	return mi_move(a, &nv, next, MI_FALSE);
}
