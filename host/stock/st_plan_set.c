/* SPDX-License-Identifier: Apache-2.0 */
/* The set a swap writes: the profile pool's plan with the new IMSI and its
 * sponsor at the dynamic position, compiled with librc as mimsi-compile
 * would (rc_choose, rc_rebase on the card's set, rc_emit): the slot's
 * OPLMNwACT / FPLMN lists (TS 31.102 §4.2.5, §4.2.16) and the RULES entries
 * are the new sponsor's, never those compiled for the old one. */
#include <stdlib.h>
#include <string.h>

#include "rc.h"
#include "st_plan.h"

/* The IMSIs the profile holds now, each with its batch's sponsor, into
 * the plan (whose IMSIs are the generation's templates). */
static int profile_imsis(struct st_ctx *c, const char *iccid, struct rc_plan *plan)
{
	sqlite3_stmt *s = st_prep(c, "SELECT e.position, i.imsi, sp.name FROM embedding e JOIN profile p ON p.id = "
				     "e.profile_id JOIN imsi i ON i.id = e.imsi_id JOIN batch b ON b.id = i.batch_id "
				     "JOIN sponsor sp ON sp.id = b.sponsor_id WHERE p.iccid = ? AND e.to_at IS NULL",
				  "t", iccid);
	int rc = 0;

	while (s && !rc && sqlite3_step(s) == SQLITE_ROW)
		if (st_plan_set_slot(plan, sqlite3_column_int(s, 0), (const char *)sqlite3_column_text(s, 1),
				     (const char *)sqlite3_column_text(s, 2)) < 0)
			rc = st_fail(c, ST_E_DATA, "profile %s: position %d is not a slot of its plan", iccid,
				     sqlite3_column_int(s, 0));
	sqlite3_finalize(s);
	return s ? rc : c->err.rc;
}

/* The sponsor of the batch the IMSI came from. */
static int imsi_sponsor(struct st_ctx *c, const char *imsi, char out[RC_NAME_MAX])
{
	sqlite3_stmt *s = st_prep(c, "SELECT sp.name FROM imsi i JOIN batch b ON b.id = i.batch_id JOIN sponsor sp "
				     "ON sp.id = b.sponsor_id WHERE i.imsi = ?",
				  "t", imsi);
	int found = 0;

	if (s && sqlite3_step(s) == SQLITE_ROW) {
		snprintf(out, RC_NAME_MAX, "%s", (const char *)sqlite3_column_text(s, 0));
		found = 1;
	}
	sqlite3_finalize(s);
	if (!s)
		return c->err.rc;
	return found ? 0 : st_fail(c, ST_E_NOTFOUND, "IMSI %s is in no batch", imsi);
}

static int in_plan(const struct rc_plan *plan, const char *sponsor)
{
	int k;

	for (k = 0; k < plan->n_slots; k++)
		if (!strcmp(plan->slots[k].sponsor, sponsor))
			return 1;
	return 0;
}

/* A preference for a sponsor no slot has any more goes with it (the
 * compiler refuses a plan that names one). */
static void drop_orphan_prefs(struct rc_plan *plan)
{
	int i, o;

	for (i = 0, o = 0; i < plan->n_pref; i++)
		if (!plan->pref[i].sponsor[0] || in_plan(plan, plan->pref[i].sponsor))
			plan->pref[o++] = plan->pref[i];
	plan->n_pref = o;
}

int st_plan_set_slot(struct rc_plan *plan, int pos, const char *imsi, const char *sponsor)
{
	int k = rc_plan_slot(plan, pos), j;
	struct rc_slot *s;
	size_t n = strlen(imsi);

	if (k < 0 || n < 6 || n > 15 || strlen(sponsor) >= RC_NAME_MAX)
		return -1;
	s = &plan->slots[k];
	if (strcmp(s->sponsor, sponsor) != 0)
		s->n_ehplmn = 0; /* the old sponsor's equivalent home PLMNs are not the new one's */
	snprintf(s->sponsor, sizeof(s->sponsor), "%s", sponsor);
	snprintf(s->imsi, sizeof(s->imsi), "%s", imsi);
	s->imsi_last[0] = '\0';
	/* the IMSI's own PLMN, with the MNC length E.212 gives its MCC */
	s->plmn.mcc = (mi_u16)((imsi[0] - '0') * 100 + (imsi[1] - '0') * 10 + (imsi[2] - '0'));
	s->mnc_len = rc_mcc_mnc3(s->plmn.mcc) ? 3 : 2;
	s->plmn.mnc_digits = (mi_u8)s->mnc_len;
	s->plmn.mnc = (mi_u16)((imsi[3] - '0') * 10 + (imsi[4] - '0'));
	if (s->mnc_len == 3)
		s->plmn.mnc = (mi_u16)(s->plmn.mnc * 10 + (imsi[5] - '0'));
	/* sponsor ids as the plan reader numbers them: by first appearance */
	plan->n_sponsors = 0;
	for (k = 0; k < plan->n_slots; k++) {
		plan->slots[k].sponsor_id = 0;
		for (j = 0; j < k; j++)
			if (!strcmp(plan->slots[j].sponsor, plan->slots[k].sponsor))
				plan->slots[k].sponsor_id = plan->slots[j].sponsor_id;
		if (!plan->slots[k].sponsor_id)
			plan->slots[k].sponsor_id = ++plan->n_sponsors;
	}
	drop_orphan_prefs(plan);
	return 0;
}

void st_plan_set_rates(const struct rc_plan *plan, struct rc_rates *rates, size_t n_own, const char *sponsor)
{
	const char *sheet = NULL;
	size_t i, o;

	for (i = 0; i < n_own && !sheet; i++)
		if (!strcmp(rates->v[i].sponsor, sponsor))
			sheet = rates->v[i].file;
	for (i = n_own; i < rates->n && !sheet; i++)
		if (!strcmp(rates->v[i].sponsor, sponsor))
			sheet = rates->v[i].file;
	for (i = 0, o = 0; i < rates->n; i++) {
		const struct rc_rate *r = &rates->v[i];
		/* the plan's sponsors priced by the profile pool's sheets; the new
		 * sponsor by the first sheet that prices it (its own pool's) */
		int keep = !strcmp(r->sponsor, sponsor) ? r->file == sheet : i < n_own && in_plan(plan, r->sponsor);

		if (keep)
			rates->v[o++] = *r;
	}
	rates->n = o;
}

/* The profile pool's plan and sheets first (n_own rows), then every other
 * pool's sheets, each sheet once. */
static int load_inputs(struct st_ctx *c, const char *iccid, struct rc_plan *plan, struct rc_rates *rates,
		       size_t *n_own)
{
	sqlite3_stmt *s = st_prep(c, "SELECT pp.name, pp.plan_json, pp.rates_json, pp.id = p.pool_id FROM "
				     "profile_pool pp JOIN profile p ON p.iccid = ? ORDER BY pp.id = p.pool_id DESC, pp.id",
				  "t", iccid);
	json_t *seen = json_object();
	rc_error_t e;
	int rc = 0, first = 1;

	rc_err_clear(&e);
	*n_own = 0;
	while (!rc && s && sqlite3_step(s) == SQLITE_ROW) {
		int own = sqlite3_column_int(s, 3);
		json_t *arr, *sheet;
		size_t i;

		if (first && (!own || sqlite3_column_type(s, 1) == SQLITE_NULL))
			rc = st_fail(c, ST_E_STATE, "profile %s: its pool has no plan to compile the new set with", iccid);
		else if (first && rc_plan_parse((const char *)sqlite3_column_text(s, 0),
						(const char *)sqlite3_column_text(s, 1), plan, &e) < 0)
			rc = st_fail(c, ST_E_DATA, "%s", e.text);
		first = 0;
		arr = rc || sqlite3_column_type(s, 2) == SQLITE_NULL
			  ? NULL
			  : json_loads((const char *)sqlite3_column_text(s, 2), 0, NULL);
		json_array_foreach(arr, i, sheet)
		{
			const char *name = json_string_value(json_object_get(sheet, "name"));
			const char *text = json_string_value(json_object_get(sheet, "text"));

			if (!name || !text || json_object_get(seen, text))
				continue;
			json_object_set_new(seen, text, json_true());
			if (rc_csv_parse(name, text, strlen(text), rates, &e) < 0) {
				rc = st_fail(c, ST_E_DATA, "%s", e.text);
				break;
			}
		}
		json_decref(arr);
		if (own)
			*n_own = rates->n;
	}
	if (!s)
		rc = c->err.rc;
	else if (!rc && first)
		rc = st_fail(c, ST_E_NOTFOUND, "no profile %s", iccid);
	sqlite3_finalize(s);
	json_decref(seen);
	return rc;
}

/* The three encoded files of \a res as a set (copies). */
static int result_set(const struct rc_result *res, struct rc_set *out)
{
	const mi_u8 *src[3] = {res->cfg, res->slots_ef, res->rules_ef};
	size_t len[3] = {res->cfg_len, res->slots_len, res->rules_len};
	int k;

	memset(out, 0, sizeof(*out));
	for (k = 0; k < 3; k++) {
		out->file[k] = malloc(len[k]);
		if (!out->file[k]) {
			rc_set_free(out);
			return -1;
		}
		memcpy(out->file[k], src[k], len[k]);
		out->len[k] = len[k];
	}
	return 0;
}

int st_plan_set_build(struct st_ctx *c, const char *iccid, int pos, const char *imsi, const char *base_dir,
		      const char *keep_dir, struct rc_set *out)
{
	struct rc_plan *plan = calloc(1, sizeof(*plan));
	struct rc_set *base = calloc(1, sizeof(*base));
	struct rc_rates rates;
	struct rc_result res;
	char sponsor[RC_NAME_MAX];
	rc_error_t e;
	size_t n_own = 0;
	int rc;

	memset(&rates, 0, sizeof(rates));
	memset(&res, 0, sizeof(res));
	memset(out, 0, sizeof(*out));
	rc_err_clear(&e);
	if (!plan || !base)
		rc = st_fail(c, ST_E_SOFTWARE, "out of memory");
	else if ((rc = imsi_sponsor(c, imsi, sponsor)) == 0)
		rc = load_inputs(c, iccid, plan, &rates, &n_own);
	if (rc == 0 && rc_set_load(base_dir, base, &e) < 0)
		rc = st_fail(c, ST_E_DATA, "%s", e.text);
	if (rc == 0)
		rc = profile_imsis(c, iccid, plan);
	if (rc == 0 && st_plan_set_slot(plan, pos, imsi, sponsor) < 0)
		rc = st_fail(c, ST_E_DATA, "the plan has no slot %d for IMSI %s", pos, imsi);
	if (rc == 0) {
		/* one new set: above the card's (its A/B rule, mi_ef.h) */
		plan->seq = base->hdr[0].seq + 1u;
		st_plan_set_rates(plan, &rates, n_own, sponsor);
		if (rc_choose(plan, &rates, &res, &e) < 0 || rc_rebase(&res, base, &e) < 0 ||
		    rc_emit(plan, &res, &e) < 0 || (keep_dir && rc_write_dir(keep_dir, plan, &rates, &res, &e) < 0))
			rc = st_fail(c, ST_E_DATA, "the new set does not compile: %s", e.text);
	}
	if (rc == 0 && result_set(&res, out) < 0)
		rc = st_fail(c, ST_E_SOFTWARE, "out of memory");
	rc_result_free(&res);
	rc_rates_free(&rates);
	if (plan)
		rc_plan_free(plan);
	free(plan);
	if (base)
		rc_set_free(base);
	free(base);
	return rc;
}
