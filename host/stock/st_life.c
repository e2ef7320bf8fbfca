/* SPDX-License-Identifier: Apache-2.0 */
/* Lifecycle: assign, dispose, swap, holds and their end, dynamic embedding.
 * Every change records the time (c->at) so the audit can answer "who had
 * IMSI X at T" after any number of recyclings: embeddings and assignments
 * are intervals [from_at, to_at) that are closed, never deleted. */
#include <stdio.h>
#include <string.h>

#include "st.h"

struct prof {
	int64_t id, since, pool_id;
	char state[16], account[128], iccid[24];
	int has_account;
};

static int prof_load(struct st_ctx *c, const char *iccid, struct prof *p)
{
	sqlite3_stmt *s;

	memset(p, 0, sizeof(*p));
	if (!iccid || !*iccid)
		return st_fail(c, ST_E_USAGE, "an ICCID is needed");
	s = st_prep(c, "SELECT id, state, since, account, pool_id, iccid FROM profile WHERE iccid = ?",
		    "t", iccid);
	if (!s)
		return c->err.rc;
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return st_fail(c, ST_E_NOTFOUND, "no profile with ICCID %s", iccid);
	}
	p->id = sqlite3_column_int64(s, 0);
	snprintf(p->state, sizeof(p->state), "%s", (const char *)sqlite3_column_text(s, 1));
	p->since = sqlite3_column_int64(s, 2);
	p->has_account = sqlite3_column_type(s, 3) != SQLITE_NULL;
	if (p->has_account)
		snprintf(p->account, sizeof(p->account), "%s", (const char *)sqlite3_column_text(s, 3));
	p->pool_id = sqlite3_column_int64(s, 4);
	snprintf(p->iccid, sizeof(p->iccid), "%s", (const char *)sqlite3_column_text(s, 5));
	sqlite3_finalize(s);
	return 0;
}

static int not_before(struct st_ctx *c, int64_t since, const char *what)
{
	char a[32], b[32];

	if (c->at >= since)
		return 0;
	st_time_format(c->at, a, sizeof(a));
	st_time_format(since, b, sizeof(b));
	return st_fail(c, ST_E_STATE, "--at %s is before the last change of %s (%s): history is "
				      "written in time order",
		       a, what, b);
}

int st_sweep(struct st_ctx *c, int64_t *to_available, int64_t *to_eol)
{
	int a, e;

	/* the state changes at the end of the hold, not when this runs */
	/* every command runs this: walk only the holds that are due */
	a = st_run(c, "UPDATE imsi INDEXED BY imsi_hold SET state = 'available', since = hold_until, "
		      "hold_until = NULL, hold_account = NULL WHERE state = 'hold' AND hold_until <= ? "
		      "AND batch_id IN (SELECT id FROM batch WHERE policy = 'recycle')",
		   "i", c->at);
	if (a < 0)
		return a;
	e = st_run(c, "UPDATE imsi INDEXED BY imsi_hold SET state = 'eol', since = hold_until, "
		      "hold_until = NULL, hold_account = NULL WHERE state = 'hold' AND hold_until <= ? "
		      "AND batch_id IN (SELECT id FROM batch WHERE policy = 'eol')",
		   "i", c->at);
	if (e < 0)
		return e;
	if (to_available)
		*to_available = a;
	if (to_eol)
		*to_eol = e;
	return a + e;
}

/* An IMSI leaves a profile: hold for its MCC's days (kept for \a account),
 * or straight back (recycle) or to end of life (eol) when no hold is set. */
static int imsi_leave(struct st_ctx *c, int64_t imsi_id, const char *account)
{
	int64_t days = 0;

	if (st_get_i64(c, &days, "SELECT h.days FROM hold_policy h JOIN imsi i ON i.mcc = h.mcc "
				 "WHERE i.id = ?",
		       "i", imsi_id) < 0)
		return c->err.rc;
	if (days > 0)
		return st_run(c, "UPDATE imsi SET state = 'hold', since = ?, hold_until = ?, "
				 "hold_account = ? WHERE id = ?",
			      "iiti", c->at, c->at + days * 86400, account, imsi_id) < 0
			   ? c->err.rc
			   : 0;
	return st_run(c, "UPDATE imsi SET state = CASE (SELECT policy FROM batch b WHERE b.id = "
			 "imsi.batch_id) WHEN 'recycle' THEN 'available' ELSE 'eol' END, since = ? "
			 "WHERE id = ?",
		      "ii", c->at, imsi_id) < 0
		   ? c->err.rc
		   : 0;
}

static int close_embedding(struct st_ctx *c, int64_t emb_id, int64_t imsi_id, const char *account)
{
	if (st_run(c, "UPDATE embedding SET to_at = ? WHERE id = ?", "ii", c->at, emb_id) < 0)
		return c->err.rc;
	return imsi_leave(c, imsi_id, account);
}

static int do_dispose(struct st_ctx *c, struct prof *p)
{
	sqlite3_stmt *s;
	int64_t ids[ST_MAX_POSITIONS][2];
	int n = 0, i;

	if (strcmp(p->state, "disposed") == 0)
		return st_fail(c, ST_E_STATE, "profile %s is disposed already", p->iccid);
	if (not_before(c, p->since, p->iccid) < 0)
		return c->err.rc;
	s = st_prep(c, "SELECT id, imsi_id FROM embedding WHERE profile_id = ? AND to_at IS NULL",
		    "i", p->id);
	while (s && sqlite3_step(s) == SQLITE_ROW && n < ST_MAX_POSITIONS) {
		ids[n][0] = sqlite3_column_int64(s, 0);
		ids[n][1] = sqlite3_column_int64(s, 1);
		n++;
	}
	sqlite3_finalize(s);
	for (i = 0; i < n; i++)
		if (close_embedding(c, ids[i][0], ids[i][1], p->has_account ? p->account : NULL) < 0)
			return c->err.rc;
	/* an IMSI reserved for this profile (OTA swap in flight) goes back */
	if (st_run(c, "UPDATE imsi SET state = CASE WHEN hold_until IS NULL THEN 'available' ELSE "
		      "'hold' END, reserved_profile = NULL, reserved_position = NULL WHERE "
		      "reserved_profile = ?",
		   "i", p->id) < 0)
		return c->err.rc;
	if (st_run(c, "UPDATE assignment SET to_at = ? WHERE profile_id = ? AND to_at IS NULL", "ii",
		   c->at, p->id) < 0 ||
	    st_run(c, "UPDATE profile SET state = 'disposed', account = NULL, since = ? WHERE id = ?",
		   "ii", c->at, p->id) < 0)
		return c->err.rc;
	return 0;
}

static int pick_profile(struct st_ctx *c, const char *iccid, const char *product, const char *pool,
			struct prof *p)
{
	sqlite3_stmt *s;
	int64_t id;
	char found[24] = "";

	if (!!iccid + !!product + !!pool != 1)
		return st_fail(c, ST_E_USAGE, "give one of --iccid, --product or --pool");
	if (iccid)
		return prof_load(c, iccid, p);
	if (product) {
		if (st_id(c, "product", "product", product, &id) < 0)
			return c->err.rc;
		/* use case 1.6: the product's pools by priority, highest first */
		s = st_prep(c, "SELECT (SELECT iccid FROM profile p WHERE p.state = 'available' AND "
			       "p.pool_id = pp.pool_id ORDER BY p.custom, p.generation_id, p.id "
			       "LIMIT 1) AS iccid FROM pool_product pp WHERE pp.product_id = ? "
			       "ORDER BY pp.priority DESC, pp.pool_id",
			    "i", id);
	} else {
		if (st_id(c, "profile_pool", "pool", pool, &id) < 0)
			return c->err.rc;
		s = st_prep(c, "SELECT iccid FROM profile WHERE state = 'available' AND pool_id = ? "
			       "ORDER BY custom, generation_id, id LIMIT 1",
			    "i", id);
	}
	while (s && sqlite3_step(s) == SQLITE_ROW)
		if (sqlite3_column_type(s, 0) != SQLITE_NULL) {
			snprintf(found, sizeof(found), "%s", (const char *)sqlite3_column_text(s, 0));
			break;
		}
	sqlite3_finalize(s);
	if (!found[0])
		return st_fail(c, ST_E_EMPTY, "no available profile for %s '%s' (generate more)",
			       product ? "product" : "pool", product ? product : pool);
	return prof_load(c, found, p);
}

static int do_assign(struct st_ctx *c, const char *account, const char *iccid, const char *product,
		     const char *pool, char iccid_out[24])
{
	struct prof p;

	if (!account || !*account)
		return st_fail(c, ST_E_USAGE, "an account is needed");
	if (pick_profile(c, iccid, product, pool, &p) < 0)
		return c->err.rc;
	if (strcmp(p.state, "available") != 0)
		return st_fail(c, ST_E_STATE, "profile %s is %s%s%s, not available", p.iccid, p.state,
			       p.has_account ? " to account " : "", p.has_account ? p.account : "");
	if (not_before(c, p.since, p.iccid) < 0)
		return c->err.rc;
	if (st_run(c, "UPDATE profile SET state = 'assigned', account = ?, since = ? WHERE id = ?",
		   "tii", account, c->at, p.id) < 0 ||
	    st_run(c, "INSERT INTO assignment (profile_id, account, from_at) VALUES (?, ?, ?)", "iti",
		   p.id, account, c->at) < 0)
		return c->err.rc;
	snprintf(iccid_out, 24, "%s", p.iccid);
	return 0;
}

int st_assign(struct st_ctx *c, const char *account, const char *iccid, const char *product,
	      const char *pool, char iccid_out[24])
{
	int rc = st_begin(c);

	if (rc < 0)
		return rc;
	return st_end(c, do_assign(c, account, iccid, product, pool, iccid_out));
}

int st_dispose(struct st_ctx *c, char **iccids, int n)
{
	struct prof p;
	int rc = st_begin(c), i;

	if (rc < 0)
		return rc;
	for (i = 0; i < n; i++)
		if (prof_load(c, iccids[i], &p) < 0 || do_dispose(c, &p) < 0)
			return st_end(c, c->err.rc);
	return st_end(c, ST_OK);
}

int st_swap(struct st_ctx *c, const char *account, const char *old, const char *iccid,
	    const char *product, const char *pool, char iccid_out[24])
{
	struct prof p;
	sqlite3_stmt *s;
	int rc, n = 0;
	char found[24] = "";

	if (!account || !*account)
		return st_fail(c, ST_E_USAGE, "swap ACCOUNT (--iccid NEW | --product P | --pool P) "
					      "[--from OLD_ICCID]");
	if ((rc = st_begin(c)) < 0)
		return rc;
	if (old) {
		snprintf(found, sizeof(found), "%s", old);
	} else {
		s = st_prep(c, "SELECT iccid FROM profile WHERE account = ? AND state = 'assigned'",
			    "t", account);
		while (s && sqlite3_step(s) == SQLITE_ROW) {
			snprintf(found, sizeof(found), "%s", (const char *)sqlite3_column_text(s, 0));
			n++;
		}
		sqlite3_finalize(s);
		if (n != 1)
			return st_end(c, st_fail(c, n ? ST_E_USAGE : ST_E_STATE,
						 "account '%s' has %d assigned profiles: %s", account,
						 n, n ? "name the old one with --from" : "nothing to swap"));
	}
	if (prof_load(c, found, &p) < 0)
		return st_end(c, c->err.rc);
	if (!p.has_account || strcmp(p.account, account) != 0)
		return st_end(c, st_fail(c, ST_E_STATE, "profile %s is not assigned to account '%s'",
					 found, account));
	if (do_dispose(c, &p) < 0)
		return st_end(c, c->err.rc);
	return st_end(c, do_assign(c, account, iccid, product, pool, iccid_out));
}

/* ---- dynamic embedding (use cases 2.2 and 2.5) ---------------------------- */

static int pos_ok(struct st_ctx *c, int pos)
{
	if (pos < 1 || pos > ST_MAX_POSITIONS)
		return st_fail(c, ST_E_USAGE, "--position 1..%d", ST_MAX_POSITIONS);
	return 0;
}

static int do_reserve(struct st_ctx *c, const struct prof *p, int pos, const char *ipool,
		      char imsi_out[16])
{
	int64_t pool_id, other;
	sqlite3_stmt *s = NULL;
	int64_t id = 0;

	if (pos_ok(c, pos) < 0 || st_id(c, "imsi_pool", "IMSI pool", ipool, &pool_id) < 0)
		return c->err.rc;
	if (strcmp(p->state, "disposed") == 0)
		return st_fail(c, ST_E_STATE, "profile %s is disposed", p->iccid);
	if (st_get_i64(c, &other, "SELECT id FROM imsi WHERE reserved_profile = ? AND "
				  "reserved_position = ?",
		       "id", p->id, pos) == 1)
		return st_fail(c, ST_E_STATE, "profile %s position %d has a reservation already "
					      "(commit or release it)",
			       p->iccid, pos);
	/* use case 2.5: an IMSI still on hold for this subscriber comes back first */
	if (p->has_account)
		s = st_prep(c, "SELECT id, imsi FROM imsi INDEXED BY imsi_held_for WHERE state = "
			       "'hold' AND hold_account = ? AND pool_id = ? ORDER BY hold_until DESC, "
			       "id LIMIT 1",
			    "ti", p->account, pool_id);
	if (s && sqlite3_step(s) == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0);
		snprintf(imsi_out, 16, "%s", (const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_finalize(s);
	if (!id) {
		s = st_prep(c, "SELECT id, imsi FROM imsi INDEXED BY imsi_dynamic WHERE pool_id = ? "
			       "AND pool_id IS NOT NULL AND state = 'available' ORDER BY id LIMIT 1",
			    "i", pool_id);
		if (s && sqlite3_step(s) == SQLITE_ROW) {
			id = sqlite3_column_int64(s, 0);
			snprintf(imsi_out, 16, "%s", (const char *)sqlite3_column_text(s, 1));
		}
		sqlite3_finalize(s);
	}
	if (!id)
		return st_fail(c, ST_E_EMPTY, "IMSI pool '%s' has no available IMSI", ipool);
	if (st_run(c, "UPDATE imsi SET state = 'reserved', reserved_profile = ?, "
		      "reserved_position = ? WHERE id = ?",
		   "idi", p->id, pos, id) < 0)
		return c->err.rc;
	return 0;
}

static int do_commit(struct st_ctx *c, const struct prof *p, int pos, char imsi_out[16])
{
	int64_t imsi_id = 0, emb = 0, old = 0;
	sqlite3_stmt *s;

	if (pos_ok(c, pos) < 0)
		return c->err.rc;
	s = st_prep(c, "SELECT id, imsi FROM imsi WHERE reserved_profile = ? AND "
		       "reserved_position = ?",
		    "id", p->id, pos);
	if (s && sqlite3_step(s) == SQLITE_ROW) {
		imsi_id = sqlite3_column_int64(s, 0);
		if (imsi_out)
			snprintf(imsi_out, 16, "%s", (const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_finalize(s);
	if (!imsi_id)
		return st_fail(c, ST_E_STATE, "profile %s position %d has no reserved IMSI", p->iccid,
			       pos);
	if (not_before(c, p->since, p->iccid) < 0)
		return c->err.rc;
	s = st_prep(c, "SELECT id, imsi_id FROM embedding WHERE profile_id = ? AND position = ? AND "
		       "to_at IS NULL",
		    "id", p->id, pos);
	if (s && sqlite3_step(s) == SQLITE_ROW) {
		emb = sqlite3_column_int64(s, 0);
		old = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	if (emb && close_embedding(c, emb, old, p->has_account ? p->account : NULL) < 0)
		return c->err.rc;
	if (st_run(c, "UPDATE imsi SET state = 'embedded', since = ?, hold_until = NULL, "
		      "hold_account = NULL, reserved_profile = NULL, reserved_position = NULL "
		      "WHERE id = ?",
		   "ii", c->at, imsi_id) < 0 ||
	    st_run(c, "INSERT INTO embedding (profile_id, position, imsi_id, origin, from_at) VALUES "
		      "(?, ?, ?, 'dynamic', ?)",
		   "idii", p->id, pos, imsi_id, c->at) < 0 ||
	    st_run(c, "UPDATE profile SET custom = 1 WHERE id = ?", "i", p->id) < 0)
		return c->err.rc;
	return 0;
}

static void print_imsi(struct st_ctx *c, const char *verb, const char *iccid, int pos,
		       const char *imsi)
{
	st_result(c, json_pack("{s:s, s:s, s:i}", verb, imsi, "iccid", iccid, "position", pos),
		  "%s IMSI %s for profile %s position %d\n", verb, imsi, iccid, pos);
}

int st_reserve(struct st_ctx *c, const char *iccid, int pos, const char *ipool, char imsi_out[16])
{
	struct prof p;
	int rc = st_begin(c);

	if (rc < 0)
		return rc;
	if (prof_load(c, iccid, &p) < 0 || do_reserve(c, &p, pos, ipool, imsi_out) < 0)
		return st_end(c, c->err.rc);
	print_imsi(c, "reserved", p.iccid, pos, imsi_out);
	return st_end(c, ST_OK);
}

int st_commit(struct st_ctx *c, const char *iccid, int pos)
{
	struct prof p;
	char imsi[16] = "";
	int rc = st_begin(c);

	if (rc < 0)
		return rc;
	if (prof_load(c, iccid, &p) < 0 || do_commit(c, &p, pos, imsi) < 0)
		return st_end(c, c->err.rc);
	print_imsi(c, "embedded", p.iccid, pos, imsi);
	return st_end(c, ST_OK);
}

int st_embed(struct st_ctx *c, const char *iccid, int pos, const char *ipool, char imsi_out[16])
{
	struct prof p;
	int rc = st_begin(c);

	if (rc < 0)
		return rc;
	if (prof_load(c, iccid, &p) < 0 || do_reserve(c, &p, pos, ipool, imsi_out) < 0 ||
	    do_commit(c, &p, pos, NULL) < 0)
		return st_end(c, c->err.rc);
	print_imsi(c, "embedded", p.iccid, pos, imsi_out);
	return st_end(c, ST_OK);
}

int st_release(struct st_ctx *c, const char *iccid, int pos)
{
	struct prof p;
	int rc = st_begin(c), n;

	if (rc < 0)
		return rc;
	if (prof_load(c, iccid, &p) < 0 || pos_ok(c, pos) < 0)
		return st_end(c, c->err.rc);
	n = st_run(c, "UPDATE imsi SET state = CASE WHEN hold_until IS NULL THEN 'available' ELSE "
		      "'hold' END, reserved_profile = NULL, reserved_position = NULL WHERE "
		      "reserved_profile = ? AND reserved_position = ?",
		   "id", p.id, pos);
	if (n == 0)
		return st_end(c, st_fail(c, ST_E_STATE, "profile %s position %d has no reserved IMSI",
					 p.iccid, pos));
	/* a hold that ended while reserved ends now */
	if (n < 0 || st_sweep(c, NULL, NULL) < 0)
		return st_end(c, c->err.rc);
	return st_end(c, ST_OK);
}

int st_unembed(struct st_ctx *c, const char *iccid, int pos)
{
	struct prof p;
	sqlite3_stmt *s;
	int64_t emb = 0, old = 0;
	int rc = st_begin(c);

	if (rc < 0)
		return rc;
	if (prof_load(c, iccid, &p) < 0 || pos_ok(c, pos) < 0 ||
	    not_before(c, p.since, p.iccid) < 0)
		return st_end(c, c->err.rc);
	s = st_prep(c, "SELECT id, imsi_id FROM embedding WHERE profile_id = ? AND position = ? AND "
		       "to_at IS NULL",
		    "id", p.id, pos);
	if (s && sqlite3_step(s) == SQLITE_ROW) {
		emb = sqlite3_column_int64(s, 0);
		old = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	if (!emb)
		return st_end(c, st_fail(c, ST_E_STATE, "profile %s has no IMSI at position %d",
					 p.iccid, pos));
	if (close_embedding(c, emb, old, p.has_account ? p.account : NULL) < 0 ||
	    st_run(c, "UPDATE profile SET custom = 1 WHERE id = ?", "i", p.id) < 0)
		return st_end(c, c->err.rc);
	return st_end(c, ST_OK);
}
