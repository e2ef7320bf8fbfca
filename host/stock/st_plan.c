/* SPDX-License-Identifier: Apache-2.0 */
/* The OTA swap planner on the inventory (use case 2.5, docs/planner.md):
 * the tariffs are the rate sheets the profile pools keep (read with the
 * rules compiler's CSV reader and FX rule), the slots and pools are the
 * database's, the state changes are st_reserve / st_commit / st_release.
 * The HSS learns a new IMSI before the OTA leaves and forgets the old one
 * only after the PoR: the card never holds an IMSI the HSS does not know. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ota.h"
#include "rc.h"
#include "st_plan.h"

struct slot_now {
	int pos;
	char imsi[16], sponsor[ST_PLAN_NAME];
	int dynamic;
	int64_t price;
};

struct ctx_plan {
	int64_t prof_id, pool_id;
	char iccid[24], account[128];
	int has_account;
	struct slot_now slot[ST_MAX_POSITIONS];
	int n_slot;
	struct rc_plan *plan;
	struct rc_rates rates;
};

static void money(char out[32], int64_t v)
{
	if (v < 0)
		snprintf(out, 32, "none");
	else
		rc_money_format(v, out, 32);
}

static json_t *money_json(int64_t v)
{
	char b[32];

	if (v < 0)
		return json_null();
	money(b, v);
	return json_string(b);
}

/* Run a st_* command without its own result line (the planner prints one). */
static int quiet(struct st_ctx *c, int rc_of(struct st_ctx *, const char *, int, const char *, char *),
		 const char *iccid, int pos, const char *ipool, char *imsi)
{
	FILE *keep = c->out, *null = fopen("/dev/null", "w");
	int json = c->json, rc;

	if (!null)
		return st_fail(c, ST_E_SOFTWARE, "/dev/null: cannot open");
	c->out = null;
	c->json = 1;
	rc = rc_of(c, iccid, pos, ipool, imsi);
	c->out = keep;
	c->json = json;
	fclose(null);
	return rc;
}

static int do_reserve(struct st_ctx *c, const char *iccid, int pos, const char *ipool, char *imsi)
{
	return st_reserve(c, iccid, pos, ipool, imsi);
}

static int do_commit(struct st_ctx *c, const char *iccid, int pos, const char *ipool, char *imsi)
{
	(void)ipool;
	(void)imsi;
	return st_commit(c, iccid, pos);
}

static int do_release(struct st_ctx *c, const char *iccid, int pos, const char *ipool, char *imsi)
{
	(void)ipool;
	(void)imsi;
	return st_release(c, iccid, pos);
}

/* ---- what the planner reads ------------------------------------------------ */

static int find_profile(struct st_ctx *c, const char *iccid, const char *imsi, struct ctx_plan *p)
{
	sqlite3_stmt *s;
	int found = 0;

	if (imsi)
		s = st_prep(c, "SELECT p.id, p.pool_id, p.iccid, p.account FROM embedding e JOIN imsi i ON "
			       "i.id = e.imsi_id JOIN profile p ON p.id = e.profile_id WHERE i.imsi = ? AND "
			       "e.to_at IS NULL",
			    "t", imsi);
	else
		s = st_prep(c, "SELECT id, pool_id, iccid, account FROM profile WHERE iccid = ?", "t", iccid);
	if (s && sqlite3_step(s) == SQLITE_ROW) {
		found = 1;
		p->prof_id = sqlite3_column_int64(s, 0);
		p->pool_id = sqlite3_column_int64(s, 1);
		snprintf(p->iccid, sizeof(p->iccid), "%s", (const char *)sqlite3_column_text(s, 2));
		p->has_account = sqlite3_column_type(s, 3) != SQLITE_NULL;
		if (p->has_account)
			snprintf(p->account, sizeof(p->account), "%s", (const char *)sqlite3_column_text(s, 3));
	}
	sqlite3_finalize(s);
	if (!s)
		return c->err.rc;
	if (!found)
		return st_fail(c, ST_E_NOTFOUND, imsi ? "IMSI %s is in no profile" : "no profile %s",
			       imsi ? imsi : iccid);
	if (!p->has_account)
		return st_fail(c, ST_E_STATE, "profile %s is not assigned", p->iccid);
	return 0;
}

static int load_slots(struct st_ctx *c, struct ctx_plan *p)
{
	sqlite3_stmt *s = st_prep(c,
				  "SELECT e.position, i.imsi, i.pool_id IS NOT NULL, sp.name FROM embedding e "
				  "JOIN imsi i ON i.id = e.imsi_id JOIN batch b ON b.id = i.batch_id JOIN "
				  "sponsor sp ON sp.id = b.sponsor_id WHERE e.profile_id = ? AND e.to_at IS "
				  "NULL ORDER BY e.position",
				  "i", p->prof_id);

	while (s && sqlite3_step(s) == SQLITE_ROW && p->n_slot < ST_MAX_POSITIONS) {
		struct slot_now *n = &p->slot[p->n_slot++];

		n->pos = sqlite3_column_int(s, 0);
		snprintf(n->imsi, sizeof(n->imsi), "%s", (const char *)sqlite3_column_text(s, 1));
		n->dynamic = sqlite3_column_int(s, 2);
		snprintf(n->sponsor, sizeof(n->sponsor), "%s", (const char *)sqlite3_column_text(s, 3));
	}
	sqlite3_finalize(s);
	return s ? 0 : c->err.rc;
}

/* The profile pool's plan (currency, FX) and every pool's rate sheets (the
 * sponsor tariffs, each sheet once). */
static int load_tariffs(struct st_ctx *c, struct ctx_plan *p)
{
	sqlite3_stmt *s;
	rc_error_t e;
	json_t *seen = json_object();
	int rc = 0;

	rc_err_clear(&e);
	p->plan = calloc(1, sizeof(*p->plan));
	s = st_prep(c, "SELECT name, plan_json FROM profile_pool WHERE id = ?", "i", p->pool_id);
	if (!p->plan || !s || sqlite3_step(s) != SQLITE_ROW || sqlite3_column_type(s, 1) == SQLITE_NULL)
		rc = st_fail(c, ST_E_STATE, "the profile's pool has no plan: no currency to compare prices in");
	else if (rc_plan_parse((const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 1),
			       p->plan, &e) < 0)
		rc = st_fail(c, ST_E_DATA, "%s", e.text);
	sqlite3_finalize(s);
	s = rc ? NULL : st_prep(c, "SELECT rates_json FROM profile_pool WHERE rates_json IS NOT NULL ORDER BY id", "");
	while (!rc && s && sqlite3_step(s) == SQLITE_ROW) {
		json_t *arr = json_loads((const char *)sqlite3_column_text(s, 0), 0, NULL), *sheet;
		size_t i;

		json_array_foreach(arr, i, sheet)
		{
			const char *name = json_string_value(json_object_get(sheet, "name"));
			const char *text = json_string_value(json_object_get(sheet, "text"));

			/* the same sheet linked to several pools counts once */
			if (!name || !text || json_object_get(seen, text))
				continue;
			json_object_set_new(seen, text, json_true());
			if (rc_csv_parse(name, text, strlen(text), &p->rates, &e) < 0) {
				rc = st_fail(c, ST_E_DATA, "%s", e.text);
				break;
			}
		}
		json_decref(arr);
	}
	sqlite3_finalize(s);
	json_decref(seen);
	return rc;
}

/* A sponsor's best price in the country (micro-units per GB in the plan's
 * currency): the applet picks the best network of the country among its
 * slots, so the country's cheapest network is what the sponsor offers. */
static int64_t price_in(const struct ctx_plan *p, const char *sponsor, unsigned mcc)
{
	int64_t best = -1;
	size_t i;

	for (i = 0; i < p->rates.n; i++) {
		const struct rc_rate *r = &p->rates.v[i];
		int64_t fx = rc_fx_rate(p->plan, r->currency), conv;

		if (r->plmn.mcc != mcc || strcmp(r->sponsor, sponsor) != 0 || fx < 0 ||
		    rc_money_convert(r->per_gb, fx, &conv) < 0)
			continue;
		if (best < 0 || conv < best)
			best = conv;
	}
	return best;
}

static int load_candidates(struct st_ctx *c, const struct ctx_plan *p, unsigned mcc, struct st_plan_in *in)
{
	sqlite3_stmt *s = st_prep(
	    c,
	    "SELECT ip.name, sp.name, sum(i.state = 'hold' AND i.hold_account = ?), sum(i.state = "
	    "'available') FROM imsi_pool ip JOIN imsi i ON i.pool_id = ip.id JOIN batch b ON b.id = "
	    "i.batch_id JOIN sponsor sp ON sp.id = b.sponsor_id WHERE ip.id IN (SELECT ipp.pool_id FROM "
	    "imsi_pool_product ipp JOIN pool_product pp ON pp.product_id = ipp.product_id WHERE "
	    "pp.pool_id = ?) GROUP BY ip.id, sp.id ORDER BY ip.name, sp.name",
	    "ti", p->account, p->pool_id);

	while (s && sqlite3_step(s) == SQLITE_ROW && in->n_cand < ST_PLAN_MAX_CAND) {
		struct st_plan_cand *k = &in->cand[in->n_cand++];

		snprintf(k->ipool, sizeof(k->ipool), "%s", (const char *)sqlite3_column_text(s, 0));
		snprintf(k->sponsor, sizeof(k->sponsor), "%s", (const char *)sqlite3_column_text(s, 1));
		k->held_for = sqlite3_column_int64(s, 2);
		k->available = sqlite3_column_int64(s, 3);
		k->price = price_in(p, k->sponsor, mcc);
	}
	sqlite3_finalize(s);
	return s ? 0 : c->err.rc;
}

/* ---- what the planner writes -------------------------------------------------- */

static json_t *hss_remove(const char *imsi, const char *when)
{
	return json_pack("{s:s, s:s, s:s}", "do", "hss-remove", "imsi", imsi, "when", when);
}

static const struct slot_now *dynamic_slot(const struct ctx_plan *p)
{
	int i;

	for (i = p->n_slot - 1; i >= 0; i--)
		if (p->slot[i].dynamic)
			return &p->slot[i];
	return NULL;
}

static int plan_event(struct st_ctx *c, const json_t *ev, const char **iccid, const char **imsi,
		      char mcc[4], char mnc[4], int64_t *stay_s, const struct st_plan_opts *o)
{
	const char *plmn = json_string_value(json_object_get(ev, "plmn"));
	const char *at = json_string_value(json_object_get(ev, "at"));
	json_t *stay = json_object_get(ev, "stay_hours");

	*iccid = json_string_value(json_object_get(ev, "iccid"));
	*imsi = json_string_value(json_object_get(ev, "imsi"));
	if (!json_is_object(ev) || (!*iccid == !*imsi))
		return st_fail(c, ST_E_DATA, "event: give one of \"iccid\" or \"imsi\"");
	if (*imsi && !mc_imsi_ok(*imsi))
		return st_fail(c, ST_E_DATA, "event: \"imsi\" must be 6 to 15 digits");
	if (!plmn || st_plmn_parse(plmn, mcc, mnc) < 0)
		return st_fail(c, ST_E_DATA, "event: \"plmn\" must be \"MCC-MNC\"");
	if (at && st_time_parse(at, &c->at) < 0)
		return st_fail(c, ST_E_DATA, "event: \"at\" must be YYYY-MM-DDTHH:MM[:SS]Z");
	*stay_s = o->default_stay_s;
	if (stay && (!json_is_number(stay) || json_number_value(stay) < 0 || json_number_value(stay) > 1e6))
		return st_fail(c, ST_E_DATA, "event: \"stay_hours\" must be a number of hours");
	if (stay)
		*stay_s = (int64_t)(json_number_value(stay) * 3600);
	return 0;
}

static void ctx_free(struct ctx_plan *p)
{
	if (p->plan)
		rc_plan_free(p->plan);
	free(p->plan);
	rc_rates_free(&p->rates);
}

int st_plan_swap(struct st_ctx *c, const json_t *ev, const struct st_plan_opts *o, json_t **out)
{
	struct ctx_plan p;
	struct st_plan_in in;
	struct st_plan_out d;
	const struct slot_now *dyn = NULL;
	const char *iccid, *imsi;
	char mcc[4], mnc[4], newi[16] = "", at[32];
	json_t *cands, *alerts, *events, *undo, *packets = NULL;
	int rc, i;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	memset(&in, 0, sizeof(in));
	if (plan_event(c, ev, &iccid, &imsi, mcc, mnc, &in.stay_s, o) < 0)
		return c->err.rc;
	/* one read transaction: the holds due end first (st_begin) */
	rc = st_begin(c);
	if (rc == 0)
		rc = find_profile(c, iccid, imsi, &p);
	if (rc == 0)
		rc = load_slots(c, &p);
	if (rc == 0)
		rc = load_tariffs(c, &p);
	if (rc == 0 && !(dyn = dynamic_slot(&p)))
		rc = st_fail(c, ST_E_STATE, "profile %s has no IMSI of a dynamic pool to replace", p.iccid);
	if (rc == 0)
		rc = load_candidates(c, &p, (unsigned)atoi(mcc), &in);
	if (rc == 0) {
		int64_t n;

		rc = st_get_i64(c, &n, "SELECT count(*) FROM imsi WHERE reserved_profile = ?", "i", p.prof_id);
		in.in_flight = rc == 1 && n > 0;
		rc = rc < 0 ? rc : 0;
	}
	rc = st_end(c, rc);
	if (rc < 0) {
		ctx_free(&p);
		return rc;
	}
	in.price_now = -1;
	for (i = 0; i < p.n_slot; i++) {
		p.slot[i].price = price_in(&p, p.slot[i].sponsor, (unsigned)atoi(mcc));
		if (p.slot[i].price >= 0 && (in.price_now < 0 || p.slot[i].price < in.price_now))
			in.price_now = p.slot[i].price;
	}
	snprintf(in.sponsor_now, sizeof(in.sponsor_now), "%s", dyn->sponsor);
	in.min_stay_s = o->min_stay_s;
	in.ota_cost = o->ota_cost;
	in.gb_per_day = o->gb_per_day;
	st_plan_decide(&in, &d);

	if (d.why == ST_PLAN_SWAP &&
	    quiet(c, do_reserve, p.iccid, dyn->pos, in.cand[d.choice].ipool, newi) < 0) {
		ctx_free(&p);
		return c->err.rc; /* taken meanwhile: nothing reserved, nothing sent */
	}
	if (d.why == ST_PLAN_SWAP && o->ota && st_plan_ota_build(c, o->ota, p.iccid, dyn->pos, newi, &packets) < 0) {
		struct st_err keep = c->err;

		/* no packet: the reservation is undone, nothing changed */
		memset(&c->err, 0, sizeof(c->err));
		quiet(c, do_release, p.iccid, dyn->pos, NULL, NULL);
		c->err = keep;
		ctx_free(&p);
		return c->err.rc;
	}
	st_time_format(c->at, at, sizeof(at));
	cands = json_array();
	for (i = 0; i < in.n_cand; i++)
		json_array_append_new(cands, json_pack("{s:s, s:s, s:o, s:I, s:I}", "ipool", in.cand[i].ipool,
						       "sponsor", in.cand[i].sponsor, "price",
						       money_json(in.cand[i].price), "held_for",
						       (json_int_t)in.cand[i].held_for, "available",
						       (json_int_t)in.cand[i].available));
	alerts = json_array();
	for (i = 0; i < d.n_empty; i++) /* use case 2.6: the manager negotiates a new batch */
		json_array_append_new(alerts, json_pack("{s:s, s:s, s:s}", "alert", "pool-empty", "ipool",
							in.cand[d.empty[i]].ipool, "sponsor",
							in.cand[d.empty[i]].sponsor));
	*out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:{s:i, s:s, s:s, s:o}, s:o, s:o}",
			 "decision", d.why == ST_PLAN_SWAP ? "replace" : "keep", "reason", st_plan_why_name(d.why),
			 "iccid", p.iccid, "account", p.account, "plmn",
			 json_string_value(json_object_get(ev, "plmn")), "at", at, "currency", p.plan->currency,
			 "price_now", money_json(in.price_now), "dynamic", "position", dyn->pos, "imsi",
			 dyn->imsi, "sponsor", dyn->sponsor, "price", money_json(dyn->price), "candidates",
			 cands, "alerts", alerts);
	if (d.saving != 0 || d.choice >= 0)
		json_object_set_new(*out, "saving", d.saving < 0 ? json_string("unbounded")
								 : money_json(d.saving));
	if (d.why == ST_PLAN_SWAP) {
		const struct st_plan_cand *k = &in.cand[d.choice];
		int64_t held = 0;

		st_get_i64(c, &held, "SELECT hold_until IS NOT NULL FROM imsi WHERE imsi = ?", "t", newi);
		json_object_set_new(*out, "new",
				    json_pack("{s:s, s:s, s:s, s:o, s:b}", "imsi", newi, "sponsor", k->sponsor,
					      "ipool", k->ipool, "price", money_json(k->price), "from_hold",
					      (int)held));
		/* the order is the guarantee (docs/planner.md) */
		events = json_array();
		json_array_append_new(events, st_plan_hss_create(c, newi));
		json_object_set_new(json_array_get(events, 0), "when", json_string("now, before the OTA"));
		json_array_append_new(events, json_pack("{s:s, s:s, s:i, s:s, s:s}", "do", "ota-slot", "iccid",
							p.iccid, "slot", dyn->pos, "imsi", newi, "when",
							"after hss-create is acknowledged"));
		if (packets)
			json_object_set_new(json_array_get(events, 1), "packets", packets);
		json_array_append_new(events, hss_remove(dyn->imsi, "after the PoR confirms (swap-por)"));
		undo = json_array();
		json_array_append_new(undo, hss_remove(newi, "PoR with an error, or no PoR (swap-timeout)"));
		json_object_set_new(*out, "events", events);
		json_object_set_new(*out, "on_failure", undo);
	}
	ctx_free(&p);
	return 0;
}

/* ---- the swap's end ---------------------------------------------------------------- */

static int swap_imsis(struct st_ctx *c, const char *iccid, int pos, char oldi[16], char newi[16])
{
	sqlite3_stmt *s;

	oldi[0] = newi[0] = '\0';
	s = st_prep(c, "SELECT i.imsi FROM embedding e JOIN imsi i ON i.id = e.imsi_id JOIN profile p ON "
		       "p.id = e.profile_id WHERE p.iccid = ? AND e.position = ? AND e.to_at IS NULL",
		    "td", iccid, pos);
	if (s && sqlite3_step(s) == SQLITE_ROW)
		snprintf(oldi, 16, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	s = st_prep(c, "SELECT i.imsi FROM imsi i JOIN profile p ON p.id = i.reserved_profile WHERE p.iccid = ? "
		       "AND i.reserved_position = ?",
		    "td", iccid, pos);
	if (s && sqlite3_step(s) == SQLITE_ROW)
		snprintf(newi, 16, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	if (c->err.text[0])
		return c->err.rc;
	if (!newi[0]) /* a late PoR after a timeout: the swap is over */
		return st_fail(c, ST_E_STATE, "profile %s position %d has no swap in flight", iccid, pos);
	return 0;
}

static int finish(struct st_ctx *c, const char *iccid, int pos, int ok, const char *status, json_t **out)
{
	char oldi[16], newi[16];
	json_t *events = json_array();

	if (swap_imsis(c, iccid, pos, oldi, newi) < 0 ||
	    quiet(c, ok ? do_commit : do_release, iccid, pos, NULL, NULL) < 0) {
		json_decref(events);
		return c->err.rc;
	}
	if (ok && oldi[0])
		json_array_append_new(events, hss_remove(oldi, "now: the card holds the new IMSI"));
	if (!ok)
		json_array_append_new(events, hss_remove(newi, "now: the card kept the old IMSI"));
	*out = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:o}", "result", ok ? "committed" : "released",
			 "iccid", iccid, "position", pos, "status", status, "imsi", ok ? newi : oldi, "dropped",
			 ok ? oldi : newi, "events", events);
	return 0;
}

int st_plan_por(struct st_ctx *c, const char *iccid, int pos, const unsigned char *pkt, size_t len,
		unsigned spi2, const struct st_plan_ota *ota, json_t **out)
{
	struct ota_por por;
	uint8_t work[300], status;
	int rc;

	*out = NULL;
	/* nothing changes on a PoR that does not decode: the reservation
	 * waits for a PoR or its timeout */
	if (ota) {
		if (st_plan_por_keys(c, ota, pkt, len, spi2, &status) < 0)
			return c->err.rc;
		return finish(c, iccid, pos, status == OTA_ST_OK, ota_status_text(status), out);
	}
	if (OTA_SPI2_POR_INTEGRITY(spi2) != OTA_INT_NONE || (spi2 & OTA_SPI2_POR_CIPHER))
		return st_fail(c, ST_E_USAGE, "a secured PoR needs the OTA keys (--ota-keys, --kvn)");
	/* TS 102 225 §5.2: UDH 02 71 00, then the response packet header */
	rc = ota_por_parse((uint8_t)spi2, pkt, len, NULL, NULL, work, sizeof(work), &por);
	if (rc < 0)
		return st_fail(c, ST_E_DATA, "the PoR does not decode (TS 102 225 §5.2): error %d", rc);
	return finish(c, iccid, pos, por.status == OTA_ST_OK, ota_status_text(por.status), out);
}

int st_plan_timeout(struct st_ctx *c, const char *iccid, int pos, json_t **out)
{
	json_t *events;

	*out = NULL;
	if (finish(c, iccid, pos, 0, "no PoR", out) < 0)
		return c->err.rc;
	/* a lost PoR may hide a swap the card made: the old IMSI goes back on
	 * the card before the HSS forgets the new one */
	events = json_object_get(*out, "events");
	json_array_clear(events);
	json_array_append_new(events, json_pack("{s:s, s:s, s:i, s:s, s:s}", "do", "ota-slot", "iccid", iccid,
						"slot", pos, "imsi", json_string_value(json_object_get(*out, "imsi")),
						"when", "now: the old IMSI back, whatever the card did"));
	json_array_append_new(events, hss_remove(json_string_value(json_object_get(*out, "dropped")),
						 "after that OTA's PoR"));
	return 0;
}
