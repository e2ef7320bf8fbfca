/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_decide.c
 *  The decisions: evaluate the serving PLMN, rotate without service, fast
 *  failover; episodes of lost service and hysteresis (docs/applet.md).
 *  A pure function of the state (struct mi_nv, the facts in struct mi_ram),
 *  the rules already looked up (struct mi_view) and the event: it returns a
 *  decision (the new state, a slot to switch to, timers and queries) and
 *  calls no port, writes no NV and sends nothing; mi_apply.c carries it out.
 *
 *  Episode: from the loss of normal service to its return on any slot. The
 *  failure marks (nv.failed) and the rotation backoff belong to it and end
 *  with it, so the next outage tries the best candidates first again.
 *  Mandatory switches (no service; the active slot forbidden or disabled on
 *  the exact serving PLMN) act at once. Optional ones (a cheaper slot) wait
 *  for the dwell, which restarts at every switch and at every new serving
 *  PLMN, and doubles at each return to the slot the last switch left.
 */
#include "mi_choice_int.h"
#include "mi_decide_int.h"

/* The bitmap bit of the active slot; none before the first. */
static MI_NOINLINE mi_u16 mi_active_bit(const struct mi_nv *nv)
{
	return (mi_u16)(nv->active_slot ? MI_BIT(nv->active_slot) : 0u);
}

/* The network is in country \a mcc: marks from another country say nothing here. */
static void mi_nv_mcc(struct mi_nv *nv, mi_u16 mcc)
{
	if (mcc != nv->last_mcc)
		nv->failed = 0;
	nv->last_mcc = mcc;
}

/* The rules decide: a valid set, not naive, no slot pinned in the menu. */
static mi_bool mi_by_rules(const struct mi_ram *r, const struct mi_nv *nv)
{
	return (mi_bool)(!nv->pinned_slot && r->mode != MI_MODE_SAFE &&
			 !(r->cfg.flags & MI_CFG_F_NAIVE));
}

/* No normal service: the rotation clock runs (started once, not pushed
 * back by every report). */
static void mi_rotate_run(const struct mi_ram *r, struct mi_decision *d)
{
	if (!r->deadline[MI_TIMER_ROTATE - 1u])
		d->arm |= MI_TBIT(MI_TIMER_ROTATE);
}

/* Switch to \a target; \a optional: for a cheaper slot (a probe, left at
 * once on a limited-service report, mi_on_location). A return to the slot
 * the last switch left is a back-and-forth: the dwell doubles, up to
 * MI_NV_BOUNCE_MAX. */
static void mi_move(struct mi_decision *d, mi_u8 target, mi_bool optional)
{
	struct mi_nv *nv = &d->nv;
	mi_u8 f = (mi_u8)(nv->flags & ~MI_NV_F_PROBE);

	if (target == nv->prev_slot && (f & MI_NV_BOUNCE) < MI_NV_BOUNCE_MAX)
		f = (mi_u8)(f + MI_NV_BOUNCE_1);
	nv->flags = (mi_u8)(optional ? f | MI_NV_F_PROBE : f);
	nv->prev_slot = nv->active_slot;
	d->slot = target;
}

/* The dwell runs: armed, and not the timer this event stops (its expiry). */
static mi_bool mi_dwell_runs(const struct mi_ram *r, const struct mi_decision *d)
{
	return (mi_bool)(r->deadline[MI_TIMER_DWELL - 1u] && d->stop != MI_TIMER_DWELL);
}

/* Decide on d->v.here, the rules of the exact serving PLMN (its exact rule,
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
static void mi_choose(const struct mi_ram *r, struct mi_decision *d, mi_bool served, mi_bool dwell)
{
	struct mi_nv *nv = &d->nv;
	const struct mi_profile *p = &d->v.here, *c = &d->v.country;
	mi_u8 act = nv->active_slot, best, target;
	mi_u16 me = mi_active_bit(nv), q = p->forbidden;
	mi_bool must, better;

	if (!mi_by_rules(r, nv))
		return;
	best = mi_choice_best(r, p, (mi_u16)(q | nv->failed | (served ? 0u : me)));
	must = (mi_bool)(!act || ((q | (mi_u16)~r->enabled) & me));
	better = (mi_bool)(best && mi_choice_above(p, best, act));
	target = best;
	if (!served) {
		if (!must && !better)
			target = 0;
	} else if (!must) {
		if (!better) {
			/* the best here is the active slot; the country's own order
			 * may rank first a slot this network does not take (it is
			 * forbidden here): it would attach to another network of the
			 * country, e.g. home after a home outage spent on a sponsor
			 * whose network the home IMSI is not priced on. A slot the
			 * country's order lists but forbids is priced on another of
			 * its networks only (docs/compiler.md): a candidate too. */
			target = mi_choice_best(r, c, nv->failed);
			better = (mi_bool)(target && (q & MI_BIT(target)) &&
					   mi_choice_above(c, target, act));
		}
		if (!dwell && !better)
			nv->flags &= (mi_u8)~MI_NV_BOUNCE; /* held a whole dwell: quiet */
		if (!better || dwell)
			target = 0;
	} else if (!best && act) {
		target = mi_choice_next(r, &d->v.country, act, (mi_u16)(nv->failed | me));
	}
	if (!target || target == act)
		return;
	if (!served) {
		nv->failed |= me; /* not served here */
		nv->fo_count++;
	}
	mi_move(d, target, (mi_bool)(served && !must));
}

/* Fast failover: a decision on the network's word about the active IMSI in
 * \a mcc. \returns 1 when one may be taken (MCC remembered, hour window
 * rolled), 0 when not. */
static int mi_fo_begin(const struct mi_ram *r, struct mi_decision *d, mi_u16 mcc)
{
	struct mi_nv *nv = &d->nv;

	if (r->fo_armed & MI_FO_LOCK)
		return 0; /* the last switch has not reached the terminal yet */
	mi_nv_mcc(nv, mcc);
	if (r->now_s - r->fo_window >= 3600u) { /* a new hour */
		d->arm |= MI_ARM_FO_HOUR;
		nv->fo_count = 0;
	}
	return mi_by_rules(r, nv) && nv->fo_count < r->cfg.failover_max_per_hour;
}

/* No normal service for the rotation period: the active slot failed; try
 * the next. When every candidate has failed, the marks age out (a new
 * round). Without any cell (no limited service either) the rotation period
 * also doubles, up to 8 x rotation_s: cycling cannot help until cells come
 * back, which the terminal reports (limited service restarts the period).
 * In limited service cells are there and the period stays rotation_s. */
static void mi_rotate(const struct mi_ram *r, struct mi_decision *d)
{
	struct mi_nv *nv = &d->nv;
	mi_u16 me = mi_active_bit(nv);
	mi_u8 next;

	if (r->service == MI_SERVICE_NORMAL || nv->pinned_slot)
		return;
	if ((r->cfg.flags & MI_CFG_F_NAIVE) && r->mode != MI_MODE_SAFE)
		nv->failed = 0; /* naive: plain round robin, no memory */
	nv->failed |= me;
	next = mi_choice_next(r, &d->v.country, nv->active_slot, nv->failed);
	if (!next) { /* every candidate failed: a new round; slower without any cell */
		nv->failed = me;
		if (r->service != MI_SERVICE_LIMITED && (nv->flags & MI_NV_ROUND) != MI_NV_ROUND)
			nv->flags = (mi_u8)(nv->flags + MI_NV_ROUND_1);
		next = mi_choice_next(r, &d->v.country, nv->active_slot, me);
	}
	if (next && next != nv->active_slot)
		mi_move(d, next, MI_FALSE);
	else
		d->arm |= MI_TBIT(MI_TIMER_ROTATE); /* with the committed round */
}

/* Location status (TS 102 223 §7.5.4): normal service in e->plmn, or not. */
static void mi_on_location(const struct mi_ram *r, struct mi_decision *d)
{
	const struct mi_event *e = &d->e;
	struct mi_nv *nv = &d->nv;
	mi_u8 was = r->service, k;

	if (e->arg != MI_SERVICE_NORMAL) {
		/* cells again after a backed-off round: the rotation period
		 * starts over; else the rotation clock runs (started once, not
		 * pushed back by every report) */
		if (was == MI_SERVICE_NONE && e->arg == MI_SERVICE_LIMITED &&
		    (nv->flags & MI_NV_ROUND)) {
			nv->flags &= (mi_u8)~MI_NV_ROUND;
			d->arm |= MI_TBIT(MI_TIMER_ROTATE);
		} else {
			mi_rotate_run(r, d);
		}
		if (e->arg != MI_SERVICE_LIMITED || (r->fo_armed & MI_FO_LOCK))
			return; /* reports before the REFRESH concern the old IMSI */
		/* an optional switch that finds cells but no service here: back
		 * to the slot it left (served a moment ago) at once */
		if ((nv->flags & MI_NV_F_PROBE) && nv->prev_slot && !nv->pinned_slot) {
			nv->failed |= mi_active_bit(nv);
			mi_move(d, nv->prev_slot, MI_FALSE);
			return;
		}
		/* fast failover: ask where the terminal is camped */
		if (r->caps & MI_CAP_PLI) {
			d->fo_armed |= MI_FO_PLI;
			d->queue |= MI_Q_PLI;
		}
		return;
	}
	/* another serving network than the last one (none known since reset:
	 * power-up, or a switch, whose dwell runs): an optional switch waits a
	 * dwell from here */
	for (k = 0; k < 3u && r->plmn[k] == e->plmn[k]; k++)
		;
	if (k < 3u && (r->plmn[0] | r->plmn[1] | r->plmn[2]))
		d->arm |= MI_TBIT(MI_TIMER_DWELL);
	d->stop = MI_TIMER_ROTATE;
	/* normal service back: the episode is over, its failure marks and
	 * backoff too (a slot whose switch failed in the port stays marked
	 * while the service lasts) */
	nv->flags &= (mi_u8) ~(MI_NV_F_UNVERIFIED | MI_NV_F_PROBE | MI_NV_ROUND);
	nv->fo_count = 0;
	if (was != MI_SERVICE_NORMAL)
		nv->failed = 0;
	mi_nv_mcc(nv, e->mcc);
	mi_choose(r, d, MI_TRUE,
		  (mi_bool)((d->arm & MI_TBIT(MI_TIMER_DWELL)) || mi_dwell_runs(r, d)));
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
static void mi_on_reject(const struct mi_ram *r, struct mi_decision *d)
{
	const struct mi_event *e = &d->e;
	struct mi_nv *nv = &d->nv;
	mi_u8 next;

	if (!(r->cfg.flags & MI_CFG_F_FAILOVER))
		return;
	if (e->arg > 15u || !(MI_CAUSES_NOT_SERVED & (1u << e->arg))) {
		mi_rotate_run(r, d);
		return;
	}
	if (!mi_fo_begin(r, d, e->mcc))
		return;
	nv->failed |= mi_active_bit(nv);
	next = mi_choice_next(r, &d->v.country, nv->active_slot, nv->failed);
	if (!next || next == nv->active_slot)
		return;
	nv->fo_count++;
	mi_move(d, next, MI_FALSE);
}

void mi_decide(const struct mi_ram *r, struct mi_decision *d)
{
	const struct mi_event *e = &d->e;
	struct mi_nv *nv = &d->nv;
	mi_u8 id = e->arg;

	d->queue = 0;
	d->slot = 0;
	d->stop = 0;
	d->arm = 0;
	d->fo_armed = r->fo_armed;
	if (e->kind == MI_EV_LOCATION) {
		mi_on_location(r, d);
	} else if (e->kind == MI_EV_PLI) {
		/* PROVIDE LOCAL INFORMATION answered "06 limited service" with
		 * the camped PLMN: the country is known although the active
		 * IMSI is not served. Its MCC is remembered (the rotation order
		 * follows it) and its rules decide at once; once per
		 * limited-service report, at most failover_max_per_hour times
		 * until normal service; the rotation timer stays the backstop. */
		if (!(r->fo_armed & MI_FO_PLI) || r->service != MI_SERVICE_LIMITED)
			return;
		d->fo_armed &= (mi_u8)~MI_FO_PLI;
		if (mi_fo_begin(r, d, e->mcc))
			mi_choose(r, d, MI_FALSE, MI_FALSE);
	} else if (e->kind == MI_EV_REJECT) {
		mi_on_reject(r, d);
	} else {
		if (e->kind == MI_EV_AUTO) {
			nv->pinned_slot = 0;
		} else {
			d->stop = id; /* expired */
			if (id == MI_TIMER_ROTATE) {
				mi_rotate(r, d);
				return;
			}
			if (id == MI_TIMER_RETRY) {
				if (r->refresh_qual != MI_REFRESH_NONE)
					d->queue = MI_Q_REFRESH; /* the REFRESH owed, again */
				return;
			}
			if (id == MI_TIMER_DWELL) {
				nv->flags &= (mi_u8)~MI_NV_F_DWELL;
			} else { /* MI_TIMER_REEVAL: forget failures, look again (return home) */
				nv->failed = 0;
				d->arm = MI_TBIT(MI_TIMER_REEVAL);
			}
		}
		/* normal service in r->plmn: dwell over, re-evaluation, menu "Automatic" */
		if (r->service == MI_SERVICE_NORMAL)
			mi_choose(r, d, MI_TRUE, mi_dwell_runs(r, d));
	}
}
