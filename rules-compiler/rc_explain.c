/* SPDX-License-Identifier: Apache-2.0 */
/* explain: why the card orders the slots as it does at one PLMN. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "rc.h"

static void price_text(const struct rc_plan *plan, const struct rc_rate *r, char *out, size_t cap)
{
	char conv[40], fx[40] = "";

	rc_money_format(r->conv, conv, sizeof(conv));
	if (strcmp(r->currency, plan->currency) != 0) {
		char rate[32];

		rc_money_format(r->fx, rate, sizeof(rate));
		rc_fmt(fx, sizeof(fx), " x %s %s/%s", rate, plan->currency, r->currency);
	}
	rc_fmt(out, cap, "%s %s/%s%s%s = %s %s/GB", r->price_text, r->currency,
	       r->unit == RC_UNIT_GB ? "GB" : "MB", r->unit == RC_UNIT_MB ? " x 1024 MB/GB" : "",
	       fx, conv, plan->currency);
}

/* A slot its sponsor does not price at P: the networks of P's country that
 * the sponsor does price, each with whether the slot may serve there, so
 * the per-network reason is visible (the card never uses it at P). */
static void elsewhere(FILE *out, const struct rc_plan *plan, const struct rc_rates *rates,
		      const struct rc_slot *sl, const struct mi_plmn *p)
{
	mi_u16 mccs[RC_COUNTRY_MCCS];
	int n_mcc = rc_country_mccs(p->mcc, mccs, RC_COUNTRY_MCCS), m, any = 0;
	size_t i;

	for (i = 0; i < rates->n; i++) {
		const struct rc_rate *r = &rates->v[i];
		struct rc_plmn tmp;
		char name[8], why[128], b[160];

		for (m = 0; m < n_mcc && mccs[m] != r->plmn.mcc; m++)
			;
		if (m == n_mcc || strcmp(r->sponsor, sl->sponsor) != 0 || r->wild)
			continue;
		rc_eval_plmn(plan, rates, &r->plmn, &tmp);
		rc_plmn_str(&r->plmn, name);
		rc_why_text(tmp.cell[sl->index - 1].net, why, sizeof(why));
		price_text(plan, r, b, sizeof(b));
		fprintf(out, "     priced at %s: %s%s%s\n", name, b, why[0] ? " but " : "", why);
		any = 1;
	}
	if (!any)
		fprintf(out, "     priced nowhere in %s\n",
			rc_country(p->mcc) ? rc_country(p->mcc) : "this country");
}

/* The rotation's order without service in P's country: the MCC default's
 * order, when it lists slots it forbids (candidates priced elsewhere in
 * the country; docs/compiler.md "The choice", 4). */
static void without_service(FILE *out, const struct rc_plan *plan, const struct rc_result *res,
			    const struct mi_plmn *p)
{
	const struct rc_plmn *d = rc_mcc_default(res, p->mcc);
	const char *country = rc_country(p->mcc);
	char via[8], b[160];
	int k;

	for (k = 0; d && k < d->prof.n_pref && !(d->prof.forbidden & (1u << (d->prof.pref[k] - 1)));
	     k++)
		;
	if (!d || k == d->prof.n_pref)
		return;
	fprintf(out, "without service in %s the rotation tries (MCC default %03u-*):\n",
		country ? country : "the country", p->mcc);
	for (k = 0; k < d->prof.n_pref; k++) {
		int s = d->prof.pref[k];
		const struct rc_cell *c = &d->cell[s - 1];

		if (!c->via) {
			fprintf(out, "  slot %d (%s): the home IMSI, last resort\n", s,
				plan->slots[rc_plan_slot(plan, s)].sponsor);
			continue;
		}
		rc_rate_where(c->via, via);
		price_text(plan, c->via, b, sizeof(b));
		fprintf(out, "  slot %d (%s) %s %s: %s\n", s, plan->slots[rc_plan_slot(plan, s)].sponsor,
			c->net ? "at" : "via", via, b);
	}
}

int rc_explain(FILE *out, const struct rc_plan *plan, const struct rc_rates *rates,
	       const struct rc_result *res, const struct mi_plmn *p, int json)
{
	const struct rc_plmn *known = rc_find_plmn(res, p);
	struct rc_plmn tmp;
	const struct rc_plmn *e = known;
	const struct mi_profile *card;
	const char *country = rc_country(p->mcc);
	char name[8], key[8], b[200];
	int r = rc_lookup(res, p), k, any;

	if (!e) {
		rc_eval_plmn(plan, rates, p, &tmp);
		e = &tmp;
	}
	card = &res->prof[r >= 0 ? res->rule[r].profile : res->global];
	rc_plmn_str(p, name);
	if (r >= 0)
		rc_key_str(res->rule[r].key, key);
	if (json) {
		json_t *o = rc_plmn_json(plan, res, e);
		char *text;

		rc_prof_text(card, b, sizeof(b));
		json_object_set_new(o, "card_profile", json_string(b));
		json_object_set_new(o, "named_by_inputs", json_boolean(known != NULL));
		json_object_set_new(o, "reporting_currency", json_string(plan->currency));
		json_object_set_new(o, "valuation_date", json_string(plan->valuation_date));
		text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(o);
		if (!text)
			return -1;
		fprintf(out, "%s\n", text);
		free(text);
		return 0;
	}
	fprintf(out, "PLMN %s (%s)\n", name, country ? country : "unknown country");
	rc_prof_text(card, b, sizeof(b));
	if (r >= 0)
		fprintf(out, "card rule: %s -> profile %u: %s\n", key, res->rule[r].profile, b);
	else
		fprintf(out, "card rule: global -> profile %d: %s\n", res->global, b);
	if (!known)
		fprintf(
		    out,
		    "note: no rate sheet or plan entry names %s; the card applies the rule above\n",
		    name);
	fprintf(out, "prices: per GB in %s, FX valued on %s\n", plan->currency,
		plan->valuation_date[0] ? plan->valuation_date : "(no FX)");
	if (plan->ceiling >= 0) {
		rc_money_format(plan->ceiling, b, sizeof(b));
		fprintf(out, "ceiling: %s %s/GB\n", b, plan->currency);
	}
	fprintf(out, "order: per network, each slot ranked by its sponsor's rate at %s "
		     "(its own row, or MCC-* for every network of the MCC)\n",
		name);
	if (e->prof.n_pref == 0)
		fprintf(out, "  (no slot may serve %s)\n", name);
	for (k = 0; k < e->prof.n_pref; k++) {
		int s = e->prof.pref[k];
		const struct rc_cell *c = &e->cell[s - 1];
		char via[8];

		if (!c->via) {
			fprintf(out, "  %d. slot %d (%s): no rate here; the home IMSI is the last "
				     "resort\n",
				k + 1, s, plan->slots[rc_plan_slot(plan, s)].sponsor);
			continue;
		}
		rc_rate_where(c->via, via);
		price_text(plan, c->via, b, sizeof(b));
		fprintf(out, "  %d. slot %d (%s) via %s: %s\n", k + 1, s,
			plan->slots[rc_plan_slot(plan, s)].sponsor, via, b);
	}
	without_service(out, plan, res, p);
	fprintf(out, "not preferred:\n");
	any = 0;
	for (k = 0; k < plan->n_slots; k++) {
		const struct rc_slot *sl = &plan->slots[k];
		const struct rc_cell *c = &e->cell[sl->index - 1];
		char why[128];

		if (!c->why)
			continue;
		any = 1;
		rc_why_text(c->why, why, sizeof(why));
		if (c->rate)
			price_text(plan, c->rate, b, sizeof(b));
		else
			b[0] = '\0';
		fprintf(out, "  slot %d (%s)  %s%s%s", sl->index, sl->sponsor, why,
			b[0] ? ": " : "", b);
		if (e->ovr_forbid[sl->index - 1] >= 0)
			fprintf(out, " [%s]", plan->ovr[e->ovr_forbid[sl->index - 1]].path);
		fprintf(out, "\n");
		if (c->why & RC_WHY_NO_RATE)
			elsewhere(out, plan, rates, sl, p);
	}
	if (!any)
		fprintf(out, "  none\n");
	if (e->ovr_order >= 0) {
		const struct rc_override *o = &plan->ovr[e->ovr_order];

		fprintf(out, "pinned order:");
		for (k = 0; k < o->n_order; k++)
			fprintf(out, "%s%u", k ? " > " : " ", o->order[k]);
		fprintf(out, " by %s\n", o->path);
	} else
		fprintf(out, "pinned order: none\n");
	for (k = 0; k < plan->n_pref; k++)
		if (mi_plmn_equal(&plan->pref[k].plmn, p))
			fprintf(out, "preference: %s %s%s%s (OPLMNwACT order)\n", name,
				plan->pref[k].level == RC_LEVEL_HIGH	 ? "high"
				: plan->pref[k].level == RC_LEVEL_MEDIUM ? "medium"
									 : "low",
				plan->pref[k].sponsor[0] ? " for " : "", plan->pref[k].sponsor);
	return 0;
}
