/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_apply.c
 *  An event to a decision, and the decision carried out: the rules the
 *  decision reads are looked up first (through the port, mi_rules.c), the
 *  decision is taken by the pure mi_decide(), then the event is recorded in
 *  RAM and the decision applied: the timers, one NV transaction (the switch
 *  with its REFRESH, mi_switch.c, or the state alone when it changed,
 *  mi_nv.c), the commands owed.
 */
#include "mi_apply_int.h"
#include "mi_nv_int.h"
#include "mi_rules_int.h"
#include "mi_softtimer_int.h"
#include "mi_switch_int.h"

/* The rules of event \a e: the country's order of its MCC (else of the last
 * one), and the rules of the PLMN it concerns (else of the serving one,
 * with normal service); none where the rules are not used (safe mode,
 * naive). */
static int mi_view_get(struct mi_applet *a, const struct mi_event *e, struct mi_view *v)
{
	const struct mi_ram *r = a->ram;
	const mi_u8 *plmn = e->plmn;

	MI_MEMSET(v, 0, sizeof(*v));
	if (r->mode == MI_MODE_SAFE || (r->cfg.flags & MI_CFG_F_NAIVE))
		return MI_OK;
	mi_rules_country(a, MI_EV_HAS_MCC(e->kind) ? e->mcc : a->nv->last_mcc, &v->country);
	if (!plmn && r->service == MI_SERVICE_NORMAL)
		plmn = r->plmn;
	return plmn ? mi_rules_lookup(a, plmn, &v->here) : MI_OK;
}

int mi_event_in(struct mi_applet *a, mi_u16 ev, const mi_u8 *plmn, mi_u16 mcc)
{
	struct mi_ram *r = a->ram;
	struct mi_decision d;
	struct mi_event *e = &d.e;
	int rc;

	e->kind = (mi_u8)(ev >> 8);
	e->arg = (mi_u8)ev;
	e->plmn = plmn;
	e->mcc = mcc;
	rc = mi_view_get(a, e, &d.v);
	if (rc < 0)
		return rc;
	d.nv = *a->nv;
	mi_decide(r, &d);
	/* the event, recorded */
	if (e->kind == MI_EV_LOCATION) {
		r->service = e->arg;
		if (e->arg == MI_SERVICE_NORMAL)
			MI_MEMCPY(r->plmn, plmn, 3);
	}
	r->fo_armed = d.fo_armed;
	if (d.arm & MI_ARM_FO_HOUR)
		r->fo_window = r->now_s;
	r->queue |= d.queue;
	/* the decision: timers stopped, the state (with the switch), timers started */
	if (d.stop)
		mi_timer_cancel(a, d.stop);
	rc = d.slot ? mi_switch(a, d.slot, &d.nv) : mi_nv_commit(a, &d.nv);
	if (d.arm & MI_TBIT(MI_TIMER_DWELL))
		mi_timer_arm(a, MI_TIMER_DWELL, mi_dwell_s(a));
	if (d.arm & MI_TBIT(MI_TIMER_ROTATE))
		mi_rotate_arm(a);
	if (d.arm & MI_TBIT(MI_TIMER_REEVAL))
		mi_timer_arm(a, MI_TIMER_REEVAL, mi_reeval_s(a));
	return rc;
}
