/* SPDX-License-Identifier: Apache-2.0 */
/*! \file mi_rules.c
 *  Rules lookup (binary search over the 4-byte entries of EF.MI_RULES, read
 *  through the port: exact key, then the MCC default, then the global
 *  profile); the choice among the slots of a profile is mi_choice.c.
 */
#include "mi_choice_int.h"
#include "mi_rules_int.h"
#include "mi_set_int.h"
#include "mimsi/mi_plmn.h"

static enum mi_file mi_rules_file(const struct mi_applet *a)
{
	return mi_set_file(a, MI_KIND_RULES);
}

/* The rule at \a off of RULES file \a f, read and checked. */
int mi_rule_at(struct mi_applet *a, enum mi_file f, mi_u16 off, struct mi_rule *r)
{
	mi_u8 b[MI_RULE_LEN];
	int rc = mi_port_file_read(a->port, f, off, b, MI_RULE_LEN);

	return rc < 0 ? rc : mi_rule_decode(b, MI_RULE_LEN, r);
}

/* The profile at \a off of RULES file \a f, read and checked. */
int mi_profile_at(struct mi_applet *a, enum mi_file f, mi_u16 off, struct mi_profile *p)
{
	mi_u8 b[MI_PROFILE_LEN];
	int rc = mi_port_file_read(a->port, f, off, b, MI_PROFILE_LEN);

	return rc < 0 ? rc : mi_profile_decode(b, MI_PROFILE_LEN, p);
}

/* \returns the profile index of the rule with \a key, or MI_ERR_NOT_FOUND. */
static int mi_rules_find(struct mi_applet *a, mi_u32 key)
{
	struct mi_rule r;
	mi_u16 lo = 0, hi = a->ram->rules_nr, mid;
	mi_u16 base = (mi_u16)(MI_EF_HDR_LEN + MI_RULES_FIXED + MI_PROFILE_LEN * a->ram->rules_np);
	enum mi_file f = mi_rules_file(a);
	int rc;

	while (lo < hi) {
		mid = (mi_u16)(lo + (mi_u16)((hi - lo) >> 1));
		rc = mi_rule_at(a, f, (mi_u16)(base + MI_RULE_LEN * mid), &r);
		if (rc < 0)
			return rc;
		if (r.key == key)
			return r.profile;
		if (r.key < key)
			lo = (mi_u16)(mid + 1u);
		else
			hi = mid;
	}
	return MI_ERR_NOT_FOUND;
}

/* The profile index of the MCC default rule of \a mcc, or MI_ERR_NOT_FOUND. */
static MI_NOINLINE int mi_rules_find_mcc(struct mi_applet *a, mi_u16 mcc)
{
	return mi_rules_find(a, mi_rule_key(mcc, 0, 2, MI_FALSE));
}

static int mi_rules_profile(struct mi_applet *a, int idx, struct mi_profile *p)
{
	int rc;

	if (idx == MI_ERR_NOT_FOUND)
		idx = a->ram->rules_global;
	if (idx < 0)
		return idx;
	rc = mi_profile_at(a, mi_rules_file(a),
			   (mi_u16)(MI_EF_HDR_LEN + MI_RULES_FIXED + MI_PROFILE_LEN * (mi_u16)idx),
			   p);
	return rc < 0 ? rc : MI_OK;
}

/* Exact MCC+MNC, then the MCC default, then the global profile. */
int mi_rules_lookup(struct mi_applet *a, const mi_u8 plmn[3], struct mi_profile *p)
{
	struct mi_plmn pl;
	int idx, rc = mi_plmn_decode(plmn, 3, &pl);

	if (rc < 0)
		return rc;
	idx = mi_rules_find(a, mi_rule_key(pl.mcc, pl.mnc, pl.mnc_digits, MI_TRUE));
	if (idx == MI_ERR_NOT_FOUND)
		idx = mi_rules_find_mcc(a, pl.mcc);
	return mi_rules_profile(a, idx, p);
}

/* The MCC default (or global) profile: the order used without service. */
int mi_rules_profile_mcc(struct mi_applet *a, mi_u16 mcc, struct mi_profile *p)
{
	int idx = MI_ERR_NOT_FOUND;

	if (mcc != MI_MCC_NONE)
		idx = mi_rules_find_mcc(a, mcc);
	return mi_rules_profile(a, idx, p);
}

/* The country's order for the decisions and the rotation: the MCC default
 * (or global) profile of \a mcc; empty when it cannot be read. */
void mi_rules_country(struct mi_applet *a, mi_u16 mcc, struct mi_profile *p)
{
	if (mi_rules_profile_mcc(a, mcc, p) < 0) {
		p->n_pref = 0;
		p->forbidden = 0;
	}
}

/* Next slot to try without normal service (mi_choice_next) in the country
 * of \a nv's last MCC. */
mi_u8 mi_rules_next(struct mi_applet *a, const struct mi_nv *nv, mi_u16 skip)
{
	struct mi_profile p;

	mi_rules_country(a, nv->last_mcc, &p);
	return mi_choice_next(a->ram, &p, nv->active_slot, skip);
}
