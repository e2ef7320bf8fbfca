/* SPDX-License-Identifier: Apache-2.0 */
/* Reports: stock per sponsor and per product with thresholds (use cases 1.5
 * and 2.6), the audit (1.12), one profile (1.2), and the lists. All JSON
 * (jansson); st_main.c renders text from the same objects. */
#include <stdio.h>
#include <string.h>

#include "st.h"

static json_t *time_json(int64_t t, int is_null)
{
	char buf[32];

	if (is_null)
		return json_null();
	st_time_format(t, buf, sizeof(buf));
	return json_string(buf);
}

static json_t *col_time(sqlite3_stmt *s, int col)
{
	return time_json(sqlite3_column_int64(s, col), sqlite3_column_type(s, col) == SQLITE_NULL);
}

static json_t *col_text(sqlite3_stmt *s, int col)
{
	if (sqlite3_column_type(s, col) == SQLITE_NULL)
		return json_null();
	return json_string((const char *)sqlite3_column_text(s, col));
}

/* ---- stock ---------------------------------------------------------------- */

static void check_threshold(struct st_ctx *c, json_t *entry, json_t *alerts, const char *kind,
			    const char *name, const char *figure, const char *col, int64_t value)
{
	char sql[128];
	int64_t limit;

	/* col is one of two constant column names */
	snprintf(sql, sizeof(sql), "SELECT %s FROM threshold WHERE kind = ? AND name = ? AND %s >= 0",
		 col, col);
	if (st_get_i64(c, &limit, sql, "tt", kind, name) != 1)
		return;
	json_object_set_new(entry, strcmp(col, "profiles") ? "threshold_imsis"
							   : "threshold_profiles",
			    json_integer(limit));
	if (value < limit)
		json_array_append_new(alerts, json_pack("{s:s, s:s, s:s, s:I, s:I}", "kind", kind,
							"name", name, "figure", figure, "value",
							(json_int_t)value, "threshold",
							(json_int_t)limit));
}

int st_stock(struct st_ctx *c, json_t **out, int *n_alerts)
{
	sqlite3_stmt *s;
	json_t *root = json_object(), *sp = json_array(), *pr = json_array(), *alerts = json_array();
	int rc;

	*out = NULL;
	json_object_set_new(root, "at", time_json(c->at, 0));
	/* profiles keep the sponsors of their generation unless an IMSI was
	 * swapped (custom = 1): count those one by one, the rest per generation */
	s = st_prep(c,
		    "WITH g AS MATERIALIZED (SELECT generation_id, sum(n) AS n FROM profile_count "
		    "WHERE state = 'available' AND custom = 0 GROUP BY generation_id), "
		    "gs AS MATERIALIZED (SELECT DISTINCT gb.generation_id, b.sponsor_id FROM "
		    "generation_batch gb JOIN batch b ON b.id = gb.batch_id), "
		    "cu AS MATERIALIZED (SELECT DISTINCT p.id, b.sponsor_id FROM profile p INDEXED "
		    "BY profile_custom JOIN "
		    "embedding e ON e.profile_id = p.id AND e.to_at IS NULL JOIN imsi i ON i.id = "
		    "e.imsi_id JOIN batch b ON b.id = i.batch_id WHERE p.state = 'available' AND "
		    "p.custom = 1) "
		    "SELECT s.name, "
		    "coalesce((SELECT sum(g.n) FROM g JOIN gs ON gs.generation_id = g.generation_id "
		    "WHERE gs.sponsor_id = s.id), 0) + (SELECT count(*) FROM cu WHERE cu.sponsor_id "
		    "= s.id), "
		    /* each count walks only its partial index (st_schema.c) */
		    "(SELECT count(*) FROM imsi i INDEXED BY imsi_dynamic WHERE i.state = "
		    "'available' AND i.pool_id IS NOT NULL AND i.batch_id IN (SELECT id FROM batch "
		    "WHERE sponsor_id = s.id)), "
		    "(SELECT count(*) FROM imsi i INDEXED BY imsi_alloc WHERE i.state = 'available' "
		    "AND i.pool_id IS NULL AND i.batch_id IN (SELECT id FROM batch WHERE sponsor_id "
		    "= s.id)), "
		    "(SELECT count(*) FROM imsi i INDEXED BY imsi_hold WHERE i.state = 'hold' AND "
		    "i.hold_until IS NOT NULL AND i.batch_id IN (SELECT id FROM batch WHERE "
		    "sponsor_id = s.id)) "
		    "FROM sponsor s ORDER BY s.name",
		    NULL);
	while (s && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);
		int64_t prof = sqlite3_column_int64(s, 1), dyn = sqlite3_column_int64(s, 2);
		json_t *e = json_pack("{s:s, s:I, s:I, s:I, s:I}", "sponsor", name,
				      "profiles_available", (json_int_t)prof, "imsis_dynamic_available",
				      (json_int_t)dyn, "imsis_for_generation",
				      (json_int_t)sqlite3_column_int64(s, 3), "imsis_on_hold",
				      (json_int_t)sqlite3_column_int64(s, 4));
		check_threshold(c, e, alerts, "sponsor", name, "profiles_available", "profiles", prof);
		check_threshold(c, e, alerts, "sponsor", name, "imsis_dynamic_available", "imsis",
				dyn);
		json_array_append_new(sp, e);
	}
	sqlite3_finalize(s);
	if (c->err.text[0])
		goto fail;
	s = st_prep(c,
		    "WITH pc AS MATERIALIZED (SELECT pool_id, sum(n) AS n FROM profile_count WHERE "
		    "state = 'available' GROUP BY pool_id) "
		    "SELECT pr.name, coalesce((SELECT sum(pc.n) FROM pool_product pp JOIN pc ON "
		    "pc.pool_id = pp.pool_id WHERE pp.product_id = pr.id), 0), "
		    "(SELECT count(*) FROM imsi_pool_product ipp JOIN imsi i INDEXED BY "
		    "imsi_dynamic ON i.pool_id = ipp.pool_id AND i.state = 'available' AND "
		    "i.pool_id IS NOT NULL WHERE ipp.product_id = pr.id) "
		    "FROM product pr ORDER BY pr.name",
		    NULL);
	while (s && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);
		int64_t prof = sqlite3_column_int64(s, 1), dyn = sqlite3_column_int64(s, 2);
		json_t *e = json_pack("{s:s, s:I, s:I}", "product", name, "profiles_available",
				      (json_int_t)prof, "imsis_dynamic_available", (json_int_t)dyn);
		check_threshold(c, e, alerts, "product", name, "profiles_available", "profiles", prof);
		check_threshold(c, e, alerts, "product", name, "imsis_dynamic_available", "imsis",
				dyn);
		json_array_append_new(pr, e);
	}
	sqlite3_finalize(s);
	if (c->err.text[0])
		goto fail;
	json_object_set_new(root, "sponsors", sp);
	json_object_set_new(root, "products", pr);
	*n_alerts = (int)json_array_size(alerts);
	json_object_set_new(root, "alerts", alerts);
	*out = root;
	return 0;
fail:
	json_decref(sp);
	json_decref(pr);
	json_decref(alerts);
	json_decref(root);
	return c->err.rc;
}

/* ---- audit ---------------------------------------------------------------- */

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

int st_audit(struct st_ctx *c, const char *imsi, int history, json_t **out)
{
	sqlite3_stmt *s;
	json_t *root, *rows;
	int64_t id;

	*out = NULL;
	if (!imsi || !mc_imsi_ok(imsi))
		return st_fail(c, ST_E_USAGE, "audit IMSI: 6 to 15 digits");
	s = st_prep(c, "SELECT i.id, b.name, sp.name, i.state, i.since, i.hold_until FROM imsi i "
		       "JOIN batch b ON b.id = i.batch_id JOIN sponsor sp ON sp.id = b.sponsor_id "
		       "WHERE i.imsi = ?",
		    "t", imsi);
	if (!s)
		return c->err.rc;
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return st_fail(c, ST_E_NOTFOUND, "IMSI %s is in no batch", imsi);
	}
	id = sqlite3_column_int64(s, 0);
	root = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "imsi", imsi, "batch", col_text(s, 1),
			 "sponsor", col_text(s, 2), "state", col_text(s, 3), "state_since",
			 col_time(s, 4), "hold_until", col_time(s, 5));
	sqlite3_finalize(s);
	if (!history)
		json_object_set_new(root, "at", time_json(c->at, 0));
	/* each embedding of the IMSI, with each assignment of its profile that
	 * overlaps it; intervals are [from, to) */
	if (history)
		s = st_prep(c, "SELECT p.iccid, e.position, e.from_at, e.to_at, a.account, a.from_at, "
			       "a.to_at FROM embedding e JOIN profile p ON p.id = e.profile_id LEFT "
			       "JOIN assignment a ON a.profile_id = e.profile_id AND a.from_at < "
			       "coalesce(e.to_at, 9223372036854775807) AND coalesce(a.to_at, "
			       "9223372036854775807) > e.from_at WHERE e.imsi_id = ? ORDER BY "
			       "e.from_at, a.from_at",
			    "i", id);
	else
		s = st_prep(c, "SELECT p.iccid, e.position, e.from_at, e.to_at, a.account, a.from_at, "
			       "a.to_at FROM embedding e JOIN profile p ON p.id = e.profile_id LEFT "
			       "JOIN assignment a ON a.profile_id = e.profile_id AND a.from_at <= ?1 "
			       "AND (a.to_at IS NULL OR a.to_at > ?1) WHERE e.imsi_id = ?2 AND "
			       "e.from_at <= ?1 AND (e.to_at IS NULL OR e.to_at > ?1)",
			    "ii", c->at, id);
	rows = json_array();
	while (s && sqlite3_step(s) == SQLITE_ROW) {
		int has_a = sqlite3_column_type(s, 4) != SQLITE_NULL;
		int e_open = sqlite3_column_type(s, 3) == SQLITE_NULL;
		int a_open = sqlite3_column_type(s, 6) == SQLITE_NULL;
		int64_t ef = sqlite3_column_int64(s, 2), et = sqlite3_column_int64(s, 3);
		int64_t af = sqlite3_column_int64(s, 5), at = sqlite3_column_int64(s, 6);
		int64_t from = has_a ? max64(ef, af) : ef, to;
		int open;

		if (!has_a) {
			to = et;
			open = e_open;
		} else if (e_open || (!a_open && at < et)) {
			to = at;
			open = a_open;
		} else {
			to = et;
			open = 0;
		}
		json_array_append_new(rows, json_pack("{s:o, s:o, s:i, s:o, s:o, s:o, s:o}", "account",
						      col_text(s, 4), "iccid", col_text(s, 0),
						      "position", sqlite3_column_int(s, 1), "from",
						      time_json(from, 0), "to", time_json(to, open),
						      "embedded_from", col_time(s, 2), "embedded_to",
						      col_time(s, 3)));
	}
	sqlite3_finalize(s);
	json_object_set_new(root, history ? "history" : "holders", rows);
	if (c->err.text[0]) {
		json_decref(root);
		return c->err.rc;
	}
	*out = root;
	return 0;
}

/* ---- one profile ---------------------------------------------------------- */

static json_t *col_hex(sqlite3_stmt *s, int col)
{
	char buf[200];
	int n = sqlite3_column_bytes(s, col);

	if (sqlite3_column_type(s, col) == SQLITE_NULL || n * 2 + 1 > (int)sizeof(buf))
		return json_null();
	st_hex(sqlite3_column_blob(s, col), (size_t)n, buf);
	return json_string(buf);
}

int st_show(struct st_ctx *c, const char *iccid, json_t **out)
{
	sqlite3_stmt *s;
	json_t *root, *imsis;
	int64_t id;

	*out = NULL;
	s = st_prep(c, "SELECT p.id, p.iccid, p.state, p.since, p.account, pp.name, p.generation_id, "
		       "tk.label, p.ki_wrapped, p.opc_wrapped FROM profile p JOIN profile_pool pp ON "
		       "pp.id = p.pool_id JOIN transport_key tk ON tk.id = p.key_id WHERE p.iccid = ?",
		    "t", iccid ? iccid : "");
	if (!s)
		return c->err.rc;
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return st_fail(c, ST_E_NOTFOUND, "no profile with ICCID %s", iccid ? iccid : "");
	}
	id = sqlite3_column_int64(s, 0);
	/* Ki and OPc only as stored: wrapped under the transport key (RFC 3394) */
	root = json_pack("{s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:o, s:o}", "iccid", col_text(s, 1),
			 "state", col_text(s, 2), "since", col_time(s, 3), "account", col_text(s, 4),
			 "pool", col_text(s, 5), "generation", (json_int_t)sqlite3_column_int64(s, 6),
			 "transport_key_label", col_text(s, 7), "ki_wrapped", col_hex(s, 8),
			 "opc_wrapped", col_hex(s, 9));
	sqlite3_finalize(s);
	imsis = json_array();
	s = st_prep(c, "SELECT e.position, i.imsi, sp.name, e.origin, e.from_at FROM embedding e JOIN "
		       "imsi i ON i.id = e.imsi_id JOIN batch b ON b.id = i.batch_id JOIN sponsor sp "
		       "ON sp.id = b.sponsor_id WHERE e.profile_id = ? AND e.to_at IS NULL ORDER BY "
		       "e.position",
		    "i", id);
	while (s && sqlite3_step(s) == SQLITE_ROW)
		json_array_append_new(imsis, json_pack("{s:i, s:o, s:o, s:o, s:o}", "position",
						       sqlite3_column_int(s, 0), "imsi",
						       col_text(s, 1), "sponsor", col_text(s, 2),
						       "origin", col_text(s, 3), "since",
						       col_time(s, 4)));
	sqlite3_finalize(s);
	json_object_set_new(root, "imsis", imsis);
	s = st_prep(c, "SELECT reserved_position, imsi FROM imsi WHERE reserved_profile = ?", "i", id);
	imsis = json_array();
	while (s && sqlite3_step(s) == SQLITE_ROW)
		json_array_append_new(imsis, json_pack("{s:i, s:o}", "position",
						       sqlite3_column_int(s, 0), "imsi",
						       col_text(s, 1)));
	sqlite3_finalize(s);
	json_object_set_new(root, "reserved", imsis);
	*out = root;
	return c->err.text[0] ? c->err.rc : 0;
}

/* ---- lists ---------------------------------------------------------------- */

static json_t *state_counts(struct st_ctx *c, const char *sql, int64_t id)
{
	sqlite3_stmt *s = st_prep(c, sql, "i", id);
	json_t *o = json_object();

	while (s && sqlite3_step(s) == SQLITE_ROW)
		json_object_set_new(o, (const char *)sqlite3_column_text(s, 0),
				    json_integer(sqlite3_column_int64(s, 1)));
	sqlite3_finalize(s);
	return o;
}

int st_list(struct st_ctx *c, const char *what, json_t **out)
{
	sqlite3_stmt *s = NULL;
	json_t *arr = json_array();

	*out = NULL;
	if (!what)
		what = "";
	if (!strcmp(what, "sponsors")) {
		s = st_prep(c, "SELECT s.name, (SELECT group_concat(mcc || '-' || mnc, ',') FROM "
			       "sponsor_plmn WHERE sponsor_id = s.id) FROM sponsor s ORDER BY s.name",
			    NULL);
		while (s && sqlite3_step(s) == SQLITE_ROW)
			json_array_append_new(arr, json_pack("{s:o, s:o}", "sponsor", col_text(s, 0),
							     "plmns", col_text(s, 1)));
	} else if (!strcmp(what, "batches")) {
		s = st_prep(c, "SELECT b.id, b.name, sp.name, b.policy, b.created_at, b.cancelled_at, "
			       "b.removed_at FROM batch b JOIN sponsor sp ON sp.id = b.sponsor_id "
			       "ORDER BY b.id",
			    NULL);
		while (s && sqlite3_step(s) == SQLITE_ROW)
			json_array_append_new(
			    arr, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "batch", col_text(s, 1),
					   "sponsor", col_text(s, 2), "policy", col_text(s, 3),
					   "created", col_time(s, 4), "cancelled", col_time(s, 5),
					   "removed", col_time(s, 6), "imsis",
					   state_counts(c, "SELECT state, count(*) FROM imsi WHERE "
							   "batch_id = ? GROUP BY state",
							sqlite3_column_int64(s, 0))));
	} else if (!strcmp(what, "pools")) {
		s = st_prep(c, "SELECT p.id, p.name, p.iccid_first, p.iccid_last, p.iccid_next, "
			       "p.plan_json IS NOT NULL, (SELECT group_concat(pr.name || ' (priority ' "
			       "|| pp.priority || ')', '; ') FROM pool_product pp JOIN product pr ON "
			       "pr.id = pp.product_id WHERE pp.pool_id = p.id) FROM profile_pool p "
			       "ORDER BY p.name",
			    NULL);
		while (s && sqlite3_step(s) == SQLITE_ROW)
			json_array_append_new(
			    arr, json_pack("{s:o, s:I, s:I, s:b, s:o, s:o}", "pool", col_text(s, 1),
					   "iccids_left",
					   (json_int_t)(sqlite3_column_int64(s, 3) -
							sqlite3_column_int64(s, 4) + 1),
					   "iccids_used",
					   (json_int_t)(sqlite3_column_int64(s, 4) -
							sqlite3_column_int64(s, 2)),
					   "rules", sqlite3_column_int(s, 5), "products",
					   col_text(s, 6), "profiles",
					   state_counts(c, "SELECT state, count(*) FROM profile WHERE "
							   "pool_id = ? GROUP BY state",
							sqlite3_column_int64(s, 0))));
	} else if (!strcmp(what, "products")) {
		s = st_prep(c, "SELECT name, coverage FROM product ORDER BY name", NULL);
		while (s && sqlite3_step(s) == SQLITE_ROW)
			json_array_append_new(arr, json_pack("{s:o, s:o}", "product", col_text(s, 0),
							     "coverage", col_text(s, 1)));
	} else if (!strcmp(what, "ipools")) {
		s = st_prep(c, "SELECT p.id, p.name, (SELECT group_concat(pr.name, '; ') FROM "
			       "imsi_pool_product ipp JOIN product pr ON pr.id = ipp.product_id WHERE "
			       "ipp.pool_id = p.id) FROM imsi_pool p ORDER BY p.name",
			    NULL);
		while (s && sqlite3_step(s) == SQLITE_ROW)
			json_array_append_new(
			    arr, json_pack("{s:o, s:o, s:o}", "ipool", col_text(s, 1), "products",
					   col_text(s, 2), "imsis",
					   state_counts(c, "SELECT state, count(*) FROM imsi WHERE "
							   "pool_id = ? GROUP BY state",
							sqlite3_column_int64(s, 0))));
	} else if (!strcmp(what, "holds")) {
		s = st_prep(c, "SELECT mcc, days FROM hold_policy ORDER BY mcc", NULL);
		while (s && sqlite3_step(s) == SQLITE_ROW)
			json_array_append_new(arr, json_pack("{s:o, s:I}", "mcc", col_text(s, 0),
							     "days",
							     (json_int_t)sqlite3_column_int64(s, 1)));
	} else if (!strcmp(what, "keys")) {
		s = st_prep(c, "SELECT label, kcv, bits FROM transport_key ORDER BY label", NULL);
		while (s && sqlite3_step(s) == SQLITE_ROW)
			json_array_append_new(arr, json_pack("{s:o, s:o, s:i}", "label",
							     col_text(s, 0), "kcv", col_text(s, 1),
							     "bits", sqlite3_column_int(s, 2)));
	} else {
		json_decref(arr);
		return st_fail(c, ST_E_USAGE, "list sponsors|batches|pools|products|ipools|holds|keys");
	}
	sqlite3_finalize(s);
	if (c->err.text[0]) {
		json_decref(arr);
		return c->err.rc;
	}
	*out = arr;
	return 0;
}
