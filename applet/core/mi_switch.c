/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_switch.c
 *  The IMSI switch: one committed transaction (mi_nv_txn with the files of
 *  mi_sw_files.c: EF_IMSI, EF_AD, location and security contexts, the
 *  slot's lists, the key set; the state), then REFRESH with the modes the
 *  terminal and the CFG allow, in the CFG's order.
 */
#include "mi_nv_int.h"
#include "mi_softtimer_int.h"
#include "mi_switch_int.h"

/* Switch to \a slot; \a nv is the caller's new state (failed set, MCC ...)
 * to which the switch adds its own fields; it becomes *a->nv only once the
 * transaction is committed. A port failure (no such key set, NV error)
 * aborts the transaction: nothing of the switch is written, \a slot counts
 * as failed in this episode (the rotation moves past it), the rotation
 * timer runs (the backstop; harmless in service), and the event is still
 * answered: a failing target is not bad input. */
int mi_switch(struct mi_applet *a, mi_u8 slot, struct mi_nv *nv)
{
	struct mi_ram *r = a->ram;
	struct mi_nv n = *nv;
	mi_u16 rec = (slot >= 1u && slot <= MI_MAX_SLOTS) ? r->slot_off[slot - 1u] : 0u;
	int rc;

	if (!rec) {
		mi_port_panic(a->port, MI_PANIC_SLOT);
		return MI_ERR_PARAM;
	}
	n.active_slot = slot;
	n.switches++;
	n.flags |= MI_NV_F_UNVERIFIED | MI_NV_F_DWELL;
	rc = mi_nv_txn(a, &n, rec);
	if (rc < 0) {
		nv->failed |= MI_BIT(slot);
		nv->pinned_slot = 0; /* a menu choice that cannot be reached: automatic */
		mi_rotate_arm(a);
		(void)mi_nv_commit(a, nv);
		return MI_OK;
	}
	/* the terminal must re-read the files: REFRESH now (or at next reset) */
	r->refresh_tried = 0;
	r->backoff_s = MI_BACKOFF_MIN_S;
	mi_timer_cancel(a, MI_TIMER_RETRY);
	mi_refresh_next(a);
	mi_timer_arm(a, MI_TIMER_DWELL, mi_dwell_s(a));
	mi_rotate_arm(a);
	/* reports until the REFRESH is done concern the old IMSI: no immediate
	 * switch on them (one per attach attempt) */
	r->fo_armed = MI_FO_LOCK;
	return MI_OK;
}

/* REFRESH qualifier (TS 102 223 §8.6) to try now: the CFG preference, then
 * its fallbacks in order, then UICC reset, skipping modes the terminal
 * refused (3x). */
static mi_u8 mi_refresh_first(const struct mi_applet *a)
{
	const struct mi_ram *r = a->ram;
	mi_u8 k, q;

	for (k = 0; k <= MI_REFRESH_FALLBACKS + 1u; k++) {
		q = mi_cfg_refresh(&r->cfg, k);
		if (q <= 0x07u && !(r->refresh_tried & (1u << q)))
			return q;
	}
	return MI_REFRESH_NONE;
}

/* The REFRESH to send next (mi_refresh_first), queued if there is one;
 * none without REFRESH in the terminal profile (byte 3 b8). */
void mi_refresh_next(struct mi_applet *a)
{
	struct mi_ram *r = a->ram;

	r->refresh_qual = (r->caps & MI_CAP_REFRESH) ? mi_refresh_first(a) : MI_REFRESH_NONE;
	if (r->refresh_qual != MI_REFRESH_NONE)
		r->queue |= MI_Q_REFRESH;
}

/* TERMINAL RESPONSE to REFRESH (general result, TS 102 223 §8.12). */
void mi_refresh_result(struct mi_applet *a, mi_u8 result)
{
	struct mi_ram *r = a->ram;

	/* the REFRESH answered (pend_qual) may be a file change notification
	 * for a new set's lists while a switch's REFRESH became owed since */
	if (result < 0x10u) { /* 00 done, 03 extra EFs read, 08 NAA not active, ... */
		if (r->pend_qual == r->refresh_qual) {
			r->refresh_qual = MI_REFRESH_NONE;
			r->fo_armed &= (mi_u8)~MI_FO_LOCK; /* the terminal now uses the new IMSI */
		}
	} else if (result < 0x30u) { /* 20/21: temporary; retry with backoff */
		mi_timer_arm(a, MI_TIMER_RETRY, r->backoff_s);
		if (r->backoff_s < MI_BACKOFF_MAX_S) /* 30 x 2^5 = 960: no overshoot */
			r->backoff_s = (mi_u16)(r->backoff_s << 1);
	} else { /* 30/31/32: this mode is beyond the terminal; the CFG's next
		  * one (after a refused file change notification too: the
		  * terminal must read the new lists) */
		r->refresh_tried |= (mi_u8)(1u << (r->pend_qual & 7u));
		mi_refresh_next(a);
	}
}
