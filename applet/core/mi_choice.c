/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_choice.c
 *  The choice of a slot: the best of a rules profile, the order of two in it,
 *  and the next candidate without normal service. Pure: the profile is
 *  looked up by the caller (mi_rules.c reads it through the port), the set's
 *  facts (enabled and bootstrap slots, mode, CFG, capabilities) are read
 *  from RAM, and nothing is written.
 */
#include "mi_choice_int.h"

/* The first slot of the preference list that is enabled and not in
 * \a avoid (the caller adds p->forbidden when the profile's ban counts);
 * 0 if none. */
mi_u8 mi_choice_best(const struct mi_ram *r, const struct mi_profile *p, mi_u16 avoid)
{
	mi_u16 ok = (mi_u16)(r->enabled & ~avoid);
	mi_u8 k, s;

	for (k = 0; k < p->n_pref; k++) {
		s = p->pref[k];
		if (ok & MI_BIT(s))
			return s;
	}
	return 0;
}

/* Slot \a s ranks above slot \a t in the preference list (a slot it does
 * not list ranks below every listed one). */
mi_bool mi_choice_above(const struct mi_profile *p, mi_u8 s, mi_u8 t)
{
	mi_u8 k;

	for (k = 0; k < p->n_pref; k++) {
		if (p->pref[k] == s)
			return (mi_bool)(s != t);
		if (p->pref[k] == t)
			return MI_FALSE;
	}
	return MI_FALSE;
}

/* The first slot of \a mask after \a after, cyclically; 0 if mask is empty. */
static mi_u8 mi_choice_cyclic(mi_u16 mask, mi_u8 after)
{
	mi_u8 i, s;

	for (i = 1; i <= MI_MAX_SLOTS; i++) {
		s = (mi_u8)(after + i);
		if (s > MI_MAX_SLOTS)
			s = (mi_u8)(s - MI_MAX_SLOTS);
		if (mask & MI_BIT(s))
			return s;
	}
	return 0;
}

/* Next slot to try without normal service after \a active, never one in
 * \a skip:
 *   naive: round robin over enabled slots;
 *   safe mode: bootstrap slots only (no rules to trust);
 *   rules: \a country, the last MCC's preference order (all of it: the MCC
 *   default lists the country's candidates, docs/compiler.md), then
 *   bootstrap slots, then round robin without the slots the last MCC's rule
 *   forbids. When the engine asks the terminal for the camped PLMN (PROVIDE
 *   LOCAL INFORMATION, MI_CAP_PLI: supported and the CFG failover flag
 *   set), the last MCC is where the device is, and a forbidden slot is never
 *   tried: in a home outage it cannot help and costs a REFRESH each time
 *   (journeys smart-meter-outage, local-imsi-germany). Otherwise the
 *   forbidden slots come last (the device may have crossed a border).
 *   0: no candidate. */
mi_u8 mi_choice_next(const struct mi_ram *r, const struct mi_profile *country, mi_u8 active,
		     mi_u16 skip)
{
	mi_u16 left = (mi_u16)(r->enabled & ~skip), forbidden = country->forbidden;
	mi_u8 s;

	if (r->mode == MI_MODE_SAFE)
		return mi_choice_cyclic((mi_u16)(left & r->bootstrap), active);
	if (r->cfg.flags & MI_CFG_F_NAIVE)
		return mi_choice_cyclic(left, active);
	/* the whole order: a slot forbidden on the MCC's unnamed networks may
	 * still serve on the networks its sponsor prices (FPLMN steers) */
	s = mi_choice_best(r, country, skip);
	if (!s)
		s = mi_choice_cyclic((mi_u16)(left & r->bootstrap & ~forbidden), active);
	if (!s)
		s = mi_choice_cyclic((mi_u16)(left & ~forbidden), active);
	if (!s && !(r->caps & MI_CAP_PLI))
		s = mi_choice_cyclic(left, active); /* blind: the country is unknown */
	return s;
}
