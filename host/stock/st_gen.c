/* SPDX-License-Identifier: Apache-2.0 */
/* generate: N profiles x k IMSIs in one transaction, and their files.
 *
 * Order: BEGIN IMMEDIATE; allocate IMSIs (position i from batch b_i, lowest
 * id first) and ICCIDs (the pool's range, E.118 check digit); draw PINs, PUKs,
 * ADM, Ki and OPc from OpenSSL's CSPRNG and store them wrapped under the
 * transport key; write the output files under temporary names FROM THE
 * DATABASE ROWS, synced; COMMIT; rename. A crash before COMMIT leaves neither
 * rows nor files (only *.part files); a crash between COMMIT and the renames
 * leaves the rows, and `export` writes the files again. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "st.h"

#define COUNT_MAX 10000000LL
#define SECRETS_LEN 36 /* "PIN1,PUK1....,PIN2,PUK2....,ADM1...." */

struct alloc {
	int64_t *id;
	char (*imsi)[16];
	size_t n, cur;
	int64_t batch_id;
};

static int fetch_imsis(struct st_ctx *c, struct alloc *a, int64_t need, const char *batch)
{
	sqlite3_stmt *s;
	int rc;

	a->id = malloc((size_t)need * sizeof(*a->id));
	a->imsi = malloc((size_t)need * sizeof(*a->imsi));
	if (!a->id || !a->imsi)
		return st_fail(c, ST_E_SOFTWARE, "out of memory for %lld IMSIs", (long long)need);
	s = st_prep(c, "SELECT id, imsi FROM imsi INDEXED BY imsi_alloc WHERE batch_id = ? AND "
		       "state = 'available' AND pool_id IS NULL ORDER BY id LIMIT ?",
		    "ii", a->batch_id, need);
	if (!s)
		return c->err.rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		a->id[a->n] = sqlite3_column_int64(s, 0);
		snprintf(a->imsi[a->n], 16, "%s", (const char *)sqlite3_column_text(s, 1));
		a->n++;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return st_fail_db(c, "allocate IMSIs");
	if ((int64_t)a->n < need)
		return st_fail(c, ST_E_EMPTY, "batch '%s' has %zu IMSIs available for generation, "
					      "%lld needed",
			       batch, a->n, (long long)need);
	return 0;
}

static void iccid_text(int64_t body, int digits, char out[24])
{
	snprintf(out, 24, "%0*lld", digits, (long long)body);
	out[digits] = (char)('0' + mc_luhn_digit(out));
	out[digits + 1] = '\0';
}

/* ---- outputs ------------------------------------------------------------ */

struct outfile {
	char final[560], part[576];
	FILE *f;
};

static int out_open(struct st_ctx *c, struct outfile *o, const char *base, const char *suffix,
		    int secret)
{
	int fd;

	snprintf(o->final, sizeof(o->final), "%s%s", base, suffix);
	snprintf(o->part, sizeof(o->part), "%s.part", o->final);
	/* files with PINs and ADM are for their owner only */
	fd = open(o->part, O_WRONLY | O_CREAT | O_TRUNC, secret ? 0600 : 0644);
	o->f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!o->f)
		return st_fail(c, ST_E_CANTCREAT, "%s: cannot create: %s", o->part, strerror(errno));
	return 0;
}

static int out_sync(struct st_ctx *c, struct outfile *o)
{
	if (!o->f)
		return 0;
	if (fflush(o->f) != 0 || fsync(fileno(o->f)) != 0 || ferror(o->f)) {
		fclose(o->f);
		o->f = NULL;
		return st_fail(c, ST_E_CANTCREAT, "%s: write error: %s", o->part, strerror(errno));
	}
	fclose(o->f);
	o->f = NULL;
	return 0;
}

static void out_drop(struct outfile *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	if (o->part[0])
		unlink(o->part);
}

static int out_publish(struct st_ctx *c, struct outfile *o)
{
	struct stat sb;

	if (!o->part[0])
		return 0;
	/* a directory from an earlier export of the same generation */
	if (stat(o->final, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		char p[700];
		int i;
		for (i = 0; i < 3; i++) {
			snprintf(p, sizeof(p), "%s/%s.bin", o->final, st_ef_names[i]);
			unlink(p);
			snprintf(p, sizeof(p), "%s/%s.hex", o->final, st_ef_names[i]);
			unlink(p);
		}
		rmdir(o->final);
	}
	if (rename(o->part, o->final) != 0)
		return st_fail(c, ST_E_CANTCREAT, "%s: rename: %s (the rows are committed: run "
						  "export to write the files again)",
			       o->final, strerror(errno));
	return 0;
}

struct gen_info {
	char pool[128], label[96], created[32];
	int64_t at, count, key_id;
	int k;
	char sponsor[ST_MAX_POSITIONS][128];
	struct st_rules rules;
};

static int gen_info_load(struct st_ctx *c, int64_t gen, struct gen_info *g)
{
	sqlite3_stmt *s;
	int i, rc;

	memset(g, 0, sizeof(*g));
	s = st_prep(c, "SELECT pp.name, g.at, g.count, g.imsis, g.key_id, tk.label, g.ef_cfg, "
		       "g.ef_slots, g.ef_rules, g.rules_sha256 FROM generation g JOIN profile_pool "
		       "pp ON pp.id = g.pool_id JOIN transport_key tk ON tk.id = g.key_id WHERE "
		       "g.id = ?",
		    "i", gen);
	if (!s)
		return c->err.rc;
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return st_fail(c, ST_E_NOTFOUND, "no generation %lld", (long long)gen);
	}
	snprintf(g->pool, sizeof(g->pool), "%s", (const char *)sqlite3_column_text(s, 0));
	g->at = sqlite3_column_int64(s, 1);
	g->count = sqlite3_column_int64(s, 2);
	g->k = sqlite3_column_int(s, 3);
	g->key_id = sqlite3_column_int64(s, 4);
	snprintf(g->label, sizeof(g->label), "%s", (const char *)sqlite3_column_text(s, 5));
	st_time_format(g->at, g->created, sizeof(g->created));
	for (i = 0; i < 3; i++) {
		int n = sqlite3_column_bytes(s, 6 + i);
		if (sqlite3_column_type(s, 6 + i) == SQLITE_NULL)
			continue;
		g->rules.ef[i] = malloc((size_t)n + 1);
		memcpy(g->rules.ef[i], sqlite3_column_blob(s, 6 + i), (size_t)n);
		g->rules.len[i] = (size_t)n;
	}
	if (sqlite3_column_type(s, 9) != SQLITE_NULL)
		snprintf(g->rules.sha256, sizeof(g->rules.sha256), "%s",
			 (const char *)sqlite3_column_text(s, 9));
	sqlite3_finalize(s);
	s = st_prep(c, "SELECT gb.position, sp.name FROM generation_batch gb JOIN batch b ON b.id = "
		       "gb.batch_id JOIN sponsor sp ON sp.id = b.sponsor_id WHERE gb.generation_id "
		       "= ? ORDER BY gb.position",
		    "i", gen);
	while (s && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		int p = sqlite3_column_int(s, 0);
		if (p >= 1 && p <= ST_MAX_POSITIONS)
			snprintf(g->sponsor[p - 1], sizeof(g->sponsor[0]), "%s",
				 (const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_finalize(s);
	return c->err.text[0] ? c->err.rc : 0;
}

static void put_hex_line(FILE *f, const char *name, const unsigned char *b, size_t n)
{
	size_t i;

	fprintf(f, "#%s: ", name);
	for (i = 0; i < n; i++)
		fprintf(f, "%02X", b[i]);
	fputc('\n', f);
}

static int write_rules_dir(struct st_ctx *c, const struct gen_info *g, const char *dir)
{
	char path[700], hex[2 * 4096 + 1];
	int i;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return st_fail(c, ST_E_CANTCREAT, "%s: mkdir: %s", dir, strerror(errno));
	for (i = 0; i < 3; i++) {
		FILE *f;
		size_t n = g->rules.len[i] > 4096 ? 4096 : g->rules.len[i];
		snprintf(path, sizeof(path), "%s/%s.bin", dir, st_ef_names[i]);
		f = fopen(path, "wb");
		if (!f || fwrite(g->rules.ef[i], 1, g->rules.len[i], f) != g->rules.len[i] ||
		    fclose(f) != 0)
			return st_fail(c, ST_E_CANTCREAT, "%s: cannot write", path);
		snprintf(path, sizeof(path), "%s/%s.hex", dir, st_ef_names[i]);
		st_hex(g->rules.ef[i], n, hex);
		f = fopen(path, "w");
		if (!f || fprintf(f, "%s\n", hex) < 0 || fclose(f) != 0)
			return st_fail(c, ST_E_CANTCREAT, "%s: cannot write", path);
	}
	return 0;
}

struct row {
	char iccid[24];
	char imsi[ST_MAX_POSITIONS][16];
	char ki[ST_MAX_POSITIONS][64], opc[ST_MAX_POSITIONS][64];
	char ki_p[64], opc_p[64];
	unsigned char secrets[80];
	int secrets_len, n;
};

static int flush_row(struct st_ctx *c, const struct gen_info *g, const struct st_key *key,
		     struct row *r, FILE *smdp, FILE *perso, FILE *cards)
{
	unsigned char plain[80];
	char pin1[5], puk1[9], pin2[5], puk2[9], adm[9];
	int i, n;

	if (r->n != g->k)
		return st_fail(c, ST_E_SOFTWARE, "profile %s has %d IMSIs, the generation %d",
			       r->iccid, r->n, g->k);
	n = st_unwrap_pad(key, r->secrets, r->secrets_len, plain);
	if (n != SECRETS_LEN ||
	    sscanf((const char *)plain, "%4[0-9],%8[0-9],%4[0-9],%8[0-9],%8[0-9]", pin1, puk1, pin2,
		   puk2, adm) != 5) {
		OPENSSL_cleanse(plain, sizeof(plain));
		return st_fail(c, ST_E_KEY, "profile %s: its secrets do not unwrap with key '%s'",
			       r->iccid, key->label);
	}
	fputs(r->iccid, smdp);
	for (i = 0; i < g->k; i++)
		fprintf(smdp, "/%s", r->imsi[i]);
	fputc('\n', smdp);
	fputs(r->iccid, perso);
	for (i = 0; i < g->k; i++)
		fprintf(perso, ",%s", r->imsi[i]);
	fprintf(perso, ",%s,%s,%s,%s,%s,%s", pin1, puk1, pin2, puk2, adm, g->label);
	for (i = 0; i < g->k; i++)
		fprintf(perso, ",%s,%s", r->ki[i][0] ? r->ki[i] : r->ki_p,
			r->opc[i][0] ? r->opc[i] : r->opc_p);
	fputc('\n', perso);
	if (cards) {
		fprintf(cards, "%s,%s", r->iccid, adm);
		for (i = 0; i < g->k; i++)
			fprintf(cards, ",%s", r->imsi[i]);
		fputc('\n', cards);
	}
	OPENSSL_cleanse(plain, sizeof(plain));
	OPENSSL_cleanse(adm, sizeof(adm));
	OPENSSL_cleanse(pin1, sizeof(pin1));
	OPENSSL_cleanse(pin2, sizeof(pin2));
	OPENSSL_cleanse(puk1, sizeof(puk1));
	OPENSSL_cleanse(puk2, sizeof(puk2));
	memset(r, 0, sizeof(*r));
	return 0;
}

static void blob_hex(sqlite3_stmt *s, int col, char *out, size_t cap)
{
	int n = sqlite3_column_bytes(s, col);

	out[0] = '\0';
	if (sqlite3_column_type(s, col) == SQLITE_NULL || (size_t)n * 2 + 1 > cap)
		return;
	st_hex(sqlite3_column_blob(s, col), (size_t)n, out);
}

/* Write the files of generation \a gen (names in r); publish = rename now. */
static int write_outputs(struct st_ctx *c, int64_t gen, const char *out_dir, int want_cards,
			 const struct st_key *key, struct st_gen_result *res,
			 struct outfile files[4])
{
	struct gen_info g;
	struct row r;
	sqlite3_stmt *s;
	char base[520];
	int i, rc, n_rows = 0;

	if (gen_info_load(c, gen, &g) < 0)
		goto fail;
	if (key->id != g.key_id) {
		st_fail(c, ST_E_KEY, "generation %lld was made under key '%s', not '%s'",
			(long long)gen, g.label, key->label);
		goto fail;
	}
	snprintf(base, sizeof(base), "%s/gen-%06lld", out_dir, (long long)gen);
	if (out_open(c, &files[0], base, "-smdp.txt", 0) < 0 ||
	    out_open(c, &files[1], base, "-perso.csv", 1) < 0 ||
	    (want_cards && out_open(c, &files[2], base, "-cards.csv", 1) < 0))
		goto fail;
	/* SM-DP+ input (docs/stock.md): '#' header lines, then ICCID/IMSI1/.../IMSIk */
	fprintf(files[0].f, "#mimsi-smdp-input: 1\n#pool: %s\n#generation: %lld\n#created: %s\n"
			    "#profiles: %lld\n#imsis_per_profile: %d\n",
		g.pool, (long long)gen, g.created, (long long)g.count, g.k);
	for (i = 0; i < g.k; i++)
		fprintf(files[0].f, "#sponsor%d: %s\n", i + 1, g.sponsor[i]);
	fprintf(files[0].f, "#transport_key_label: %s\n", g.label);
	if (g.rules.ef[0]) {
		fprintf(files[0].f, "#rules_sha256: %s\n", g.rules.sha256);
		for (i = 0; i < 3; i++)
			put_hex_line(files[0].f, st_ef_names[i], g.rules.ef[i], g.rules.len[i]);
	} else {
		fprintf(files[0].f, "#rules: none\n");
	}
	fputs("ICCID", files[0].f);
	for (i = 0; i < g.k; i++)
		fprintf(files[0].f, "/IMSI%d", i + 1);
	fputc('\n', files[0].f);
	fputs("iccid", files[1].f);
	for (i = 0; i < g.k; i++)
		fprintf(files[1].f, ",imsi%d", i + 1);
	fputs(",pin1,puk1,pin2,puk2,adm1,key_label", files[1].f);
	for (i = 0; i < g.k; i++)
		fprintf(files[1].f, ",ki%d,opc%d", i + 1, i + 1);
	fputc('\n', files[1].f);
	if (want_cards) {
		fputs("iccid,adm", files[2].f);
		for (i = 0; i < g.k; i++)
			fprintf(files[2].f, ",imsi%d", i + 1);
		fputc('\n', files[2].f);
	}
	s = st_prep(c, "SELECT p.iccid, p.ki_wrapped, p.opc_wrapped, p.secrets_wrapped, e.position, "
		       "i.imsi, i.k_wrapped, i.opc_wrapped, i.key_id FROM profile p JOIN embedding e "
		       "ON e.profile_id = p.id AND e.origin = 'generate' JOIN imsi i ON i.id = "
		       "e.imsi_id WHERE p.generation_id = ? ORDER BY p.id, e.position",
		    "i", gen);
	if (!s)
		goto fail;
	memset(&r, 0, sizeof(r));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *iccid = (const char *)sqlite3_column_text(s, 0);
		int pos = sqlite3_column_int(s, 4);
		if (r.iccid[0] && strcmp(r.iccid, iccid) != 0) {
			if (flush_row(c, &g, key, &r, files[0].f, files[1].f, files[2].f) < 0)
				break;
			n_rows++;
		}
		if (!r.iccid[0]) {
			snprintf(r.iccid, sizeof(r.iccid), "%s", iccid);
			blob_hex(s, 1, r.ki_p, sizeof(r.ki_p));
			blob_hex(s, 2, r.opc_p, sizeof(r.opc_p));
			r.secrets_len = sqlite3_column_bytes(s, 3);
			if (r.secrets_len > (int)sizeof(r.secrets))
				r.secrets_len = 0;
			memcpy(r.secrets, sqlite3_column_blob(s, 3), (size_t)r.secrets_len);
		}
		if (pos < 1 || pos > ST_MAX_POSITIONS)
			continue;
		snprintf(r.imsi[pos - 1], 16, "%s", (const char *)sqlite3_column_text(s, 5));
		if (sqlite3_column_type(s, 6) != SQLITE_NULL && sqlite3_column_int64(s, 8) != key->id) {
			st_fail(c, ST_E_KEY, "IMSI %s: its sponsor K/OPc are under another transport "
					     "key than '%s'",
				r.imsi[pos - 1], key->label);
			break;
		}
		blob_hex(s, 6, r.ki[pos - 1], sizeof(r.ki[0]));
		blob_hex(s, 7, r.opc[pos - 1], sizeof(r.opc[0]));
		r.n++;
	}
	if (!c->err.text[0] && rc != SQLITE_DONE && rc != SQLITE_ROW)
		st_fail_db(c, "export");
	if (!c->err.text[0] && r.iccid[0]) {
		if (flush_row(c, &g, key, &r, files[0].f, files[1].f, files[2].f) == 0)
			n_rows++;
	}
	sqlite3_finalize(s);
	OPENSSL_cleanse(&r, sizeof(r));
	if (c->err.text[0])
		goto fail;
	if (n_rows != g.count) {
		st_fail(c, ST_E_SOFTWARE, "generation %lld: %d rows written, %lld recorded",
			(long long)gen, n_rows, (long long)g.count);
		goto fail;
	}
	for (i = 0; i < 3; i++)
		if (out_sync(c, &files[i]) < 0)
			goto fail;
	if (g.rules.ef[0]) {
		/* a directory for mimsi-card batch --dir, published like the files */
		snprintf(files[3].final, sizeof(files[3].final), "%s-rules", base);
		snprintf(files[3].part, sizeof(files[3].part), "%s-rules.part", base);
		snprintf(res->rules_dir, sizeof(res->rules_dir), "%s", files[3].final);
		if (write_rules_dir(c, &g, files[3].part) < 0)
			goto fail;
	}
	snprintf(res->smdp, sizeof(res->smdp), "%s", files[0].final);
	snprintf(res->perso, sizeof(res->perso), "%s", files[1].final);
	if (want_cards)
		snprintf(res->cards, sizeof(res->cards), "%s", files[2].final);
	snprintf(res->rules_sha256, sizeof(res->rules_sha256), "%s", g.rules.sha256);
	res->generation = gen;
	res->count = g.count;
	st_rules_free(&g.rules);
	return 0;
fail:
	st_rules_free(&g.rules);
	for (i = 0; i < 4; i++)
		out_drop(&files[i]);
	return c->err.rc ? c->err.rc : ST_E_SOFTWARE;
}

int st_export(struct st_ctx *c, int64_t generation, const char *out_dir, int cards,
	      const struct st_key *key, struct st_gen_result *r)
{
	struct outfile files[4];
	int i, rc;

	memset(files, 0, sizeof(files));
	memset(r, 0, sizeof(*r));
	if ((rc = st_key_register(c, (struct st_key *)key)) < 0)
		return rc;
	if (write_outputs(c, generation, out_dir, cards, key, r, files) < 0)
		return c->err.rc;
	for (i = 0; i < 4; i++)
		if (out_publish(c, &files[i]) < 0)
			return c->err.rc;
	return 0;
}

/* ---- generate ---------------------------------------------------------- */

/* n decimal digits from the random bytes at *p (250 = 25 * 10: bytes
 * 250..255 are skipped so each digit is equally likely). \returns 0, or -1
 * when the bytes ran out. */
static int digits_from(const unsigned char **p, const unsigned char *end, char *out, size_t n)
{
	size_t got = 0;

	while (got < n && *p < end) {
		unsigned char b = *(*p)++;
		if (b < 250)
			out[got++] = (char)('0' + b % 10);
	}
	out[got] = '\0';
	return got == n ? 0 : -1;
}

#define RND_PER_PROFILE 96 /* Ki, OPc, then 64 bytes for 32 digits */
#define RND_PROFILES 256   /* profiles per draw from the CSPRNG */

struct rnd_pool {
	unsigned char b[RND_PER_PROFILE * RND_PROFILES];
	size_t used;
};

static int make_profile(struct st_ctx *c, const struct st_key *key, sqlite3_stmt *ins,
			const char *iccid, int64_t pool_id, int64_t gen, struct rnd_pool *rp)
{
	unsigned char *rnd, kw[24], ow[24], sw[80];
	const unsigned char *p, *end;
	char sec[SECRETS_LEN + 8], pin1[5], puk1[9], pin2[5], puk2[9], adm[9];
	int n, ok = 1;

	/* one call to the CSPRNG per RND_PROFILES profiles (each call has a
	 * fixed cost: locks, fork check); every byte is used once */
	if (rp->used == 0 || rp->used == sizeof(rp->b)) {
		ok = st_random(rp->b, (int)sizeof(rp->b)) == 0;
		rp->used = 0;
	}
	rnd = rp->b + rp->used;
	rp->used += RND_PER_PROFILE;
	p = rnd + 32;
	end = rnd + RND_PER_PROFILE;
	if (ok && (digits_from(&p, end, pin1, 4) || digits_from(&p, end, puk1, 8) ||
		   digits_from(&p, end, pin2, 4) || digits_from(&p, end, puk2, 8) ||
		   digits_from(&p, end, adm, 8)))
		/* more than 32 of 64 bytes rejected: draw the digits afresh */
		ok = st_random_digits(pin1, 4) == 0 && st_random_digits(puk1, 8) == 0 &&
		     st_random_digits(pin2, 4) == 0 && st_random_digits(puk2, 8) == 0 &&
		     st_random_digits(adm, 8) == 0;
	snprintf(sec, sizeof(sec), "%s,%s,%s,%s,%s", pin1, puk1, pin2, puk2, adm);
	ok = ok && st_wrap(key, rnd, 16, kw) == 24 && st_wrap(key, rnd + 16, 16, ow) == 24;
	n = ok ? st_wrap_pad(key, (const unsigned char *)sec, SECRETS_LEN, sw) : -1;
	OPENSSL_cleanse(rnd, RND_PER_PROFILE);
	OPENSSL_cleanse(sec, sizeof(sec));
	OPENSSL_cleanse(adm, sizeof(adm));
	OPENSSL_cleanse(pin1, sizeof(pin1));
	OPENSSL_cleanse(pin2, sizeof(pin2));
	OPENSSL_cleanse(puk1, sizeof(puk1));
	OPENSSL_cleanse(puk2, sizeof(puk2));
	if (n <= 0)
		return st_fail(c, ST_E_SOFTWARE, "random or key wrap failed (OpenSSL)");
	sqlite3_reset(ins);
	sqlite3_bind_text(ins, 1, iccid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(ins, 2, pool_id);
	sqlite3_bind_int64(ins, 3, gen);
	sqlite3_bind_int64(ins, 4, c->at);
	sqlite3_bind_int64(ins, 5, key->id);
	sqlite3_bind_blob(ins, 6, kw, 24, SQLITE_TRANSIENT);
	sqlite3_bind_blob(ins, 7, ow, 24, SQLITE_TRANSIENT);
	sqlite3_bind_blob(ins, 8, sw, n, SQLITE_TRANSIENT);
	if (sqlite3_step(ins) != SQLITE_DONE) {
		if (sqlite3_errcode(c->db) == SQLITE_CONSTRAINT)
			return st_fail(c, ST_E_STATE, "ICCID %s exists already (another pool's "
						      "range, or profiles made outside mimsi-stock)",
				       iccid);
		return st_fail_db(c, "insert profile");
	}
	return 0;
}

static int embed_all(struct st_ctx *c, sqlite3_stmt *emb, sqlite3_stmt *upd, int64_t profile,
		     struct alloc **pos_alloc, int k)
{
	int p;

	for (p = 0; p < k; p++) {
		struct alloc *a = pos_alloc[p];
		int64_t imsi_id = a->id[a->cur++];
		sqlite3_reset(emb);
		sqlite3_bind_int64(emb, 1, profile);
		sqlite3_bind_int(emb, 2, p + 1);
		sqlite3_bind_int64(emb, 3, imsi_id);
		sqlite3_bind_int64(emb, 4, c->at);
		if (sqlite3_step(emb) != SQLITE_DONE)
			return st_fail_db(c, "embed");
		sqlite3_reset(upd);
		sqlite3_bind_int64(upd, 1, c->at);
		sqlite3_bind_int64(upd, 2, imsi_id);
		if (sqlite3_step(upd) != SQLITE_DONE)
			return st_fail_db(c, "embed");
		if (sqlite3_changes(c->db) != 1)
			return st_fail(c, ST_E_SOFTWARE, "IMSI %s was not available any more",
				       a->imsi[a->cur - 1]);
	}
	return 0;
}

int st_generate(struct st_ctx *c, const struct st_gen_opts *o, struct st_gen_result *res)
{
	struct alloc alloc[ST_MAX_POSITIONS], *pos_alloc[ST_MAX_POSITIONS];
	char *sponsors[ST_MAX_POSITIONS], iccid[24];
	struct st_rules rules;
	struct outfile files[4];
	sqlite3_stmt *s, *ins = NULL, *emb = NULL, *upd = NULL;
	int64_t pool_id, gen, next, last, i;
	int digits, n_alloc = 0, p, q, rc;
	struct stat sb;
	struct rnd_pool *rp = calloc(1, sizeof(*rp));

	if (!rp)
		return st_fail(c, ST_E_SOFTWARE, "out of memory");
	memset(alloc, 0, sizeof(alloc));
	memset(sponsors, 0, sizeof(sponsors));
	memset(&rules, 0, sizeof(rules));
	memset(files, 0, sizeof(files));
	memset(res, 0, sizeof(*res));
	if (o->k < 1 || o->k > ST_MAX_POSITIONS)
		return st_fail(c, ST_E_USAGE, "generate: 1 to %d --batch options, one per IMSI "
					      "position (position i from the i-th --batch)",
			       ST_MAX_POSITIONS);
	if (o->count < 1 || o->count > COUNT_MAX)
		return st_fail(c, ST_E_USAGE, "generate: --count 1..%lld", COUNT_MAX);
	if (!o->out_dir || stat(o->out_dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return st_fail(c, ST_E_CANTCREAT, "generate: --out %s: not a directory",
			       o->out_dir ? o->out_dir : "(missing)");
	if (st_id(c, "profile_pool", "pool", o->pool, &pool_id) < 0)
		return c->err.rc;
	/* sponsors of the positions, for the rule set (read before the lock:
	 * the compiler runs outside the transaction) */
	for (p = 0; p < o->k; p++) {
		s = st_prep(c, "SELECT sp.name FROM batch b JOIN sponsor sp ON sp.id = b.sponsor_id "
			       "WHERE b.name = ?",
			    "t", o->batches[p]);
		if (s && sqlite3_step(s) == SQLITE_ROW)
			sponsors[p] = strdup((const char *)sqlite3_column_text(s, 0));
		sqlite3_finalize(s);
		if (!sponsors[p]) {
			st_fail(c, ST_E_NOTFOUND, "no batch named '%s' (position %d)", o->batches[p],
				p + 1);
			goto out;
		}
	}
	if (st_rules_build(c, pool_id, sponsors, o->k, o->compiler, &rules) < 0)
		goto out;
	if (st_begin(c) < 0)
		goto out;
	if (st_key_register(c, (struct st_key *)o->key) < 0)
		goto rollback;
	/* IMSIs: one allocation per distinct batch, positions take turns */
	for (p = 0; p < o->k; p++) {
		int64_t bid, need = 0;
		if (st_get_i64(c, &bid, "SELECT id FROM batch WHERE name = ? AND removed_at IS NULL",
			       "t", o->batches[p]) != 1) {
			st_fail(c, ST_E_STATE, "batch '%s' was removed", o->batches[p]);
			goto rollback;
		}
		for (q = 0; q < n_alloc && alloc[q].batch_id != bid; q++)
			;
		pos_alloc[p] = &alloc[q];
		if (q < n_alloc)
			continue;
		alloc[n_alloc++].batch_id = bid;
		for (q = p; q < o->k; q++)
			need += strcmp(o->batches[q], o->batches[p]) == 0 ? o->count : 0;
		if (fetch_imsis(c, pos_alloc[p], need, o->batches[p]) < 0)
			goto rollback;
	}
	s = st_prep(c, "SELECT iccid_digits, iccid_next, iccid_last FROM profile_pool WHERE id = ?",
		    "i", pool_id);
	if (!s || sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		st_fail_db(c, "pool");
		goto rollback;
	}
	digits = sqlite3_column_int(s, 0);
	next = sqlite3_column_int64(s, 1);
	last = sqlite3_column_int64(s, 2);
	sqlite3_finalize(s);
	if (last - next + 1 < o->count) {
		st_fail(c, ST_E_EMPTY, "pool '%s': %lld ICCIDs left in its range, %lld asked",
			o->pool, (long long)(last - next + 1), (long long)o->count);
		goto rollback;
	}
	if (st_run(c, "INSERT INTO generation (pool_id, at, count, imsis, key_id, ef_cfg, ef_slots, "
		      "ef_rules, rules_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		   "iiidibbbt", pool_id, c->at, o->count, o->k, o->key->id, rules.ef[0],
		   (int)rules.len[0], rules.ef[1], (int)rules.len[1], rules.ef[2], (int)rules.len[2],
		   rules.ef[0] ? rules.sha256 : NULL) < 0)
		goto rollback;
	gen = sqlite3_last_insert_rowid(c->db);
	for (p = 0; p < o->k; p++)
		if (st_run(c, "INSERT INTO generation_batch (generation_id, position, batch_id) "
			      "VALUES (?, ?, ?)",
			   "idi", gen, p + 1, pos_alloc[p]->batch_id) < 0)
			goto rollback;
	ins = st_prep(c, "INSERT INTO profile (iccid, pool_id, generation_id, state, since, key_id, "
			 "ki_wrapped, opc_wrapped, secrets_wrapped) VALUES (?, ?, ?, 'available', ?, "
			 "?, ?, ?, ?)",
		      NULL);
	emb = st_prep(c, "INSERT INTO embedding (profile_id, position, imsi_id, origin, from_at) "
			 "VALUES (?, ?, ?, 'generate', ?)",
		      NULL);
	upd = st_prep(c, "UPDATE imsi SET state = 'embedded', since = ? WHERE id = ? AND state = "
			 "'available'",
		      NULL);
	if (!ins || !emb || !upd)
		goto rollback;
	for (i = 0; i < o->count; i++) {
		iccid_text(next + i, digits, iccid);
		if (make_profile(c, o->key, ins, iccid, pool_id, gen, rp) < 0 ||
		    embed_all(c, emb, upd, sqlite3_last_insert_rowid(c->db), pos_alloc, o->k) < 0)
			goto rollback;
	}
	if (st_run(c, "UPDATE profile_pool SET iccid_next = ? WHERE id = ?", "ii", next + o->count,
		   pool_id) < 0)
		goto rollback;
	iccid_text(next, digits, res->iccid_first);
	iccid_text(next + o->count - 1, digits, res->iccid_last);
	if (write_outputs(c, gen, o->out_dir, o->cards, o->key, res, files) < 0)
		goto rollback;
	sqlite3_finalize(ins);
	sqlite3_finalize(emb);
	sqlite3_finalize(upd);
	ins = emb = upd = NULL;
	if (st_end(c, ST_OK) < 0) {
		for (p = 0; p < 4; p++)
			out_drop(&files[p]);
		goto out;
	}
	for (p = 0; p < 4; p++)
		out_publish(c, &files[p]);
	goto out;
rollback:
	sqlite3_finalize(ins);
	sqlite3_finalize(emb);
	sqlite3_finalize(upd);
	st_end(c, c->err.rc ? c->err.rc : ST_E_SOFTWARE);
out:
	for (q = 0; q < ST_MAX_POSITIONS; q++) {
		free(alloc[q].id);
		free(alloc[q].imsi);
		free(sponsors[q]);
	}
	st_rules_free(&rules);
	OPENSSL_cleanse(rp, sizeof(*rp));
	free(rp);
	rc = c->err.text[0] ? c->err.rc : ST_OK;
	return rc;
}
