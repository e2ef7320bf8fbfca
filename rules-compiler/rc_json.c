/* SPDX-License-Identifier: Apache-2.0 */
/* report.json: the machine report of a compile (deterministic: object keys
 * in a fixed order, money as exact decimal strings, no paths but base
 * names, so that the same inputs give the same bytes anywhere). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "rc.h"

void rc_why_text(unsigned why, char *out, size_t cap)
{
	static const struct {
		unsigned bit;
		const char *text;
	} names[] = {
	    {RC_WHY_DISABLED, "slot disabled"},		{RC_WHY_NO_RATE, "no rate"},
	    {RC_WHY_COVERAGE, "not in coverage"},	{RC_WHY_CEILING, "over ceiling"},
	    {RC_WHY_OVERRIDE, "forbidden by override"}, {RC_WHY_LOCAL_ONLY, "local IMSI only"},
	    {RC_WHY_DEPTH, "beyond pref_depth"}};
	size_t i, at = 0;

	out[0] = '\0';
	for (i = 0; i < MI_ARRAY_SIZE(names); i++)
		if (why & names[i].bit) {
			rc_fmt(out + at, cap - at, "%s%s", at ? ", " : "", names[i].text);
			at = strlen(out);
		}
}

void rc_key_str(mi_u32 key, char out[8])
{
	struct mi_plmn p;

	p.mcc = (mi_u16)(key >> 12);
	if (!(key & 0x800u)) {
		rc_fmt(out, 8, "%03u-*", p.mcc);
		return;
	}
	p.mnc_digits = (key & 0x400u) ? 3 : 2;
	p.mnc = (mi_u16)(key & 0x3FFu);
	rc_plmn_str(&p, out);
}

void rc_prof_text(const struct mi_profile *p, char *out, size_t cap)
{
	size_t at = 0;
	int k, first = 1;

	rc_fmt(out, cap, "order ");
	at = strlen(out);
	for (k = 0; k < p->n_pref; k++) {
		rc_fmt(out + at, cap - at, "%s%u", k ? " > " : "", p->pref[k]);
		at = strlen(out);
	}
	if (p->n_pref == 0) {
		rc_fmt(out + at, cap - at, "(none)");
		at = strlen(out);
	}
	rc_fmt(out + at, cap - at, "; forbidden ");
	at = strlen(out);
	for (k = 1; k <= (int)MI_MAX_SLOTS; k++)
		if (p->forbidden & (1u << (k - 1))) {
			rc_fmt(out + at, cap - at, "%s%d", first ? "" : " ", k);
			at = strlen(out);
			first = 0;
		}
	if (first)
		rc_fmt(out + at, cap - at, "none");
}

/* Is slot s in the order of profile p? */
static int in_order(const struct mi_profile *p, int s)
{
	int k;

	for (k = 0; k < p->n_pref; k++)
		if (p->pref[k] == s)
			return 1;
	return 0;
}

static json_t *money(int64_t v)
{
	char b[40];

	rc_money_format(v, b, sizeof(b));
	return json_string(b);
}

static json_t *rate_json(const struct rc_plan *plan, const struct rc_rate *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "price", json_string(r->price_text));
	json_object_set_new(o, "currency", json_string(r->currency));
	json_object_set_new(o, "unit", json_string(r->unit == RC_UNIT_GB ? "GB" : "MB"));
	json_object_set_new(o, "per_gb", money(r->per_gb));
	json_object_set_new(o, "fx_rate", money(r->fx));
	json_object_set_new(o, "converted_per_gb", money(r->conv));
	json_object_set_new(o, "reporting_currency", json_string(plan->currency));
	return o;
}

json_t *rc_plmn_json(const struct rc_plan *plan, const struct rc_result *res,
		     const struct rc_plmn *e)
{
	json_t *o = json_object(), *order = json_array(), *forb = json_array();
	char b[128];
	const char *country = rc_country(e->plmn.mcc);
	const struct rc_plmn *d = rc_mcc_default(res, e->plmn.mcc);
	int k, r = rc_lookup(res, &e->plmn);

	rc_plmn_str(&e->plmn, b);
	json_object_set_new(o, "plmn", json_string(b));
	json_object_set_new(o, "country", country ? json_string(country) : json_null());
	if (r >= 0) {
		rc_key_str(res->rule[r].key, b);
		json_object_set_new(o, "rule", json_string(b));
		json_object_set_new(o, "profile", json_integer(res->rule[r].profile));
	} else {
		json_object_set_new(o, "rule", json_string("global"));
		json_object_set_new(o, "profile", json_integer(res->global));
	}
	for (k = 0; k < e->prof.n_pref; k++) {
		int s = e->prof.pref[k];
		const struct rc_slot *sl = &plan->slots[rc_plan_slot(plan, s)];
		const struct rc_cell *c = &e->cell[s - 1];
		json_t *x = c->via ? rate_json(plan, c->via) : json_object();

		json_object_set_new(x, "slot", json_integer(s));
		json_object_set_new(x, "sponsor", json_string(sl->sponsor));
		if (c->via) { /* the row that prices this network: its own or "MCC-*" */
			rc_rate_where(c->via, b);
			json_object_set_new(x, "via", json_string(b));
		} else { /* the home IMSI where its sheet has no rate */
			json_object_set_new(x, "via", json_null());
			json_object_set_new(x, "unpriced", json_string("home IMSI, last resort"));
		}

		json_array_append_new(order, x);
	}
	json_object_set_new(o, "order", order);
	order = json_array(); /* the MCC default's candidates without service */
	for (k = 0; d && k < d->n_cand; k++) {
		const struct rc_cell *c = &d->cell[d->cand[k] - 1];
		json_t *x;

		if (!in_order(&d->prof, d->cand[k]))
			continue;
		x = rate_json(plan, c->via);
		json_object_set_new(x, "slot", json_integer(d->cand[k]));
		rc_rate_where(c->via, b);
		json_object_set_new(x, "via", json_string(b));
		json_array_append_new(order, x);
	}
	json_object_set_new(o, "without_service", order);
	for (k = 0; k < plan->n_slots; k++) {
		const struct rc_slot *sl = &plan->slots[k];
		const struct rc_cell *c = &e->cell[sl->index - 1];
		json_t *x;

		if (!c->why)
			continue;
		x = c->rate ? rate_json(plan, c->rate) : json_object();
		json_object_set_new(x, "slot", json_integer(sl->index));
		json_object_set_new(x, "sponsor", json_string(sl->sponsor));
		rc_why_text(c->why, b, sizeof(b));
		json_object_set_new(x, "why", json_string(b));
		if (e->ovr_forbid[sl->index - 1] >= 0)
			json_object_set_new(
			    x, "override",
			    json_string(plan->ovr[e->ovr_forbid[sl->index - 1]].path));
		json_array_append_new(forb, x);
	}
	json_object_set_new(o, "not_preferred", forb);
	json_object_set_new(o, "pinned_by",
			    e->ovr_order >= 0 ? json_string(plan->ovr[e->ovr_order].path)
					      : json_null());
	return o;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static json_t *plmn_list(const mi_u8 *v, int n, int stride)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < n; i++) {
		struct mi_plmn p;
		char b[8];

		if (mi_plmn_decode(v + i * stride, 3, &p) < 0)
			continue;
		rc_plmn_str(&p, b);
		json_array_append_new(a, json_string(b));
	}
	return a;
}

static json_t *file_json(const mi_u8 *f, size_t len, mi_u16 declared)
{
	json_t *o = json_object();
	char crc[9];

	rc_fmt(crc, sizeof(crc), "%08lX", (unsigned long)MI_GET_U32_BE(f, 10));
	json_object_set_new(o, "bytes", json_integer((json_int_t)len));
	json_object_set_new(o, "declared", json_integer(declared));
	json_object_set_new(o, "crc32", json_string(crc));
	return o;
}

char *rc_report_json(const struct rc_plan *plan, const struct rc_rates *rates,
		     const struct rc_result *res)
{
	json_t *root = json_object(), *o, *a;
	char b[160];
	char *text;
	size_t i;
	int k;

	json_object_set_new(root, "tool", json_string("mimsi-compile"));
	json_object_set_new(root, "report_format", json_integer(1));
	o = json_object();
	json_object_set_new(o, "file", json_string(base_name(plan->file)));
	json_object_set_new(o, "name", json_string(plan->name));
	json_object_set_new(o, "seq", json_integer(plan->seq));
	json_object_set_new(o, "currency", json_string(plan->currency));
	json_object_set_new(o, "valuation_date", json_string(plan->valuation_date));
	rc_plmn_str(&plan->home_plmn, b);
	json_object_set_new(o, "home_plmn", json_string(b));
	json_object_set_new(o, "ceiling_per_gb",
			    plan->ceiling >= 0 ? money(plan->ceiling) : json_null());
	json_object_set_new(o, "pref_depth", json_integer(plan->pref_depth));
	json_object_set_new(o, "forbid_unlisted", json_boolean(plan->forbid_unlisted));
	json_object_set_new(root, "plan", o);
	o = json_object();
	json_object_set_new(o, "rows", json_integer((json_int_t)rates->n));
	json_object_set_new(o, "identical_duplicates_merged",
			    json_integer((json_int_t)rates->duplicates));
	json_object_set_new(o, "ignored_sponsor_rows", json_integer((json_int_t)rates->ignored));
	json_object_set_new(root, "rates", o);
	o = json_object();
	json_object_set_new(o, "ef_cfg", file_json(res->cfg, res->cfg_len, plan->size_cfg));
	json_object_set_new(o, "ef_slots",
			    file_json(res->slots_ef, res->slots_len, plan->size_slots));
	json_object_set_new(o, "ef_rules",
			    file_json(res->rules_ef, res->rules_len, plan->size_rules));
	json_object_set_new(root, "files", o);
	a = json_array();
	for (k = 0; k < plan->n_slots; k++) {
		const struct rc_slot *s = &plan->slots[k];
		const struct mi_slot *m = &res->slot[k];

		o = json_object();
		json_object_set_new(o, "slot", json_integer(s->index));
		json_object_set_new(o, "sponsor", json_string(s->sponsor));
		json_object_set_new(o, "sponsor_id", json_integer(s->sponsor_id));
		json_object_set_new(o, "imsi", json_string(s->imsi));
		json_object_set_new(o, "imsi_last",
				    s->imsi_last[0] ? json_string(s->imsi_last) : json_null());
		json_object_set_new(o, "mnc_len", json_integer(s->mnc_len));
		json_object_set_new(o, "keyset", json_integer(s->keyset));
		json_object_set_new(o, "home", json_boolean(s->home));
		json_object_set_new(o, "bootstrap", json_boolean(s->bootstrap));
		json_object_set_new(o, "disabled", json_boolean(s->disabled));
		json_object_set_new(o, "oplmnwact", plmn_list(&m->oplmn[0][0], m->n_oplmn, 5));
		json_object_set_new(o, "oplmn_dropped", json_integer(res->oplmn_dropped[k]));
		json_object_set_new(o, "fplmn", plmn_list(&m->fplmn[0][0], m->n_fplmn, 3));
		json_object_set_new(o, "fplmn_dropped", json_integer(res->fplmn_dropped[k]));
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "slots", a);
	a = json_array();
	for (k = 0; k < res->n_prof; k++) {
		rc_prof_text(&res->prof[k], b, sizeof(b));
		o = json_object();
		json_object_set_new(o, "index", json_integer(k));
		json_object_set_new(o, "global", json_boolean(k == res->global));
		json_object_set_new(o, "profile", json_string(b));
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "profiles", a);
	a = json_array();
	for (i = 0; i < res->n_rule; i++) {
		rc_key_str(res->rule[i].key, b);
		o = json_object();
		json_object_set_new(o, "key", json_string(b));
		json_object_set_new(o, "profile", json_integer(res->rule[i].profile));
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "rules", a);
	/* per PLMN, lean (explain --json has the full story): the order with
	 * converted prices, and the slots refused for a reason other than
	 * "no rate" (which is implied by absence) */
	a = json_array();
	for (i = 0; i < res->n_plmn; i++) {
		const struct rc_plmn *e = &res->plmn[i];
		json_t *ord = json_array(), *forb = json_object();
		int r = rc_lookup(res, &e->plmn);

		o = json_object();
		rc_plmn_str(&e->plmn, b);
		json_object_set_new(o, "plmn", json_string(b));
		if (r >= 0)
			rc_key_str(res->rule[r].key, b);
		json_object_set_new(o, "rule", json_string(r >= 0 ? b : "global"));
		for (k = 0; k < e->prof.n_pref; k++) {
			const struct rc_rate *via = e->cell[e->prof.pref[k] - 1].via;
			json_t *x = json_array();

			json_array_append_new(x, json_integer(e->prof.pref[k]));

			json_array_append_new(x, via ? money(via->conv) : json_null());
			if (via)
				rc_rate_where(via, b);
			json_array_append_new(x, via ? json_string(b) : json_null());
			json_array_append_new(ord, x);
		}
		json_object_set_new(o, "order", ord);
		for (k = 0; k < plan->n_slots; k++) {
			const struct rc_cell *c = &e->cell[plan->slots[k].index - 1];
			char key[4];

			if (!c->why || c->why == RC_WHY_NO_RATE)
				continue;
			rc_why_text(c->why, b, sizeof(b));
			rc_fmt(key, sizeof(key), "%d", plan->slots[k].index);
			json_object_set_new(forb, key, json_string(b));
		}
		json_object_set_new(o, "refused", forb);
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "plmns", a);
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (text) { /* one newline at the end, like any text file */
		size_t n = strlen(text);
		char *t = realloc(text, n + 2);

		if (!t) {
			free(text);
			return NULL;
		}
		t[n] = '\n';
		t[n + 1] = '\0';
		text = t;
	}
	return text;
}
