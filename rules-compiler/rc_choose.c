/* SPDX-License-Identifier: Apache-2.0 */
/* The choice: per PLMN, the slots its sponsors price there ordered by price
 * per GB in the reporting currency, the others forbidden with their reasons;
 * then MCC defaults (what an MNC no input names gets: only MNC-wildcard
 * rows price it), exact MNC rules wherever a network differs from its
 * MCC default, one global profile, and per-slot OPLMNwACT and FPLMN lists.
 *
 * Ties (docs/compiler.md): equal converted prices put the home slot first,
 * then the lower slot number. Nothing depends on the row order of the rate
 * sheets: rates are sorted by (sponsor, PLMN) before anything looks at them. */
#include <stdlib.h>
#include <string.h>

#include "rc.h"

#define BIT(s) ((mi_u16)(1u << ((s)-1)))

/* A row's key: the exact PLMN, or the MCC default key for an MNC wildcard
 * row (it sorts before every MNC of its MCC). */
static mi_u32 rate_key(const struct rc_rate *r)
{
	return mi_rule_key(r->plmn.mcc, r->wild ? 0 : r->plmn.mnc, r->wild ? 2 : r->plmn.mnc_digits,
			   r->wild ? MI_FALSE : MI_TRUE);
}

static int rate_cmp(const void *a, const void *b)
{
	const struct rc_rate *x = a, *y = b;
	mi_u32 kx = rate_key(x), ky = rate_key(y);
	int c = strcmp(x->sponsor, y->sponsor);

	if (c)
		return c;
	if (kx != ky)
		return kx < ky ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* The rates of one sponsor: [lo, hi) of the sorted table. */
struct span {
	size_t lo, hi;
};

/* First index of [lo, hi) whose key is at least key (one sponsor). */
static size_t key_lower(const struct rc_rates *rates, size_t lo, size_t hi, mi_u32 key)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rate_key(&rates->v[mid]) < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The span of each slot's sponsor (indexed like plan->slots). */
static void sponsor_spans(const struct rc_plan *plan, const struct rc_rates *rates,
			  struct span *sp)
{
	int k;

	for (k = 0; k < plan->n_slots; k++) {
		size_t lo = 0, hi = rates->n;

		while (lo < hi) { /* first rate of the sponsor */
			size_t mid = lo + (hi - lo) / 2;

			if (strcmp(rates->v[mid].sponsor, plan->slots[k].sponsor) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		sp[k].lo = lo;
		for (hi = rates->n; lo < hi;) { /* first rate after it */
			size_t mid = lo + (hi - lo) / 2;

			if (strcmp(rates->v[mid].sponsor, plan->slots[k].sponsor) <= 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		sp[k].hi = lo;
	}
}

/* The row that prices network p for one sponsor: p's own row, else the
 * sponsor's MNC wildcard row of p's MCC, else NULL (p is not priced). */
static const struct rc_rate *rate_find(const struct rc_rates *rates, const struct span *sp,
				       const struct mi_plmn *p)
{
	mi_u32 wild = mi_rule_key(p->mcc, 0, 2, MI_FALSE);
	size_t i = key_lower(rates, sp->lo, sp->hi,
			     mi_rule_key(p->mcc, p->mnc, p->mnc_digits, MI_TRUE));

	if (i < sp->hi && !rates->v[i].wild && mi_plmn_equal(&rates->v[i].plmn, p))
		return &rates->v[i];
	i = key_lower(rates, sp->lo, sp->hi, wild);
	if (i < sp->hi && rate_key(&rates->v[i]) == wild)
		return &rates->v[i];
	return NULL;
}

/* The FX rate of a currency on the valuation date: the newest entry not
 * after it. \returns the rate in micro-units, or -1. */
int64_t rc_fx_rate(const struct rc_plan *plan, const char *cur)
{
	const struct rc_fx *best = NULL;
	int k;

	if (strcmp(cur, plan->currency) == 0)
		return RC_SCALE;
	for (k = 0; k < plan->n_fx; k++) {
		const struct rc_fx *f = &plan->fx[k];

		if (strcmp(f->currency, cur) != 0 || strcmp(f->date, plan->valuation_date) > 0)
			continue;
		if (!best || strcmp(f->date, best->date) > 0)
			best = f;
	}
	return best ? best->rate : -1;
}

/* Check sponsors and currencies, convert, sort, merge identical duplicates. */
static int rates_prepare(const struct rc_plan *plan, struct rc_rates *rates, rc_error_t *err)
{
	size_t i, o;
	int k;

	for (i = 0, o = 0; i < rates->n; i++) { /* drop the ignored sponsors */
		for (k = 0; k < plan->n_ignore; k++)
			if (strcmp(plan->ignore[k], rates->v[i].sponsor) == 0)
				break;
		if (k < plan->n_ignore)
			rates->ignored++;
		else
			rates->v[o++] = rates->v[i];
	}
	rates->n = o;
	for (i = 0; i < rates->n; i++) {
		struct rc_rate *r = &rates->v[i];
		int64_t fx;

		for (k = 0; k < plan->n_slots; k++)
			if (strcmp(plan->slots[k].sponsor, r->sponsor) == 0)
				break;
		if (k == plan->n_slots) {
			rc_err_at(err, r->file, r->line, r->col_sponsor,
				  "unknown sponsor '%s': no slot of %s names it", r->sponsor,
				  plan->file);
			return -1;
		}
		fx = rc_fx_rate(plan, r->currency);
		if (fx < 0) {
			rc_err_at(err, r->file, r->line, r->col_currency,
				  "no FX rate %s->%s dated on or before %s in %s $.fx", r->currency,
				  plan->currency,
				  plan->valuation_date[0] ? plan->valuation_date : "(none)",
				  plan->file);
			return -1;
		}
		r->fx = fx;
		if (rc_money_convert(r->per_gb, fx, &r->conv) < 0) {
			rc_err_at(err, r->file, r->line, r->col_price,
				  "price overflows after conversion to %s", plan->currency);
			return -1;
		}
	}
	qsort(rates->v, rates->n, sizeof(*rates->v), rate_cmp);
	for (i = 0, o = 0; i < rates->n; i++) {
		struct rc_rate *r = &rates->v[i];

		if (o > 0) {
			struct rc_rate *prev = &rates->v[o - 1];

			if (strcmp(prev->sponsor, r->sponsor) == 0 &&
			    rate_key(prev) == rate_key(r)) {
				char a[8];

				if (prev->per_gb == r->per_gb &&
				    strcmp(prev->currency, r->currency) == 0) {
					rates->duplicates++; /* same price twice: merged */
					continue;
				}
				rc_rate_where(r, a);
				rc_err_at(err, r->file, r->line, r->col_price,
					  "duplicate rate for %s %s with a different price (%s "
					  "%s/%s at %s:%ld)",
					  r->sponsor, a, prev->price_text, prev->currency,
					  prev->unit == RC_UNIT_GB ? "GB" : "MB", prev->file,
					  prev->line);
				return -1;
			}
		}
		rates->v[o++] = *r;
	}
	rates->n = o;
	for (k = 0; k < plan->n_slots; k++) {
		const struct rc_slot *s = &plan->slots[k];

		for (i = 0; i < rates->n; i++)
			if (strcmp(rates->v[i].sponsor, s->sponsor) == 0)
				break;
		if (i == rates->n) {
			char path[48];

			snprintf(path, sizeof(path), "$.slots[%d].sponsor", s->json_index);
			rc_err_path(err, plan->file, path,
				    "sponsor '%s' has no rate in any rate sheet: the slot could "
				    "serve nowhere",
				    s->sponsor);
			return -1;
		}
	}
	return 0;
}

static int covered(const struct rc_plan *plan, const struct mi_plmn *p)
{
	int k;

	if (plan->n_cov == 0)
		return 1;
	for (k = 0; k < plan->n_cov; k++) {
		const struct rc_cov *c = &plan->cov[k];

		if (c->exact ? mi_plmn_equal(&c->plmn, p) : c->plmn.mcc == p->mcc)
			return 1;
	}
	return 0;
}

static int ovr_applies(const struct rc_override *o, const struct mi_plmn *p)
{
	return o->exact ? mi_plmn_equal(&o->plmn, p) : o->plmn.mcc == p->mcc;
}

static enum rc_level level_of(const struct rc_plan *plan, const struct mi_plmn *p,
			      const char *sponsor)
{
	enum rc_level lv = RC_LEVEL_NONE;
	int k;

	for (k = 0; k < plan->n_pref; k++) {
		const struct rc_pref *f = &plan->pref[k];

		if (!mi_plmn_equal(&f->plmn, p))
			continue;
		if (strcmp(f->sponsor, sponsor) == 0)
			return f->level; /* sponsor-specific beats the generic one */
		if (!f->sponsor[0])
			lv = f->level;
	}
	return lv;
}

/* high 1 < medium 2 < low 3 < none 4 */
static int level_rank(const struct rc_plan *plan, const struct mi_plmn *p, const char *sponsor)
{
	enum rc_level lv = level_of(plan, p, sponsor);

	return lv == RC_LEVEL_NONE ? 4 : (int)lv;
}

/* Why slot s cannot use network p itself (r: its rate there, or NULL);
 * the override that refused it goes to *ovr when ovr is not NULL. */
static unsigned net_why(const struct rc_plan *plan, const struct rc_slot *s,
			const struct rc_rate *r, const struct mi_plmn *p, int *ovr)
{
	unsigned why = 0;
	int i;

	if (s->disabled)
		why |= RC_WHY_DISABLED;
	if (!r && !s->home) /* the home IMSI without a rate: last resort */
		why |= RC_WHY_NO_RATE;
	if (!covered(plan, p))
		why |= RC_WHY_COVERAGE;
	if (r && plan->ceiling >= 0 && r->conv > plan->ceiling)
		why |= RC_WHY_CEILING;
	for (i = 0; i < plan->n_ovr; i++) {
		const struct rc_override *o = &plan->ovr[i];
		unsigned w = 0;

		if (!ovr_applies(o, p))
			continue;
		if (o->forbid & BIT(s->index))
			w |= RC_WHY_OVERRIDE;
		if (o->local_only && s->plmn.mcc != p->mcc)
			w |= RC_WHY_LOCAL_ONLY;
		if (w && ovr)
			*ovr = i;
		why |= w;
	}
	return why;
}

/* The price that ranks a slot at a network: its row there; the home slot
 * without one comes after every priced slot (docs/compiler.md). */
static int64_t cell_price(const struct rc_cell *c)
{
	return c->via ? c->via->conv : INT64_MAX;
}

/* a before b in the preference order? */
static int slot_before(const struct rc_plan *plan, const struct rc_plmn *e, int a, int b)
{
	int64_t pa = cell_price(&e->cell[a - 1]), pb = cell_price(&e->cell[b - 1]);
	int ha = plan->slots[rc_plan_slot(plan, a)].home,
	    hb = plan->slots[rc_plan_slot(plan, b)].home;

	if (pa != pb)
		return pa < pb;
	if (ha != hb)
		return ha;
	return a < b;
}

/* The cheapest row of slot s's sponsor on which s may serve somewhere in
 * the country of p (all its MCCs: Japan is 440 and 441; a wildcard row
 * counts as one network), or NULL: what ranks s as a candidate to try
 * without service in that country (its FPLMN and OPLMNwACT then steer the
 * modem to the networks its sponsor prices). */
static const struct rc_rate *best_in_country(const struct rc_plan *plan,
					     const struct rc_rates *rates, const struct rc_slot *s,
					     const struct span *sp, const struct mi_plmn *p)
{
	const struct rc_rate *best = NULL;
	mi_u16 mccs[RC_COUNTRY_MCCS];
	int n_mcc = rc_country_mccs(p->mcc, mccs, RC_COUNTRY_MCCS), m;
	size_t i;

	for (m = 0; m < n_mcc; m++)
		for (i = key_lower(rates, sp->lo, sp->hi, mi_rule_key(mccs[m], 0, 2, MI_FALSE));
		     i < sp->hi && rates->v[i].plmn.mcc == mccs[m]; i++) {
			const struct rc_rate *r = &rates->v[i];

			if (net_why(plan, s, r, &r->plmn, NULL))
				continue;
			if (!best || r->conv < best->conv) /* ascending keys: first stays */
				best = r;
		}
	return best;
}

/* Insert slot s into order[0..n) before the first slot it ranks before. */
static int order_insert(const struct rc_plan *plan, const struct rc_plmn *e, mi_u8 *order, int n,
			int s)
{
	int i;

	for (i = n; i > 0 && slot_before(plan, e, s, order[i - 1]); i--)
		order[i] = order[i - 1];
	order[i] = (mi_u8)s;
	return n + 1;
}

/* One network p. Allowed: the slots whose sponsor prices p itself (its row
 * or its MNC wildcard row of p's MCC) and that nothing else refuses there,
 * ordered by that price (pinned order first); the home slot without a rate
 * is the last resort. Every other slot is forbidden at p. A forbidden slot
 * that may serve elsewhere in p's country stays in the order, ranked by its
 * cheapest network there, as a candidate to try without service (the
 * applet's rotation uses the MCC default's order; with service it never
 * takes a forbidden slot). The same rule for every network of an MCC makes
 * the networks that agree with the MCC default need no row of their own. */
static void eval_plmn(const struct rc_plan *plan, const struct rc_rates *rates,
		      const struct span *sp, const struct mi_plmn *p, struct rc_plmn *e)
{
	mi_u8 order[MI_MAX_SLOTS], tail[MI_MAX_SLOTS];
	int n = 0, nt = 0, k, i, pin = -1;

	memset(e, 0, sizeof(*e));
	e->plmn = *p;
	e->key = mi_rule_key(p->mcc, p->mnc, p->mnc_digits, MI_TRUE);
	e->ovr_order = -1;
	e->rule = -1;
	for (k = 0; k < (int)MI_MAX_SLOTS; k++)
		e->ovr_forbid[k] = -1;
	/* the pinned order: an exact override beats an MCC-wide one */
	for (i = 0; i < plan->n_ovr; i++) {
		const struct rc_override *o = &plan->ovr[i];

		if (o->n_order && ovr_applies(o, p) &&
		    (pin < 0 || (o->exact && !plan->ovr[pin].exact)))
			pin = i;
	}
	e->ovr_order = pin;
	for (k = 0; k < plan->n_slots; k++) {
		const struct rc_slot *s = &plan->slots[k];
		struct rc_cell *c = &e->cell[s->index - 1];

		c->rate = rate_find(rates, &sp[k], p);
		c->net = net_why(plan, s, c->rate, p, &e->ovr_forbid[s->index - 1]);
		c->why = c->net;
		if (!c->net) {
			c->via = c->rate; /* NULL: the home slot, unpriced here */
			n = order_insert(plan, e, order, n, s->index);
			continue;
		}
		e->prof.forbidden |= BIT(s->index);
		c->via = best_in_country(plan, rates, s, &sp[k], p);
		if (c->via)
			nt = order_insert(plan, e, tail, nt, s->index);
	}
	if (pin >= 0) { /* pinned slots first, in the plan's order; then by price */
		const struct rc_override *o = &plan->ovr[pin];
		mi_u8 tmp[MI_MAX_SLOTS];
		int m = 0;

		for (i = 0; i < o->n_order; i++)
			if (e->cell[o->order[i] - 1].why == 0)
				tmp[m++] = o->order[i];
		for (i = 0; i < n; i++) {
			int j;

			for (j = 0; j < o->n_order; j++)
				if (o->order[j] == order[i])
					break;
			if (j == o->n_order)
				tmp[m++] = order[i];
		}
		memcpy(order, tmp, (size_t)n);
	}
	for (i = plan->pref_depth; i < n; i++) {
		e->cell[order[i] - 1].why |= RC_WHY_DEPTH;
		if (plan->forbid_unlisted) /* only the listed slots may ever serve */
			e->prof.forbidden |= BIT(order[i]);
	}
	if (n > plan->pref_depth)
		n = plan->pref_depth;
	if (nt > plan->pref_depth)
		nt = plan->pref_depth;
	e->prof.n_pref = (mi_u8)n;
	memcpy(e->prof.pref, order, (size_t)n);
	e->n_cand = (mi_u8)nt;
	memcpy(e->cand, tail, (size_t)nt);
}

/* The MCC default's order when no slot is priced on the MCC's unnamed
 * networks (no wildcard row): the allowed slots and the candidates without
 * service merged by price (after a pinned order). The applet's rotation
 * walks all of it, its choice with service skips the forbidden ones. Where a
 * wildcard row prices a slot, that slot serves everywhere and the rotation
 * tries it first; the exact rule of the network reached decides next. */
static void merge_candidates(const struct rc_plan *plan, struct rc_plmn *e)
{
	int i, n = e->prof.n_pref;

	for (i = 0; i < e->n_cand; i++) {
		int at = n;

		while (e->ovr_order < 0 && at > 0 &&
		       slot_before(plan, e, e->cand[i], e->prof.pref[at - 1]))
			at--;
		memmove(e->prof.pref + at + 1, e->prof.pref + at, (size_t)(n - at));
		e->prof.pref[at] = e->cand[i];
		n++;
	}
	e->prof.n_pref = (mi_u8)n;
}

void rc_eval_plmn(const struct rc_plan *plan, const struct rc_rates *rates, const struct mi_plmn *p,
		  struct rc_plmn *e)
{
	struct span sp[MI_MAX_SLOTS];

	sponsor_spans(plan, rates, sp);
	eval_plmn(plan, rates, sp, p, e);
}

static int prof_equal(const struct mi_profile *a, const struct mi_profile *b)
{
	return a->n_pref == b->n_pref && a->forbidden == b->forbidden &&
	       memcmp(a->pref, b->pref, a->n_pref) == 0;
}

static int plmn_cmp(const void *a, const void *b)
{
	const struct mi_plmn *x = a, *y = b;
	mi_u32 kx = mi_rule_key(x->mcc, x->mnc, x->mnc_digits, MI_TRUE);
	mi_u32 ky = mi_rule_key(y->mcc, y->mnc, y->mnc_digits, MI_TRUE);

	return kx < ky ? -1 : kx > ky;
}

/* Every PLMN the inputs name: rates, home, coverage, preferences, overrides. */
static int universe(const struct rc_plan *plan, const struct rc_rates *rates, struct mi_plmn **out,
		    size_t *n_out, rc_error_t *err)
{
	size_t cap =
	    rates->n + 1 + (size_t)plan->n_cov + (size_t)plan->n_pref + (size_t)plan->n_ovr;
	struct mi_plmn *v = malloc(cap * sizeof(*v));
	size_t n = 0, i, o;
	int k;

	if (!v) {
		rc_err_io(err, RC_EK_NOMEM, "out of memory");
		return -1;
	}
	for (i = 0; i < rates->n; i++)
		if (!rates->v[i].wild) /* a wildcard names no network */
			v[n++] = rates->v[i].plmn;
	v[n++] = plan->home_plmn;
	for (k = 0; k < plan->n_cov; k++)
		if (plan->cov[k].exact)
			v[n++] = plan->cov[k].plmn;
	for (k = 0; k < plan->n_pref; k++)
		v[n++] = plan->pref[k].plmn;
	for (k = 0; k < plan->n_ovr; k++)
		if (plan->ovr[k].exact)
			v[n++] = plan->ovr[k].plmn;
	qsort(v, n, sizeof(*v), plmn_cmp);
	for (i = 0, o = 0; i < n; i++)
		if (o == 0 || plmn_cmp(&v[o - 1], &v[i]) != 0)
			v[o++] = v[i];
	*out = v;
	*n_out = o;
	return 0;
}

static int prof_index(struct rc_result *res, const struct mi_profile *p, rc_error_t *err)
{
	int i;

	for (i = 0; i < res->n_prof; i++)
		if (prof_equal(&res->prof[i], p))
			return i;
	if (res->n_prof == (int)MI_PROFILES_MAX) {
		rc_err_msg(
		    err,
		    "more than %u distinct preference profiles (mi_config.h MI_PROFILES_MAX): "
		    "lower $.pref_depth or pin orders with $.overrides",
		    MI_PROFILES_MAX);
		return -1;
	}
	res->prof[res->n_prof] = *p;
	return res->n_prof++;
}

/* What the card applies to an MNC of \a mcc that no input names: the
 * evaluation of such an MNC (only MNC-wildcard rows and MCC-wide coverage
 * and overrides reach it), so `explain` on any unnamed MNC agrees. */
static void eval_mcc_default(const struct rc_plan *plan, const struct rc_rates *rates,
			     const struct span *sp, const struct rc_result *res, mi_u16 mcc,
			     struct rc_plmn *e)
{
	struct mi_plmn p;
	int mnc, k;

	p.mcc = mcc;
	p.mnc_digits = 2;
	for (mnc = 0; mnc < 1100; mnc++) { /* 00..99, then 000..999 */
		p.mnc = (mi_u16)(mnc < 100 ? mnc : mnc - 100);
		p.mnc_digits = (mi_u8)(mnc < 100 ? 2 : 3);
		if (!rc_find_plmn(res, &p))
			break;
	}
	eval_plmn(plan, rates, sp, &p, e);
	for (k = 0; k < e->prof.n_pref && !e->cell[e->prof.pref[k] - 1].via; k++)
		;
	if (k == e->prof.n_pref) /* no priced slot of its own: rotate to those of the country */
		merge_candidates(plan, e);
	e->key = mi_rule_key(mcc, 0, 2, MI_FALSE);
}

/* Does network profile \a p behave as the MCC default \a d while served:
 * the same forbidden set and the same order of the allowed slots? (The
 * candidates without service that only the default lists do not matter:
 * the rotation reads them from the default.) */
static int same_when_served(const struct mi_profile *p, const struct mi_profile *d)
{
	int i = 0, j = 0;

	if (p->forbidden != d->forbidden)
		return 0;
	for (;; i++, j++) {
		while (i < p->n_pref && (p->forbidden & BIT(p->pref[i])))
			i++;
		while (j < d->n_pref && (d->forbidden & BIT(d->pref[j])))
			j++;
		if (i == p->n_pref || j == d->n_pref)
			return i == p->n_pref && j == d->n_pref;
		if (p->pref[i] != d->pref[j])
			return 0;
	}
}

/* Every MCC that a named network or an MNC wildcard row reaches, ascending. */
static mi_u16 *mcc_list(const struct rc_rates *rates, const struct rc_result *res, size_t *n_out)
{
	static unsigned char seen[1000];
	mi_u16 *v = malloc(1000 * sizeof(*v));
	size_t i, n = 0;
	unsigned m;

	if (!v)
		return NULL;
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < res->n_plmn; i++)
		seen[res->plmn[i].plmn.mcc] = 1;
	for (i = 0; i < rates->n; i++)
		if (rates->v[i].wild)
			seen[rates->v[i].plmn.mcc] = 1;
	for (m = 0; m < 1000; m++)
		if (seen[m])
			v[n++] = (mi_u16)m;
	*n_out = n;
	return v;
}

/* Per MCC: the default row (only when it differs from the global profile),
 * then an exact row for every named network whose order or forbidden set
 * differs from that default: the card gets each network's own order. */
static int rules_build(const struct rc_plan *plan, const struct rc_rates *rates,
		       const struct span *sp, struct rc_result *res, rc_error_t *err)
{
	const struct mi_profile *glob = &res->prof[res->global];
	size_t n_mcc = 0, m, i = 0;
	mi_u16 *mccs = mcc_list(rates, res, &n_mcc);
	int idx;

	res->rule = malloc((res->n_plmn + n_mcc + 1) * sizeof(*res->rule));
	res->mccdef = calloc(n_mcc ? n_mcc : 1, sizeof(*res->mccdef));
	if (!mccs || !res->rule || !res->mccdef) {
		free(mccs);
		rc_err_io(err, RC_EK_NOMEM, "out of memory");
		return -1;
	}
	for (m = 0; m < n_mcc; m++) {
		struct rc_plmn *d = &res->mccdef[res->n_mccdef++];

		eval_mcc_default(plan, rates, sp, res, mccs[m], d);
		if (!prof_equal(&d->prof, glob)) {
			idx = prof_index(res, &d->prof, err);
			if (idx < 0)
				goto fail;
			res->rule[res->n_rule].key = d->key;
			res->rule[res->n_rule++].profile = (mi_u8)idx;
		}
		for (; i < res->n_plmn && res->plmn[i].plmn.mcc == mccs[m]; i++) {
			if (same_when_served(&res->plmn[i].prof, &d->prof))
				continue;
			idx = prof_index(res, &res->plmn[i].prof, err);
			if (idx < 0)
				goto fail;
			res->rule[res->n_rule].key = res->plmn[i].key;
			res->rule[res->n_rule++].profile = (mi_u8)idx;
		}
	}
	free(mccs);
	if (res->n_rule > MI_RULES_MAX) {
		rc_err_msg(err, "%zu rule rows, the applet holds at most %u (MI_RULES_MAX)",
			   res->n_rule, MI_RULES_MAX);
		return -1;
	}
	for (i = 0; i < res->n_plmn; i++)
		res->plmn[i].rule = rc_lookup(res, &res->plmn[i].plmn);
	return 0;
fail:
	free(mccs);
	return -1;
}

struct cand {
	const struct rc_plmn *e;
	int top, level;
	int64_t price;
};

static int cand_select_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->top != y->top)
		return x->top - y->top;
	if (x->level != y->level)
		return x->level - y->level;
	if (x->price != y->price)
		return x->price < y->price ? -1 : 1;
	return x->e->key < y->e->key ? -1 : x->e->key > y->e->key;
}

/* A country's first MCC (Japan: 440 for 440 and 441): lists group by it. */
static mi_u16 country_of(mi_u16 mcc)
{
	mi_u16 m[RC_COUNTRY_MCCS];

	return rc_country_mccs(mcc, m, RC_COUNTRY_MCCS) > 0 ? m[0] : mcc;
}

static int cand_final_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	mi_u16 cx = country_of(x->e->plmn.mcc), cy = country_of(y->e->plmn.mcc);

	if (cx != cy)
		return cx < cy ? -1 : 1;
	if (x->level != y->level)
		return x->level - y->level;
	if (x->price != y->price)
		return x->price < y->price ? -1 : 1;
	return x->e->key < y->e->key ? -1 : x->e->key > y->e->key;
}

/* Refused at a PLMN: any reason but the depth cut, which refuses only
 * when the plan forbids every unlisted slot. */
static int refused(const struct rc_plan *plan, unsigned why)
{
	if (plan->forbid_unlisted)
		return why != 0;
	return (why & (unsigned)~RC_WHY_DEPTH) != 0;
}

static int slots_build(const struct rc_plan *plan, struct rc_result *res, rc_error_t *err)
{
	static unsigned char serves[1000]; /* by country_of(): the slot serves there */
	struct cand *c = malloc((res->n_plmn + 1) * sizeof(*c));
	int k;

	if (!c) {
		rc_err_io(err, RC_EK_NOMEM, "out of memory");
		return -1;
	}
	for (k = 0; k < plan->n_slots; k++) {
		const struct rc_slot *s = &plan->slots[k];
		struct mi_slot *m = &res->slot[k];
		size_t i, n = 0;

		memset(m, 0, sizeof(*m));
		m->slot = (mi_u8)s->index;
		m->flags = (mi_u8)((s->home ? MI_SLOT_F_HOME : 0) |
				   (s->bootstrap ? MI_SLOT_F_BOOTSTRAP : 0) |
				   (s->disabled ? MI_SLOT_F_DISABLED : 0));
		m->sponsor = (mi_u8)s->sponsor_id;
		m->keyset = (mi_u8)s->keyset;
		m->mnc_len = (mi_u8)s->mnc_len;
		if (mi_imsi_encode(s->imsi, (mi_u16)strlen(s->imsi), m->imsi, sizeof(m->imsi)) <
		    0) {
			char path[48];

			snprintf(path, sizeof(path), "$.slots[%d].imsi", s->json_index);
			rc_err_path(err, plan->file, path, "IMSI '%s' cannot be encoded", s->imsi);
			free(c);
			return -1;
		}
		/* OPLMNwACT: where the slot may serve; the networks where it is
		 * the first choice are kept first when more than fit */
		for (i = 0; i < res->n_plmn; i++) {
			const struct rc_plmn *e = &res->plmn[i];
			const struct rc_cell *cl = &e->cell[s->index - 1];

			if (cl->net || refused(plan, cl->why))
				continue;
			c[n].e = e;
			c[n].top = rc_first_allowed(&e->prof) != s->index;
			c[n].level = level_rank(plan, &e->plmn, s->sponsor);
			c[n].price = cell_price(cl);
			n++;
		}
		qsort(c, n, sizeof(*c), cand_select_cmp);
		if (n > (size_t)plan->oplmn_max) {
			res->oplmn_dropped[k] = (int)(n - (size_t)plan->oplmn_max);
			n = (size_t)plan->oplmn_max;
		}
		qsort(c, n, sizeof(*c), cand_final_cmp);
		for (i = 0; i < n; i++)
			if (mi_plmnwact_encode(&c[i].e->plmn, plan->act, m->oplmn[i], 5) < 0) {
				rc_err_msg(err, "cannot encode an OPLMNwACT entry");
				free(c);
				return -1;
			}
		m->n_oplmn = (mi_u8)n;
		/* FPLMN: where it must not register (never its own HPLMN,
		 * which it must always be able to register on; EF_FPLMN is
		 * TS 31.102 §4.2.16). First the networks of countries where
		 * the slot serves on another network (the list steers the
		 * modem there), then those another slot serves */
		memset(serves, 0, sizeof(serves));
		for (i = 0; i < res->n_plmn; i++)
			if (!res->plmn[i].cell[s->index - 1].net &&
			    !refused(plan, res->plmn[i].cell[s->index - 1].why))
				serves[country_of(res->plmn[i].plmn.mcc)] = 1;
		n = 0;
		for (i = 0; i < res->n_plmn; i++) {
			const struct rc_plmn *e = &res->plmn[i];
			const struct rc_cell *cl = &e->cell[s->index - 1];

			if ((!cl->net && !refused(plan, cl->why)) ||
			    mi_plmn_equal(&e->plmn, &s->plmn))
				continue;
			c[n].e = e;
			c[n].top = serves[country_of(e->plmn.mcc)] ? 0 : e->prof.n_pref ? 1 : 2;
			c[n].level = 0;
			c[n].price = 0;
			n++;
		}
		qsort(c, n, sizeof(*c), cand_select_cmp);
		if (n > (size_t)plan->fplmn_max) {
			res->fplmn_dropped[k] = (int)(n - (size_t)plan->fplmn_max);
			n = (size_t)plan->fplmn_max;
		}
		qsort(c, n, sizeof(*c), cand_final_cmp);
		for (i = 0; i < n; i++)
			if (mi_plmn_encode(&c[i].e->plmn, m->fplmn[i], 3) < 0) {
				rc_err_msg(err, "cannot encode an FPLMN entry");
				free(c);
				return -1;
			}
		m->n_fplmn = (mi_u8)n;
	}
	res->n_slot = plan->n_slots;
	free(c);
	return 0;
}

/* A plan in which no slot is priced and usable on any network would only
 * ever run on the home IMSI's last resort: an error, not a rule set. */
static int no_usable_slot(const struct rc_plan *plan, const struct rc_result *res,
			  rc_error_t *err)
{
	size_t i;
	int k;

	for (i = 0; i < res->n_plmn; i++)
		for (k = 0; k < plan->n_slots; k++) {
			const struct rc_cell *c = &res->plmn[i].cell[plan->slots[k].index - 1];

			if (!c->net && c->rate)
				return 0;
		}
	rc_err_path(err, plan->file, "$.slots",
		    "no slot is usable on any network: every rate is outside $.coverage, over "
		    "$.ceiling or forbidden by $.overrides");
	return -1;
}

int rc_choose(const struct rc_plan *plan, struct rc_rates *rates, struct rc_result *res,
	      rc_error_t *err)
{
	struct mi_plmn *u = NULL;
	struct span sp[MI_MAX_SLOTS];
	struct mi_profile glob;
	size_t n = 0, i;
	int k, lead = -1;

	memset(res, 0, sizeof(*res));
	if (rates_prepare(plan, rates, err) < 0 || universe(plan, rates, &u, &n, err) < 0)
		return -1;
	res->plmn = calloc(n ? n : 1, sizeof(*res->plmn));
	if (!res->plmn) {
		free(u);
		rc_err_io(err, RC_EK_NOMEM, "out of memory");
		return -1;
	}
	res->n_plmn = n;
	sponsor_spans(plan, rates, sp);
	for (i = 0; i < n; i++)
		eval_plmn(plan, rates, sp, &u[i], &res->plmn[i]);
	free(u);
	/* global profile (networks no rule names): the home slot alone, as
	 * no sponsor has a rate there; else the bootstrap, else the first */
	for (k = 0; k < plan->n_slots && lead < 0; k++)
		if (plan->slots[k].home)
			lead = k;
	for (k = 0; k < plan->n_slots && lead < 0; k++)
		if (plan->slots[k].bootstrap)
			lead = k;
	if (lead < 0)
		lead = 0;
	memset(&glob, 0, sizeof(glob));
	glob.n_pref = 1;
	glob.pref[0] = (mi_u8)plan->slots[lead].index;
	for (k = 0; k < plan->n_slots; k++)
		if (k != lead)
			glob.forbidden |= BIT(plan->slots[k].index);
	res->global = prof_index(res, &glob, err);
	if (no_usable_slot(plan, res, err) < 0 || rules_build(plan, rates, sp, res, err) < 0 ||
	    slots_build(plan, res, err) < 0)
		return -1;
	/* spare places (copies of the global profile, no rule points at them)
	 * that a later compile --base fills without moving the rule table */
	for (k = 0; k < plan->profile_spares && res->n_prof < (int)MI_PROFILES_MAX; k++) {
		res->prof[res->n_prof++] = res->prof[res->global];
		res->n_spares++;
	}
	return 0;
}

int rc_lookup(const struct rc_result *res, const struct mi_plmn *p)
{
	mi_u32 keys[2];
	int t;

	keys[0] = mi_rule_key(p->mcc, p->mnc, p->mnc_digits, MI_TRUE);
	keys[1] = mi_rule_key(p->mcc, 0, 2, MI_FALSE);
	for (t = 0; t < 2; t++) {
		size_t lo = 0, hi = res->n_rule;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (res->rule[mid].key == keys[t])
				return (int)mid;
			if (res->rule[mid].key < keys[t])
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return -1;
}

const struct rc_plmn *rc_mcc_default(const struct rc_result *res, mi_u16 mcc)
{
	size_t i;

	for (i = 0; i < res->n_mccdef; i++)
		if (res->mccdef[i].plmn.mcc == mcc)
			return &res->mccdef[i];
	return NULL;
}

const struct rc_plmn *rc_find_plmn(const struct rc_result *res, const struct mi_plmn *p)
{
	mi_u32 key = mi_rule_key(p->mcc, p->mnc, p->mnc_digits, MI_TRUE);
	size_t lo = 0, hi = res->n_plmn;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (res->plmn[mid].key == key)
			return &res->plmn[mid];
		if (res->plmn[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void rc_result_free(struct rc_result *res)
{
	free(res->plmn);
	free(res->mccdef);
	free(res->rule);
	free(res->slots_ef);
	free(res->rules_ef);
	memset(res, 0, sizeof(*res));
}
