/* SPDX-License-Identifier: Apache-2.0 */
#include "ld_batch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "ld_mimsi.h"
#include "mc_csv.h"
#include "mc_ids.h"

#define LINE_MAX_LEN 1024u
#define COLS_MAX 48u

/* Header columns: iccid, adm (or adm1), imsi1..imsi10, k/opc (k1..k10,
 * opc1..opc10): anything else is a typo that would silently drop data. */
static int key_column(const char *name)
{
	unsigned v;
	char tail;

	if (!strcmp(name, "k") || !strcmp(name, "opc"))
		return 1;
	if (sscanf(name, "k%u%c", &v, &tail) == 1 && v >= 1 && v <= LD_BATCH_SLOTS)
		return 1;
	return sscanf(name, "opc%u%c", &v, &tail) == 1 && v >= 1 && v <= LD_BATCH_SLOTS;
}

static int parse_header(char *const *cols, size_t n, int *col_iccid, int *col_adm, int *col_imsi,
			int *key_cols, size_t *n_key, const char *path, unsigned lineno, char *err,
			size_t err_len)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		unsigned s;
		char tail;

		for (j = 0; j < i; j++)
			if (!strcmp(cols[i], cols[j])) {
				snprintf(err, err_len, "%s:%u: column %zu: \"%.32s\" appears twice",
					 path, lineno, i + 1, cols[i]);
				return -1;
			}
		if (!strcmp(cols[i], "iccid"))
			*col_iccid = (int)i;
		else if (!strcmp(cols[i], "adm") || !strcmp(cols[i], "adm1"))
			*col_adm = *col_adm < 0 ? (int)i : -2;
		else if (sscanf(cols[i], "imsi%u%c", &s, &tail) == 1 && s >= 1 && s <= LD_BATCH_SLOTS)
			col_imsi[s - 1] = (int)i;
		else if (key_column(cols[i]) && *n_key < COLS_MAX)
			key_cols[(*n_key)++] = (int)i;
		else {
			snprintf(err, err_len,
				 "%s:%u: column %zu: unknown column (known: iccid, adm, imsi1..imsi10, "
				 "k1..k10, opc1..opc10)",
				 path, lineno, i + 1);
			return -1;
		}
	}
	if (*col_adm == -2) {
		snprintf(err, err_len, "%s:%u: give either adm or adm1, not both", path, lineno);
		return -1;
	}
	if (*col_iccid < 0 || *col_adm < 0) {
		snprintf(err, err_len, "%s:%u: header needs the columns iccid and adm", path, lineno);
		return -1;
	}
	return 0;
}

/* What the row reader keeps between rows. */
struct rows {
	struct ld_batch *b;
	const char *path;
	char *err;
	size_t err_len, cap, n_key;
	int rc; /* LD_ERR_* of the row that stopped the reader */
	int have_header, col_iccid, col_adm, col_imsi[LD_BATCH_SLOTS], key_cols[COLS_MAX];
	char key_names[COLS_MAX][8];
};

static int grow(struct rows *x)
{
	struct ld_batch *b = x->b;
	size_t nc = x->cap ? x->cap * 2 : 16;
	/* not realloc: the old block holds ADMs and would be freed unwiped */
	struct ld_batch_row *nr = calloc(nc, sizeof(*nr));

	if (!nr)
		return -1;
	if (b->rows) {
		memcpy(nr, b->rows, b->n_rows * sizeof(*nr));
		memset(b->rows, 0, x->cap * sizeof(*nr));
		free(b->rows);
	}
	b->rows = nr;
	x->cap = nc;
	return 0;
}

/* Refuse the row being read: its ADM and keys are wiped (the reader wipes
 * the fields it read). \returns the non-zero that stops the reader. */
static int refuse(struct rows *x, struct ld_batch_row *r, unsigned lineno, const char *msg)
{
	snprintf(x->err, x->err_len, "%s:%u: %s", x->path, lineno, msg);
	if (r)
		memset(r, 0, sizeof(*r));
	x->rc = LD_ERR_FORMAT;
	return 1;
}

static int on_header(struct rows *x, const struct mc_csv_row *row, unsigned lineno)
{
	size_t i;

	if (parse_header(row->field, row->n, &x->col_iccid, &x->col_adm, x->col_imsi, x->key_cols,
			 &x->n_key, x->path, lineno, x->err, x->err_len) < 0) {
		x->rc = LD_ERR_FORMAT;
		return 1;
	}
	for (i = 0; i < x->n_key; i++) /* kN / opcN: which key of which set */
		snprintf(x->key_names[i], sizeof(x->key_names[i]), "%s", row->field[x->key_cols[i]]);
	x->have_header = 1;
	return 0;
}

static int on_row(void *ctx, const struct mc_csv_row *row, struct mc_csv_err *cerr)
{
	struct rows *x = ctx;
	struct ld_batch *b = x->b;
	char *const *cols = row->field;
	size_t n = row->n, i;
	unsigned lineno = (unsigned)row->line[0];
	struct ld_batch_row *r;
	char msg[128];

	(void)cerr; /* the loader's own message is in x->err */
	if (!x->have_header)
		return on_header(x, row, lineno);
	if (b->n_rows == x->cap && grow(x) < 0) {
		x->rc = LD_ERR_IO;
		snprintf(x->err, x->err_len, "%s:%u: out of memory", x->path, lineno);
		return 1;
	}
	r = &b->rows[b->n_rows];
	memset(r, 0, sizeof(*r));
	if ((size_t)x->col_iccid >= n || !mc_iccid_ok(cols[x->col_iccid]))
		return refuse(x, r, lineno, "ICCID must be 18 to 20 digits");
	snprintf(r->iccid, sizeof(r->iccid), "%s", cols[x->col_iccid]);
	for (i = 0; i < b->n_rows; i++)
		if (!strcmp(b->rows[i].iccid, r->iccid)) {
			snprintf(msg, sizeof(msg), "ICCID %s already on an earlier line", r->iccid);
			return refuse(x, r, lineno, msg);
		}
	if ((size_t)x->col_adm >= n ||
	    (strlen(cols[x->col_adm]) != 8 && strlen(cols[x->col_adm]) != 16) ||
	    ld_parse_secret(cols[x->col_adm], r->adm) < 0) /* never echo the value */
		return refuse(x, r, lineno, "ADM must be 8 digits or 16 hex digits");
	r->has_adm = 1;
	for (i = 0; i < LD_BATCH_SLOTS; i++) {
		const char *v;

		if (x->col_imsi[i] < 0 || (size_t)x->col_imsi[i] >= n)
			continue;
		v = cols[x->col_imsi[i]];
		if (!*v)
			continue;
		if (!mc_imsi_ok(v)) {
			snprintf(msg, sizeof(msg), "imsi%zu must be 6 to 15 digits", i + 1);
			return refuse(x, r, lineno, msg);
		}
		snprintf(r->imsi[i], sizeof(r->imsi[i]), "%s", v);
	}
	for (i = 0; i < x->n_key; i++)
		if ((size_t)x->key_cols[i] < n && cols[x->key_cols[i]][0]) {
			r->has_keys = 1;
			if (ld_keys_set(&r->keys, x->key_names[i], cols[x->key_cols[i]], msg,
					sizeof(msg)) < 0)
				return refuse(x, r, lineno, msg);
		}
	if (r->keys.k_set != r->keys.opc_set)
		return refuse(x, r, lineno, "every key set needs both kN and opcN");
	b->n_rows++;
	return 0;
}

static int load_rows(const char *path, struct ld_batch *b, char *err, size_t err_len)
{
	/* RFC 4180 by the host tools' one reader (mc_csv.h, on libcsv) */
	static const struct mc_csv_opts opts = {0, 1, COLS_MAX, LINE_MAX_LEN};
	struct rows x;
	struct mc_csv_err cerr;
	size_t i;
	int rc;

	memset(b, 0, sizeof(*b));
	memset(&x, 0, sizeof(x));
	x.b = b;
	x.path = path;
	x.err = err;
	x.err_len = err_len;
	x.col_iccid = x.col_adm = -1;
	for (i = 0; i < LD_BATCH_SLOTS; i++)
		x.col_imsi[i] = -1;
	rc = mc_csv_read_file(path, &opts, on_row, &x, &cerr);
	if (rc != 0 && x.rc)
		return x.rc;
	if (rc != 0) { /* no place: the file could not be opened or read */
		snprintf(err, err_len, "%s", cerr.text);
		return cerr.line ? LD_ERR_FORMAT : LD_ERR_PARAM;
	}
	if (!x.have_header) {
		snprintf(err, err_len, "%s: empty (no header line)", path);
		return LD_ERR_FORMAT;
	}
	return LD_OK;
}

int ld_batch_load(const char *path, struct ld_batch *b, char *err, size_t err_len)
{
	int rc = load_rows(path, b, err, err_len);

	if (rc < 0)
		ld_batch_free(b); /* rows read so far hold ADMs: wiped, then freed */
	return rc;
}

/* One field of a log line (RFC 4180: quoted, "" inside quotes). \returns the
 * rest of the line after the field's comma, or NULL at the end. */
static const char *log_field(const char *p, char *out, size_t cap)
{
	size_t n = 0;

	if (*p == '"') {
		for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
			if (*p == '"')
				p++;
			if (n + 1 < cap)
				out[n++] = *p;
		}
		if (*p == '"')
			p++;
	} else {
		for (; *p && *p != ',' && *p != '\r' && *p != '\n'; p++)
			if (n + 1 < cap)
				out[n++] = *p;
	}
	out[n] = '\0';
	return *p == ',' ? p + 1 : NULL;
}

/* iccid, status and seq of one log line (CSV or a JSON line). */
static int log_parse(const char *line, char *iccid, size_t cap, int *ok, unsigned long *seq)
{
	char status[16], num[16];
	const char *p;

	if (line[0] == '{') {
		json_t *o = json_loads(line, 0, NULL);
		const char *ic = json_string_value(json_object_get(o, "iccid"));
		const char *st = json_string_value(json_object_get(o, "status"));
		json_t *sq = json_object_get(o, "seq");
		int good = ic && st && json_is_integer(sq);

		if (good) {
			snprintf(iccid, cap, "%s", ic);
			*ok = !strcmp(st, "ok");
			*seq = (unsigned long)json_integer_value(sq);
		}
		json_decref(o);
		return good ? 0 : -1;
	}
	p = log_field(line, iccid, cap);
	if (p)
		p = log_field(p, status, sizeof(status));
	if (!p)
		return -1;
	(void)log_field(p, num, sizeof(num));
	*ok = !strcmp(status, "ok");
	*seq = strtoul(num, NULL, 10);
	return iccid[0] >= '0' && iccid[0] <= '9' ? 0 : -1;
}

int ld_batch_resume(struct ld_batch *b, const char *log_path)
{
	FILE *f = fopen(log_path, "r");
	char line[LINE_MAX_LEN];
	int marked = 0;
	size_t i;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char iccid[24] = "";
		unsigned long seq = 0;
		int ok = 0;

		if (log_parse(line, iccid, sizeof(iccid), &ok, &seq) < 0)
			continue;
		for (i = 0; i < b->n_rows; i++) {
			struct ld_batch_row *r = &b->rows[i];
			if (strcmp(r->iccid, iccid) != 0)
				continue;
			/* the last line of a card counts: a later failure undoes an ok */
			if (ok && !r->done)
				marked++;
			else if (!ok && r->done)
				marked--;
			r->done = ok;
			r->done_seq = ok ? (uint32_t)seq : 0;
		}
	}
	fclose(f);
	return marked;
}

void ld_batch_free(struct ld_batch *b)
{
	if (b->rows)
		memset(b->rows, 0, b->n_rows * sizeof(*b->rows));
	free(b->rows);
	memset(b, 0, sizeof(*b));
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CSV log: every field quoted (RFC 4180), so a detail with a comma or a
 * quote keeps the columns; JSON log: one object per line, by jansson. */
static void csv_put(FILE *f, const char *v, int last)
{
	fputc('"', f);
	for (; *v; v++) {
		if (*v == '"')
			fputc('"', f);
		fputc(*v == '\n' || *v == '\r' ? ' ' : *v, f);
	}
	fputs(last ? "\"\n" : "\",", f);
}

static void log_result(FILE *lf, int json, const char *iccid, const char *status,
		       const struct ld_write_result *r, double secs, const char *detail)
{
	time_t t = time(NULL);
	char when[32], num[4][32];
	struct tm tm;

	if (!lf)
		return;
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (json) {
		json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:f, s:s, s:s}", "iccid", iccid,
				      "status", status, "seq", (json_int_t)(r ? r->new_seq : 0u),
				      "updates", (json_int_t)(r ? r->n_update : 0), "apdus",
				      (json_int_t)(r ? r->apdus : 0ul), "seconds", secs, "time", when,
				      "detail", detail);
		if (o) {
			json_dumpf(o, lf, JSON_COMPACT);
			fputc('\n', lf);
		}
		json_decref(o);
	} else {
		snprintf(num[0], sizeof(num[0]), "%u", r ? (unsigned)r->new_seq : 0u);
		snprintf(num[1], sizeof(num[1]), "%zu", r ? r->n_update : 0);
		snprintf(num[2], sizeof(num[2]), "%lu", r ? r->apdus : 0ul);
		snprintf(num[3], sizeof(num[3]), "%.3f", secs);
		if (ftell(lf) == 0)
			fputs("\"iccid\",\"status\",\"seq\",\"updates\",\"apdus\",\"seconds\","
			      "\"time\",\"detail\"\n",
			      lf);
		csv_put(lf, iccid, 0);
		csv_put(lf, status, 0);
		csv_put(lf, num[0], 0);
		csv_put(lf, num[1], 0);
		csv_put(lf, num[2], 0);
		csv_put(lf, num[3], 0);
		csv_put(lf, when, 0);
		csv_put(lf, detail, 1);
	}
	fflush(lf);
	fsync(fileno(lf));
}

static void progress(const struct ld_batch_stats *st, size_t total, double per_card, int tty)
{
	unsigned done_all = (unsigned)total - st->remaining, width = 30, fill, i;
	double eta = per_card * st->remaining;

	fill = total ? (unsigned)((done_all * width) / total) : width;
	if (tty) {
		fprintf(stderr, "\r[");
		for (i = 0; i < width; i++)
			fputc(i < fill ? '#' : '.', stderr);
		fprintf(stderr, "] %u/%zu  failed %u  refused %u  skipped %u", done_all, total,
			st->failed, st->refused, st->skipped);
		if (per_card > 0)
			fprintf(stderr, "  ETA %um%02us", (unsigned)(eta / 60), (unsigned)eta % 60u);
		fprintf(stderr, "   ");
		if (!st->remaining)
			fprintf(stderr, "\n");
	} else {
		fprintf(stderr, "batch: %u/%zu done, %u failed, %u refused, %u skipped", done_all, total,
			st->failed, st->refused, st->skipped);
		if (per_card > 0)
			fprintf(stderr, ", ETA %um%02us", (unsigned)(eta / 60), (unsigned)eta % 60u);
		fprintf(stderr, "\n");
	}
}

static int program_card(struct ld_card *c, const struct ld_batch_row *row,
			const struct ld_batch_opts *o, struct ld_write_result *r, char *err,
			size_t err_len)
{
	struct ld_set set;
	struct ld_write_opts w = o->wopts;
	unsigned s;
	int rc = ld_set_load_dir(o->dir, &set, err, err_len);

	if (rc < 0)
		return rc;
	for (s = 0; s < LD_BATCH_SLOTS; s++) {
		if (!row->imsi[s][0])
			continue;
		rc = ld_set_patch_imsi(&set, s + 1, row->imsi[s], err, err_len);
		if (rc < 0) {
			ld_set_free(&set);
			return rc;
		}
	}
	w.adm = row->adm;
	rc = ld_write_set(c, &set, &w, r, err, err_len);
	ld_set_free(&set);
	if (rc == LD_OK && row->has_keys) {
		int n = ld_keys_write(c, &row->keys, err, err_len);

		rc = n < 0 ? n : LD_OK;
	}
	return rc;
}

/* A card the log marks done is trusted only when its active set is the
 * one logged (its ICCID matched already). */
static int card_holds(struct ld_card *c, uint32_t seq)
{
	struct ld_image img;
	int which[LD_KINDS], ok;
	uint32_t active = 0;

	if (ld_image_read(c, &img) < 0)
		return 0;
	ok = ld_image_active(&img, which, &active) && active == seq;
	ld_image_free(&img);
	return ok;
}

int ld_batch_run(struct ld_card *c, struct ld_batch *b, const struct ld_batch_opts *o,
		 struct ld_batch_stats *st)
{
	FILE *lf = NULL;
	int tty = isatty(STDERR_FILENO);
	double spent = 0;
	unsigned programmed = 0, insertions = 0;
	size_t i;
	int rc = LD_OK;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < b->n_rows; i++)
		if (!b->rows[i].done)
			st->remaining++;
	if (o->log_path) {
		lf = fopen(o->log_path, "a");
		if (!lf) {
			fprintf(stderr, "mimsi-card: %s: %s\n", o->log_path, strerror(errno));
			return LD_ERR_PARAM;
		}
		fseek(lf, 0, SEEK_END); /* a new log gets its header line */
	}
	progress(st, b->n_rows, 0, tty);
	while (st->remaining > 0) {
		struct ld_write_result r;
		struct ld_batch_row *row = NULL;
		char iccid[24], err[300] = "";
		double t0;

		if (o->max_cards && insertions >= o->max_cards) {
			rc = LD_ERR_TIMEOUT;
			break;
		}
		rc = c->t->ops->wait_card(c->t->ctx, 1, o->timeout_s * 1000u);
		if (rc < 0)
			break;
		insertions++;
		t0 = now_s();
		rc = c->t->ops->reconnect(c->t->ctx);
		if (rc == LD_OK) {
			c->atr_len = sizeof(c->atr);
			rc = c->t->ops->atr(c->t->ctx, c->atr, &c->atr_len);
		}
		if (rc == LD_OK)
			rc = ld_read_iccid(c, iccid, sizeof(iccid));
		if (rc < 0) {
			fprintf(stderr, "%smimsi-card: card not readable: %s; remove it\n", tty ? "\n" : "",
				ld_strerror(rc));
			st->failed++;
		} else {
			for (i = 0; i < b->n_rows && !row; i++)
				if (strcmp(b->rows[i].iccid, iccid) == 0)
					row = &b->rows[i];
			if (!row) {
				fprintf(stderr, "%smimsi-card: card %s is not in the batch file: refused "
						"(only its ICCID was read)\n",
					tty ? "\n" : "", iccid);
				st->refused++;
				log_result(lf, o->json, iccid, "refused", NULL, now_s() - t0,
					   "ICCID not in the batch file");
			} else if (row->done && card_holds(c, row->done_seq)) {
				fprintf(stderr, "%smimsi-card: card %s already done: skipped (set seq %u "
						"checked)\n",
					tty ? "\n" : "", iccid, (unsigned)row->done_seq);
				st->skipped++;
			} else {
				if (row->done) {
					fprintf(stderr, "%smimsi-card: card %s is done per the log but does "
							"not hold its set seq %u: programming it again\n",
						tty ? "\n" : "", iccid, (unsigned)row->done_seq);
					row->done = 0;
					st->remaining++;
				}
				rc = program_card(c, row, o, &r, err, sizeof(err));
				/* ok only once written, read back and (simulator) saved */
				if (rc == LD_OK && ld_transport_commit(c->t) < 0) {
					snprintf(err, sizeof(err), "saving the card failed: %s",
						 c->t->ops->last_error(c->t->ctx));
					rc = LD_ERR_IO;
				}
				if (rc == LD_OK) {
					row->done = 1;
					st->done++;
					st->remaining--;
					programmed++;
					spent += now_s() - t0;
					log_result(lf, o->json, iccid, "ok", &r, now_s() - t0,
						   r.identical ? "already held this set" : "written");
				} else {
					st->failed++;
					fprintf(stderr, "%smimsi-card: card %s: %s\n", tty ? "\n" : "", iccid,
						err[0] ? err : ld_strerror(rc));
					log_result(lf, o->json, iccid,
						   rc == LD_ERR_REFUSED ? "refused" : "failed", &r,
						   now_s() - t0, err[0] ? err : ld_strerror(rc));
				}
			}
		}
		progress(st, b->n_rows, programmed ? spent / programmed : 0, tty);
		rc = LD_OK;
		if (st->remaining == 0)
			break;
		if (!tty)
			fprintf(stderr, "batch: remove the card\n");
		rc = c->t->ops->wait_card(c->t->ctx, 0, o->timeout_s * 1000u);
		if (rc < 0)
			break;
	}
	if (lf)
		fclose(lf);
	if (tty && st->remaining)
		fputc('\n', stderr); /* end the bar's line */
	if (rc == LD_OK && st->remaining)
		rc = LD_ERR_TIMEOUT;
	return rc;
}
