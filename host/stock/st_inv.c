/* SPDX-License-Identifier: Apache-2.0 */
/* Inventory set-up: sponsors and their PLMNs, IMSI batches (range or CSV,
 * with optional K/OPc), holds per MCC, products, profile pools and dynamic
 * IMSI pools, thresholds. Each call is one transaction. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "mc_csv.h"
#include "st.h"

#define PLMNS_MAX 32
#define BATCH_MAX 100000000LL

int st_sponsor_add(struct st_ctx *c, const char *name, char **plmns, int n_plmns)
{
	int64_t id;
	int i, rc;
	char mcc[4], mnc[4];

	if (!name || !*name)
		return st_fail(c, ST_E_USAGE, "sponsor add NAME --plmn MCC-MNC...");
	if (n_plmns < 1)
		return st_fail(c, ST_E_USAGE, "sponsor '%s': at least one --plmn MCC-MNC (the "
					      "IMSI ranges it lends, e.g. 213-77)",
			       name);
	for (i = 0; i < n_plmns; i++)
		if (st_plmn_parse(plmns[i], mcc, mnc) < 0)
			return st_fail(c, ST_E_DATA, "--plmn %s: expected MCC-MNC, 3 digits, a dash, "
						     "2 or 3 digits (e.g. 213-77)",
				       plmns[i]);
	if ((rc = st_begin(c)) < 0)
		return rc;
	if (st_get_i64(c, &id, "SELECT id FROM sponsor WHERE name = ?", "t", name) == 1) {
		rc = st_fail(c, ST_E_STATE, "sponsor '%s' exists already", name);
		return st_end(c, rc);
	}
	if (st_run(c, "INSERT INTO sponsor (name, created_at) VALUES (?, ?)", "ti", name, c->at) < 0)
		return st_end(c, c->err.rc);
	id = sqlite3_last_insert_rowid(c->db);
	for (i = 0; i < n_plmns; i++) {
		int64_t other;
		st_plmn_parse(plmns[i], mcc, mnc);
		if (st_get_i64(c, &other, "SELECT sponsor_id FROM sponsor_plmn WHERE mcc = ? AND mnc = ?",
			       "tt", mcc, mnc) == 1)
			return st_end(c, st_fail(c, ST_E_DATA, "--plmn %s: this PLMN belongs to "
							       "another sponsor already",
						 plmns[i]));
		if (st_run(c, "INSERT INTO sponsor_plmn (sponsor_id, mcc, mnc) VALUES (?, ?, ?)", "itt",
			   id, mcc, mnc) < 0)
			return st_end(c, c->err.rc);
	}
	return st_end(c, ST_OK);
}

/* ---- batches ---------------------------------------------------------- */

struct importer {
	struct st_ctx *c;
	const struct st_batch_import *b;
	int64_t batch_id, n;
	char mcc[PLMNS_MAX][4], mnc[PLMNS_MAX][4];
	int n_plmn;
	sqlite3_stmt *ins;
	int col_imsi, col_k, col_opc;
};

/* \returns the MCC of the sponsor PLMN the IMSI starts with, or NULL. */
static const char *imsi_plmn(const struct importer *im, const char *imsi)
{
	int i;
	char pre[8];

	for (i = 0; i < im->n_plmn; i++) {
		snprintf(pre, sizeof(pre), "%s%s", im->mcc[i], im->mnc[i]);
		if (strncmp(imsi, pre, strlen(pre)) == 0)
			return im->mcc[i];
	}
	return NULL;
}

static void plmn_list(const struct importer *im, char *out, size_t cap)
{
	int i;
	size_t k = 0;

	out[0] = '\0';
	for (i = 0; i < im->n_plmn && k < cap; i++)
		k += (size_t)snprintf(out + k, cap - k, "%s%s-%s", i ? ", " : "", im->mcc[i],
				      im->mnc[i]);
}

static int insert_imsi(struct importer *im, const char *imsi, const char *mcc,
		       const unsigned char *kw, const unsigned char *ow, int wlen)
{
	sqlite3_stmt *s = im->ins;
	int rc;

	sqlite3_reset(s);
	sqlite3_bind_text(s, 1, imsi, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, im->batch_id);
	sqlite3_bind_text(s, 3, mcc, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 4, im->c->at);
	if (kw) {
		sqlite3_bind_int64(s, 5, im->b->key->id);
		sqlite3_bind_blob(s, 6, kw, wlen, SQLITE_TRANSIENT);
		sqlite3_bind_blob(s, 7, ow, wlen, SQLITE_TRANSIENT);
	} else {
		sqlite3_bind_null(s, 5);
		sqlite3_bind_null(s, 6);
		sqlite3_bind_null(s, 7);
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		im->n++;
		return 0;
	}
	return rc;
}

static int dup_message(struct importer *im, const char *imsi, char *out, size_t cap)
{
	sqlite3_stmt *s = st_prep(im->c,
				  "SELECT b.name FROM imsi i JOIN batch b ON b.id = i.batch_id "
				  "WHERE i.imsi = ?",
				  "t", imsi);

	if (s && sqlite3_step(s) == SQLITE_ROW)
		snprintf(out, cap, "IMSI %s is already in batch '%s'", imsi,
			 (const char *)sqlite3_column_text(s, 0));
	else
		snprintf(out, cap, "IMSI %s appears twice", imsi);
	sqlite3_finalize(s);
	return 0;
}

static int import_row(void *ctx, const struct mc_csv_row *row, struct mc_csv_err *err)
{
	struct importer *im = ctx;
	const char *imsi, *mcc;
	unsigned char k[16], o[16], kw[24], ow[24];
	int has_k, rc;
	char msg[200];

	if (row->index == 0) {
		im->col_imsi = mc_csv_column(row, "imsi");
		im->col_k = mc_csv_column(row, "k");
		if (im->col_k < 0)
			im->col_k = mc_csv_column(row, "ki");
		im->col_opc = mc_csv_column(row, "opc");
		if (im->col_imsi < 0) {
			mc_csv_err_field(err, row, 0, "the header needs a column 'imsi' (and "
						      "optionally 'k' and 'opc')");
			return 1;
		}
		if ((im->col_k < 0) != (im->col_opc < 0)) {
			mc_csv_err_field(err, row, 0, "give both columns 'k' and 'opc', or neither");
			return 1;
		}
		if (im->col_k >= 0 && !im->b->key) {
			mc_csv_err_field(err, row, (size_t)im->col_k,
					 "K/OPc columns need the transport key to store them "
					 "(--key-file, --key-label)");
			return 1;
		}
		return 0;
	}
	if ((size_t)im->col_imsi >= row->n) {
		mc_csv_err_field(err, row, (size_t)im->col_imsi, "missing imsi");
		return 1;
	}
	imsi = row->field[im->col_imsi];
	if (!mc_imsi_ok(imsi)) {
		mc_csv_err_field(err, row, (size_t)im->col_imsi,
				 "IMSI must be 6 to 15 digits (TS 23.003 §2.2)");
		return 1;
	}
	mcc = imsi_plmn(im, imsi);
	if (!mcc) {
		plmn_list(im, msg, sizeof(msg));
		mc_csv_err_field(err, row, (size_t)im->col_imsi,
				 "IMSI %s is not in the sponsor's MCC-MNC (%s)", imsi, msg);
		return 1;
	}
	has_k = im->col_k >= 0 && (size_t)im->col_k < row->n && row->field[im->col_k][0];
	if (has_k) {
		int bad = (size_t)im->col_opc >= row->n ||
			  st_hex_decode(row->field[im->col_k], k, sizeof(k)) != 16;
		int bad_o = bad || st_hex_decode(row->field[im->col_opc], o, sizeof(o)) != 16;
		if (bad || bad_o) {
			/* never echo key material */
			mc_csv_err_field(err, row, (size_t)(bad ? im->col_k : im->col_opc),
					 "%s must be 32 hex digits", bad ? "K" : "OPc");
			OPENSSL_cleanse(k, sizeof(k));
			OPENSSL_cleanse(o, sizeof(o));
			return 1;
		}
		rc = st_wrap(im->b->key, k, 16, kw) != 24 || st_wrap(im->b->key, o, 16, ow) != 24;
		OPENSSL_cleanse(k, sizeof(k));
		OPENSSL_cleanse(o, sizeof(o));
		if (rc) {
			mc_csv_err_field(err, row, (size_t)im->col_k, "key wrap failed");
			return 1;
		}
	}
	rc = insert_imsi(im, imsi, mcc, has_k ? kw : NULL, ow, 24);
	if (rc == SQLITE_CONSTRAINT) {
		dup_message(im, imsi, msg, sizeof(msg));
		mc_csv_err_field(err, row, (size_t)im->col_imsi, "%s", msg);
		return 1;
	}
	if (rc) {
		mc_csv_err_field(err, row, (size_t)im->col_imsi, "%s", sqlite3_errmsg(im->c->db));
		return 1;
	}
	return 0;
}

static int import_range(struct importer *im)
{
	struct st_ctx *c = im->c;
	const char *first = im->b->first, *last = im->b->last;
	size_t len = strlen(first);
	long long a, z, v;
	const char *mcc;
	char imsi[16], msg[200];
	sqlite3_stmt *s;

	if (!mc_imsi_ok(first) || !mc_imsi_ok(last) || strlen(last) != len)
		return st_fail(c, ST_E_DATA, "--range %s-%s: two IMSIs of 6 to 15 digits, the same "
					     "length (TS 23.003 §2.2)",
			       first, last);
	a = strtoll(first, NULL, 10);
	z = strtoll(last, NULL, 10);
	if (z < a || z - a + 1 > BATCH_MAX)
		return st_fail(c, ST_E_DATA, "--range %s-%s: the last IMSI must not be below the "
					     "first, and a batch holds at most %lld",
			       first, last, BATCH_MAX);
	mcc = imsi_plmn(im, first);
	if (!mcc || imsi_plmn(im, last) != mcc) {
		plmn_list(im, msg, sizeof(msg));
		return st_fail(c, ST_E_DATA, "--range %s-%s: not inside one of the sponsor's "
					     "MCC-MNC (%s)",
			       first, last, msg);
	}
	s = st_prep(c, "SELECT i.imsi, b.name FROM imsi i JOIN batch b ON b.id = i.batch_id "
		       "WHERE length(i.imsi) = ? AND i.imsi BETWEEN ? AND ? LIMIT 1",
		    "dtt", (int)len, first, last);
	if (!s)
		return c->err.rc;
	if (sqlite3_step(s) == SQLITE_ROW) {
		st_fail(c, ST_E_DATA, "--range %s-%s: IMSI %s is already in batch '%s'", first, last,
			(const char *)sqlite3_column_text(s, 0),
			(const char *)sqlite3_column_text(s, 1));
		sqlite3_finalize(s);
		return c->err.rc;
	}
	sqlite3_finalize(s);
	for (v = a; v <= z; v++) {
		snprintf(imsi, sizeof(imsi), "%0*lld", (int)len, v);
		if (insert_imsi(im, imsi, mcc, NULL, NULL, 0))
			return st_fail_db(c, "import");
	}
	return 0;
}

int st_batch_import(struct st_ctx *c, const struct st_batch_import *b)
{
	struct importer im;
	sqlite3_stmt *s;
	int64_t sid, other;
	const char *policy = b->policy ? b->policy : "recycle";
	int rc;

	memset(&im, 0, sizeof(im));
	im.c = c;
	im.b = b;
	if (!b->name || !*b->name || !b->sponsor)
		return st_fail(c, ST_E_USAGE, "batch import NAME --sponsor S (--range FIRST-LAST | "
					      "--csv FILE)");
	if (!!b->csv == !!b->first)
		return st_fail(c, ST_E_USAGE, "batch import %s: give --range FIRST-LAST or --csv "
					      "FILE (one of them)",
			       b->name);
	if (strcmp(policy, "recycle") && strcmp(policy, "eol"))
		return st_fail(c, ST_E_USAGE, "--policy %s: recycle or eol", policy);
	if ((rc = st_begin(c)) < 0)
		return rc;
	if (b->key && st_key_register(c, (struct st_key *)b->key) < 0)
		return st_end(c, c->err.rc);
	if (st_id(c, "sponsor", "sponsor", b->sponsor, &sid) < 0)
		return st_end(c, c->err.rc);
	if (st_get_i64(c, &other, "SELECT id FROM batch WHERE name = ?", "t", b->name) == 1)
		return st_end(c, st_fail(c, ST_E_STATE, "batch '%s' exists already", b->name));
	s = st_prep(c, "SELECT mcc, mnc FROM sponsor_plmn WHERE sponsor_id = ?", "i", sid);
	while (s && sqlite3_step(s) == SQLITE_ROW && im.n_plmn < PLMNS_MAX) {
		snprintf(im.mcc[im.n_plmn], 4, "%s", (const char *)sqlite3_column_text(s, 0));
		snprintf(im.mnc[im.n_plmn], 4, "%s", (const char *)sqlite3_column_text(s, 1));
		im.n_plmn++;
	}
	sqlite3_finalize(s);
	if (st_run(c, "INSERT INTO batch (name, sponsor_id, policy, created_at) VALUES (?, ?, ?, ?)",
		   "titi", b->name, sid, policy, c->at) < 0)
		return st_end(c, c->err.rc);
	im.batch_id = sqlite3_last_insert_rowid(c->db);
	im.ins = st_prep(c, "INSERT INTO imsi (imsi, batch_id, mcc, state, since, key_id, k_wrapped, "
			    "opc_wrapped) VALUES (?, ?, ?, 'available', ?, ?, ?, ?)",
			 NULL);
	if (!im.ins)
		return st_end(c, c->err.rc);
	if (b->first) {
		rc = import_range(&im);
	} else {
		struct mc_csv_err e;
		struct mc_csv_opts o = {0};

		o.comments = 1;
		rc = mc_csv_read_file(b->csv, &o, import_row, &im, &e);
		if (rc)
			rc = st_fail(c, strstr(e.text, "cannot open") ? ST_E_NOINPUT : ST_E_DATA,
				     "%s", e.text);
		else if (im.n == 0)
			rc = st_fail(c, ST_E_DATA, "%s: no IMSI rows", b->csv);
	}
	sqlite3_finalize(im.ins);
	if (rc == ST_OK)
		st_result(c, json_pack("{s:s, s:I}", "batch", b->name, "imsis", (json_int_t)im.n),
			  "batch '%s': %lld IMSIs of sponsor '%s', policy %s\n", b->name,
			  (long long)im.n, b->sponsor, policy);
	return st_end(c, rc);
}

int st_batch_policy(struct st_ctx *c, const char *name, const char *policy)
{
	int64_t id;
	int rc;

	if (!policy || (strcmp(policy, "recycle") && strcmp(policy, "eol")))
		return st_fail(c, ST_E_USAGE, "batch policy NAME recycle|eol");
	if ((rc = st_begin(c)) < 0)
		return rc;
	if (st_id(c, "batch", "batch", name, &id) < 0)
		return st_end(c, c->err.rc);
	if (st_run(c, "UPDATE batch SET policy = ? WHERE id = ? AND removed_at IS NULL", "ti", policy,
		   id) == 0)
		return st_end(c, st_fail(c, ST_E_STATE, "batch '%s' was removed", name));
	return st_end(c, c->err.rc ? c->err.rc : ST_OK);
}

int st_batch_cancel(struct st_ctx *c, const char *name)
{
	int64_t id;
	int rc, n;

	if ((rc = st_begin(c)) < 0)
		return rc;
	if (st_id(c, "batch", "batch", name, &id) < 0)
		return st_end(c, c->err.rc);
	if (st_run(c, "UPDATE batch SET policy = 'eol', cancelled_at = ? WHERE id = ?", "ii", c->at,
		   id) < 0)
		return st_end(c, c->err.rc);
	/* unused IMSIs end now; IMSIs in profiles end after their hold */
	n = st_run(c, "UPDATE imsi SET state = 'eol', since = ? WHERE batch_id = ? AND "
		      "state = 'available'",
		   "ii", c->at, id);
	if (n < 0)
		return st_end(c, c->err.rc);
	st_result(c, json_pack("{s:s, s:i}", "batch", name, "end_of_life_now", n),
		  "batch '%s' cancelled: %d unused IMSIs at end of life; the others follow after "
		  "their hold\n",
		  name, n);
	return st_end(c, ST_OK);
}

int st_batch_remove(struct st_ctx *c, const char *name)
{
	int64_t id, left;
	int rc;

	if ((rc = st_begin(c)) < 0)
		return rc;
	if (st_id(c, "batch", "batch", name, &id) < 0)
		return st_end(c, c->err.rc);
	if (st_get_i64(c, &left, "SELECT count(*) FROM imsi WHERE batch_id = ? AND "
				 "state NOT IN ('eol', 'removed')",
		       "i", id) < 0)
		return st_end(c, c->err.rc);
	if (left > 0)
		return st_end(c, st_fail(c, ST_E_STATE, "batch '%s': %lld IMSIs are not at end of "
							"life yet (cancel the batch; IMSIs in "
							"profiles end after their hold)",
					 name, (long long)left));
	/* the rows stay: the audit trail refers to them */
	if (st_run(c, "UPDATE imsi SET state = 'removed', since = ? WHERE batch_id = ? AND "
		      "state = 'eol'",
		   "ii", c->at, id) < 0 ||
	    st_run(c, "UPDATE batch SET removed_at = ? WHERE id = ?", "ii", c->at, id) < 0)
		return st_end(c, c->err.rc);
	return st_end(c, ST_OK);
}

int st_hold_set(struct st_ctx *c, const char *mcc, int64_t days)
{
	int rc;

	if (!mcc || !mc_is_digits(mcc, 3, 3) || days < 0 || days > 36500)
		return st_fail(c, ST_E_USAGE, "hold set MCC DAYS: MCC is 3 digits, DAYS 0..36500");
	if ((rc = st_begin(c)) < 0)
		return rc;
	if (st_run(c, "INSERT INTO hold_policy (mcc, days, set_at) VALUES (?, ?, ?) "
		      "ON CONFLICT (mcc) DO UPDATE SET days = excluded.days, set_at = excluded.set_at",
		   "tii", mcc, days, c->at) < 0)
		return st_end(c, c->err.rc);
	return st_end(c, ST_OK);
}

/* ---- products and pools ------------------------------------------------ */

int st_product_add(struct st_ctx *c, const char *name, const char *coverage)
{
	int64_t id;
	int rc;

	if (!name || !*name)
		return st_fail(c, ST_E_USAGE, "product add NAME [--coverage E212-MCC[-MNC],...]");
	if (coverage) {
		char *dup = strdup(coverage), *tok, *save = NULL;
		char mcc[4], mnc[4];
		for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			if (strncmp(tok, "E212-", 5) != 0 ||
			    (st_plmn_parse(tok + 5, mcc, mnc) < 0 && !mc_is_digits(tok + 5, 3, 3))) {
				rc = st_fail(c, ST_E_DATA, "--coverage: '%s' is not an E212 rate code "
							   "(E212-MCC or E212-MCC-MNC)",
					     tok);
				free(dup);
				return rc;
			}
		free(dup);
	}
	if ((rc = st_begin(c)) < 0)
		return rc;
	if (st_get_i64(c, &id, "SELECT id FROM product WHERE name = ?", "t", name) == 1)
		return st_end(c, st_fail(c, ST_E_STATE, "product '%s' exists already", name));
	if (st_run(c, "INSERT INTO product (name, coverage, created_at) VALUES (?, ?, ?)", "tti", name,
		   coverage, c->at) < 0)
		return st_end(c, c->err.rc);
	return st_end(c, ST_OK);
}

static char *read_text(struct st_ctx *c, const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f) {
		st_fail(c, ST_E_NOINPUT, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	if (n < 0 || n > 16 * 1024 * 1024) {
		fclose(f);
		st_fail(c, ST_E_DATA, "%s: larger than 16 MiB", path);
		return NULL;
	}
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		st_fail(c, ST_E_NOINPUT, "%s: read error", path);
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The plan and the rate sheets are kept in the database, so that a later
 * generation compiles the same rule set whatever happened to the files. */
static int load_rules(struct st_ctx *c, const char *plan, char **rates, int n_rates,
		      char **plan_text, char **rates_json)
{
	json_t *arr, *pj;
	json_error_t je;
	int i;

	*plan_text = NULL;
	*rates_json = NULL;
	if (!plan)
		return n_rates ? st_fail(c, ST_E_USAGE, "--rates needs --plan") : 0;
	if (n_rates < 1)
		return st_fail(c, ST_E_USAGE, "--plan needs at least one --rates CSV");
	*plan_text = read_text(c, plan);
	if (!*plan_text)
		return c->err.rc;
	pj = json_loads(*plan_text, JSON_REJECT_DUPLICATES, &je);
	if (!pj)
		return st_fail(c, ST_E_DATA, "%s:%d:%d: %s", plan, je.line, je.column, je.text);
	json_decref(pj);
	arr = json_array();
	for (i = 0; i < n_rates; i++) {
		char *t = read_text(c, rates[i]);
		const char *base = strrchr(rates[i], '/');
		if (!t) {
			json_decref(arr);
			return c->err.rc;
		}
		json_array_append_new(arr, json_pack("{s:s, s:s}", "name", base ? base + 1 : rates[i],
						     "text", t));
		free(t);
	}
	*rates_json = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return 0;
}

static int parse_iccid_range(struct st_ctx *c, const char *s, int *digits, int64_t *a, int64_t *z)
{
	const char *dash = s ? strchr(s, '-') : NULL;
	char first[32], last[32];
	size_t n;

	if (!dash || (size_t)(dash - s) >= sizeof(first))
		goto bad;
	n = (size_t)(dash - s);
	memcpy(first, s, n);
	first[n] = '\0';
	snprintf(last, sizeof(last), "%s", dash + 1);
	/* ITU-T E.118: an ICCID is at most 20 digits with its check digit; the
	 * range gives the digits before the check digit */
	if (!mc_is_digits(first, MC_ICCID_MIN - 1, MC_ICCID_MAX - 1) || strlen(last) != n || !mc_is_digits(last, n, n) ||
	    strncmp(first, "89", 2) != 0)
		goto bad;
	*digits = (int)n;
	*a = strtoll(first, NULL, 10);
	*z = strtoll(last, NULL, 10);
	if (*z < *a)
		goto bad;
	return 0;
bad:
	return st_fail(c, ST_E_DATA, "--iccid-range %s: FIRST-LAST, 17 to 19 digits each without "
				     "the check digit, starting 89 (ITU-T E.118 telecom MII)",
		       s ? s : "(missing)");
}

int st_pool_create(struct st_ctx *c, const char *name, const char *iccid_range, const char *plan,
		   char **rates, int n_rates)
{
	char *plan_text = NULL, *rates_json = NULL;
	int digits = 0, rc;
	int64_t a = 0, z = 0, id;
	sqlite3_stmt *s;

	if (!name || !*name)
		return st_fail(c, ST_E_USAGE, "pool create NAME --iccid-range FIRST-LAST [--plan "
					      "PLAN.json --rates RATES.csv...]");
	if (parse_iccid_range(c, iccid_range, &digits, &a, &z) < 0)
		return c->err.rc;
	if (load_rules(c, plan, rates, n_rates, &plan_text, &rates_json) < 0)
		goto out;
	if ((rc = st_begin(c)) < 0)
		goto out;
	if (st_get_i64(c, &id, "SELECT id FROM profile_pool WHERE name = ?", "t", name) == 1) {
		st_end(c, st_fail(c, ST_E_STATE, "pool '%s' exists already", name));
		goto out;
	}
	s = st_prep(c, "SELECT name FROM profile_pool WHERE iccid_digits = ? AND iccid_first <= ? "
		       "AND iccid_last >= ?",
		    "dii", digits, z, a);
	if (s && sqlite3_step(s) == SQLITE_ROW) {
		st_fail(c, ST_E_DATA, "--iccid-range %s overlaps the range of pool '%s'", iccid_range,
			(const char *)sqlite3_column_text(s, 0));
		sqlite3_finalize(s);
		st_end(c, c->err.rc);
		goto out;
	}
	sqlite3_finalize(s);
	if (st_run(c, "INSERT INTO profile_pool (name, iccid_digits, iccid_first, iccid_last, "
		      "iccid_next, plan_json, rates_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		   "tdiiitti", name, digits, a, z, a, plan_text, rates_json, c->at) < 0) {
		st_end(c, c->err.rc);
		goto out;
	}
	st_end(c, ST_OK);
out:
	free(plan_text);
	free(rates_json);
	return c->err.text[0] ? c->err.rc : ST_OK;
}

int st_pool_link(struct st_ctx *c, const char *pool, const char *product, int64_t priority,
		 int unlink)
{
	int64_t pid, prid;
	int rc;

	if ((rc = st_begin(c)) < 0)
		return rc;
	if (st_id(c, "profile_pool", "pool", pool, &pid) < 0 ||
	    st_id(c, "product", "product", product, &prid) < 0)
		return st_end(c, c->err.rc);
	if (unlink)
		rc = st_run(c, "DELETE FROM pool_product WHERE pool_id = ? AND product_id = ?", "ii",
			    pid, prid);
	else
		rc = st_run(c, "INSERT INTO pool_product (pool_id, product_id, priority) "
			       "VALUES (?, ?, ?) ON CONFLICT (product_id, pool_id) DO UPDATE SET "
			       "priority = excluded.priority",
			    "iii", pid, prid, priority);
	return st_end(c, rc < 0 ? rc : ST_OK);
}

int st_ipool_create(struct st_ctx *c, const char *name)
{
	int64_t id;
	int rc;

	if (!name || !*name)
		return st_fail(c, ST_E_USAGE, "ipool create NAME");
	if ((rc = st_begin(c)) < 0)
		return rc;
	if (st_get_i64(c, &id, "SELECT id FROM imsi_pool WHERE name = ?", "t", name) == 1)
		return st_end(c, st_fail(c, ST_E_STATE, "IMSI pool '%s' exists already", name));
	rc = st_run(c, "INSERT INTO imsi_pool (name, created_at) VALUES (?, ?)", "ti", name, c->at);
	return st_end(c, rc < 0 ? rc : ST_OK);
}

int st_ipool_link(struct st_ctx *c, const char *pool, const char *product, int unlink)
{
	int64_t pid, prid;
	int rc;

	if ((rc = st_begin(c)) < 0)
		return rc;
	if (st_id(c, "imsi_pool", "IMSI pool", pool, &pid) < 0 ||
	    st_id(c, "product", "product", product, &prid) < 0)
		return st_end(c, c->err.rc);
	if (unlink)
		rc = st_run(c, "DELETE FROM imsi_pool_product WHERE pool_id = ? AND product_id = ?",
			    "ii", pid, prid);
	else
		rc = st_run(c, "INSERT OR IGNORE INTO imsi_pool_product (pool_id, product_id) "
			       "VALUES (?, ?)",
			    "ii", pid, prid);
	return st_end(c, rc < 0 ? rc : ST_OK);
}

int st_ipool_add(struct st_ctx *c, const char *pool, const char *batch, int64_t count)
{
	int64_t pid, bid, avail;
	int rc, n;

	if ((rc = st_begin(c)) < 0)
		return rc;
	if (st_id(c, "imsi_pool", "IMSI pool", pool, &pid) < 0 ||
	    st_id(c, "batch", "batch", batch, &bid) < 0)
		return st_end(c, c->err.rc);
	if (st_get_i64(c, &avail, "SELECT count(*) FROM imsi WHERE batch_id = ? AND pool_id IS NULL "
				  "AND state NOT IN ('eol', 'removed')",
		       "i", bid) < 0)
		return st_end(c, c->err.rc);
	if (count <= 0)
		count = avail;
	if (count > avail)
		return st_end(c, st_fail(c, ST_E_EMPTY, "batch '%s' has %lld IMSIs outside any "
							"IMSI pool, %lld asked",
					 batch, (long long)avail, (long long)count));
	/* IMSIs embedded in profiles join too: they come back to the pool
	 * after their hold (use case 2.2 counts them as allocated) */
	n = st_run(c, "UPDATE imsi SET pool_id = ? WHERE id IN (SELECT id FROM imsi WHERE "
		      "batch_id = ? AND pool_id IS NULL AND state NOT IN ('eol', 'removed') "
		      "ORDER BY id LIMIT ?)",
		   "iii", pid, bid, count);
	if (n < 0)
		return st_end(c, c->err.rc);
	if (st_get_i64(c, &avail, "SELECT count(*) FROM imsi WHERE pool_id = ? AND batch_id = ? AND "
				  "state = 'available'",
		       "ii", pid, bid) < 0)
		return st_end(c, c->err.rc);
	st_result(c, json_pack("{s:s, s:i, s:I}", "ipool", pool, "added", n, "not_yet_embedded",
			       (json_int_t)avail),
		  "IMSI pool '%s': %d IMSIs of batch '%s' added, %lld not yet embedded\n", pool, n,
		  batch, (long long)avail);
	return st_end(c, ST_OK);
}

int st_threshold_set(struct st_ctx *c, const char *kind, const char *name, int64_t profiles,
		     int64_t imsis)
{
	int64_t id;
	int rc;

	if (!kind || (strcmp(kind, "sponsor") && strcmp(kind, "product")))
		return st_fail(c, ST_E_USAGE, "threshold sponsor|product NAME [--profiles N] "
					      "[--imsis N]");
	if ((rc = st_begin(c)) < 0)
		return rc;
	if (st_id(c, strcmp(kind, "sponsor") ? "product" : "sponsor", kind, name, &id) < 0)
		return st_end(c, c->err.rc);
	rc = st_run(c, "INSERT INTO threshold (kind, name, profiles, imsis) VALUES (?, ?, ?, ?) "
		       "ON CONFLICT (kind, name) DO UPDATE SET profiles = excluded.profiles, "
		       "imsis = excluded.imsis",
		    "tt" "ii", kind, name, profiles, imsis);
	return st_end(c, rc < 0 ? rc : ST_OK);
}
