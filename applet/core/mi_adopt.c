/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_adopt.c
 *  A set written into the A/B banks while the card runs (by the loader, or
 *  over the air as TS 102 226 UPDATE BINARY) is adopted at the end of the
 *  next event that went well (mi_pump), without a reset:
 *   - the bank headers' fingerprint (mi_set_sig) differs from the one taken
 *     when the set was chosen: choose again (mi_set_load);
 *   - the chosen set's seq differs from the one in the state: adopt it, in
 *     one transaction with the state (a power cut leaves the old state, and
 *     the next event or reset adopts again):
 *       the active IMSI is in the new set: its slot's OPLMNwACT, FPLMN and
 *       EHPLMN and its key set are written now, not at the next switch,
 *       then REFRESH file change notification so the terminal reads them;
 *       the active IMSI left the set (its slot was replaced): the CFG says
 *       whether to write the new identity of that slot and REFRESH
 *       (MI_CFG_F_REPLACE_REFRESH), or to switch away to the next
 *       candidate of the rules. After a reset the slot number is lost
 *       (mi_reset takes it from EF_IMSI): the next candidate then.
 */
#include "mi_adopt_int.h"
#include "mi_nv_int.h"
#include "mi_rules_int.h"
#include "mi_set_int.h"
#include "mi_switch_int.h"

/* Choose the set again: the facts mi_set_load() ORs in start empty. */
static void mi_adopt_reload(struct mi_applet *a)
{
	struct mi_ram *r = a->ram;

	r->banks = 0;
	r->enabled = 0;
	r->bootstrap = 0;
	MI_MEMSET(r->slot_off, 0, sizeof(r->slot_off));
	(void)mi_set_load(a); /* no valid set: safe mode, as at reset */
}

int mi_adopt(struct mi_applet *a)
{
	struct mi_ram *r = a->ram;
	struct mi_nv nv = *a->nv;
	mi_u8 old = nv.active_slot, s;
	int rc;

	if (mi_set_sig(a) != r->set_sig)
		mi_adopt_reload(a);
	if (nv.set_seq == r->set_seq || r->mode == MI_MODE_SAFE)
		return MI_OK;
	nv.set_seq = r->set_seq;
	mi_nv_forget(&nv);
	if (!mi_slot_usable(a, nv.pinned_slot))
		nv.pinned_slot = 0;
	s = mi_slot_of_imsi(a);
	if (s) { /* the identity stays (its slot number may change) */
		nv.active_slot = s;
		rc = mi_nv_txn(a, &nv, (mi_u16)(r->slot_off[s - 1u] | MI_SW_LISTS_ONLY));
		/* TS 102 223 §6.4.7 file change notification: the terminal
		 * re-reads the lists now, unless a switch's REFRESH is owed */
		if (rc >= 0 && r->refresh_qual == MI_REFRESH_NONE && (r->caps & MI_CAP_REFRESH)) {
			r->refresh_qual = MI_REFRESH_FCN;
			r->queue |= MI_Q_REFRESH;
		}
		return rc;
	}
	/* the active identity left the set: its slot was replaced or removed */
	if (!mi_slot_usable(a, old))
		old = 0; /* gone or disabled: nothing to write there */
	s = (r->cfg.flags & MI_CFG_F_REPLACE_REFRESH) ? old : 0u;
	if (!s)
		s = mi_rules_next(a, &nv, (mi_u16)(old ? MI_BIT(old) : 0u));
	if (!s)
		s = old; /* no other candidate: the new identity of the same slot */
	if (!s)
		return mi_nv_commit(a, &nv);
	return mi_switch(a, s, &nv);
}
