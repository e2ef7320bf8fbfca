/* SPDX-License-Identifier: Apache-2.0 */
#include "ld_batch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ld_mimsi.h"

#define LINE_MAX_LEN 1024u
#define COLS_MAX 48u

static size_t split_csv(char *line, char **cols, size_t max)
{
	size_t n = 0;
	char *p = line, *e;

	e = p + strcspn(p, "\r\n");
	*e = '\0';
	while (n < max) {
		char *comma = strchr(p, ',');
		while (*p == ' ' || *p == '\t')
			p++;
		cols[n++] = p;
		if (!comma)
			break;
		*comma = '\0';
		/* trim trailing blanks */
		for (e = comma; e > p && (e[-1] == ' ' || e[-1] == '\t'); e--)
			e[-1] = '\0';
		p = comma + 1;
	}
	return n;
}

static int digits_only(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s), i;

	if (n < min || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int ld_batch_load(const char *path, struct ld_batch *b, char *err, size_t err_len)
{
	FILE *f = fopen(path, "r");
	char line[LINE_MAX_LEN], *cols[COLS_MAX];
	int col_iccid = -1, col_adm = -1, col_imsi[LD_BATCH_SLOTS], key_cols[COLS_MAX];
	char key_names[COLS_MAX][8];
	size_t n, i, cap = 0, n_key = 0;
	unsigned lineno = 0;
	int have_header = 0;

	memset(b, 0, sizeof(*b));
	if (!f) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return LD_ERR_PARAM;
	}
	for (i = 0; i < LD_BATCH_SLOTS; i++)
		col_imsi[i] = -1;
	while (fgets(line, sizeof(line), f)) {
		struct ld_batch_row *r;
		lineno++;
		if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
			continue;
		n = split_csv(line, cols, COLS_MAX);
		if (!have_header) {
			for (i = 0; i < n; i++) {
				unsigned s;
				if (strcmp(cols[i], "iccid") == 0)
					col_iccid = (int)i;
				else if (strcmp(cols[i], "adm") == 0 || strcmp(cols[i], "adm1") == 0)
					col_adm = (int)i;
				else if (sscanf(cols[i], "imsi%u", &s) == 1 && s >= 1 && s <= LD_BATCH_SLOTS)
					col_imsi[s - 1] = (int)i;
				else if ((strncmp(cols[i], "k", 1) == 0 || strncmp(cols[i], "opc", 3) == 0) &&
					 n_key < COLS_MAX) {
					snprintf(key_names[n_key], sizeof(key_names[n_key]), "%s", cols[i]);
					key_cols[n_key++] = (int)i;
				}
			}
			if (col_iccid < 0 || col_adm < 0) {
				snprintf(err, err_len, "%s:%u: header needs the columns iccid and adm",
					 path, lineno);
				fclose(f);
				return LD_ERR_FORMAT;
			}
			have_header = 1;
			continue;
		}
		if (b->n_rows == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct ld_batch_row *nr = realloc(b->rows, nc * sizeof(*nr));
			if (!nr) {
				fclose(f);
				return LD_ERR_IO;
			}
			b->rows = nr;
			cap = nc;
		}
		r = &b->rows[b->n_rows];
		memset(r, 0, sizeof(*r));
		if ((size_t)col_iccid >= n || !digits_only(cols[col_iccid], 18, 20)) {
			snprintf(err, err_len, "%s:%u: ICCID must be 18 to 20 digits", path, lineno);
			fclose(f);
			return LD_ERR_FORMAT;
		}
		snprintf(r->iccid, sizeof(r->iccid), "%s", cols[col_iccid]);
		if ((size_t)col_adm >= n || (strlen(cols[col_adm]) != 8 && strlen(cols[col_adm]) != 16) ||
		    ld_parse_secret(cols[col_adm], r->adm) < 0) {
			/* never echo the value */
			snprintf(err, err_len, "%s:%u: ADM must be 8 digits or 16 hex digits", path,
				 lineno);
			memset(line, 0, sizeof(line));
			fclose(f);
			return LD_ERR_FORMAT;
		}
		r->has_adm = 1;
		for (i = 0; i < LD_BATCH_SLOTS; i++) {
			const char *v;
			if (col_imsi[i] < 0 || (size_t)col_imsi[i] >= n)
				continue;
			v = cols[col_imsi[i]];
			if (!*v)
				continue;
			if (!digits_only(v, 6, 15)) {
				snprintf(err, err_len, "%s:%u: imsi%zu must be 6 to 15 digits", path,
					 lineno, i + 1);
				fclose(f);
				return LD_ERR_FORMAT;
			}
			snprintf(r->imsi[i], sizeof(r->imsi[i]), "%s", v);
		}
		for (i = 0; i < n_key; i++)
			if ((size_t)key_cols[i] < n && cols[key_cols[i]][0]) {
				char msg[96];

				r->has_keys = 1;
				if (ld_keys_set(&r->keys, key_names[i], cols[key_cols[i]], msg, sizeof(msg)) < 0) {
					snprintf(err, err_len, "%s:%u: %s", path, lineno, msg);
					memset(line, 0, sizeof(line));
					fclose(f);
					return LD_ERR_FORMAT;
				}
			}
		if (r->keys.k_set != r->keys.opc_set) {
			snprintf(err, err_len, "%s:%u: every key set needs both kN and opcN", path, lineno);
			memset(line, 0, sizeof(line));
			fclose(f);
			return LD_ERR_FORMAT;
		}
		memset(line, 0, sizeof(line)); /* ADM and keys were in it */
		b->n_rows++;
	}
	fclose(f);
	if (!have_header) {
		snprintf(err, err_len, "%s: empty (no header line)", path);
		return LD_ERR_FORMAT;
	}
	return LD_OK;
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
		const char *p;
		int ok;
		if (line[0] == '{') {
			/* JSON line: {"iccid": "...", "status": "ok", ...} */
			p = strstr(line, "\"iccid\": \"");
			if (!p || sscanf(p + 10, "%23[0-9]", iccid) != 1)
				continue;
			ok = strstr(line, "\"status\": \"ok\"") != NULL;
		} else {
			if (sscanf(line, "%23[0-9],", iccid) != 1)
				continue;
			p = line + strlen(iccid);
			ok = strncmp(p, ",ok,", 4) == 0;
		}
		for (i = 0; ok && i < b->n_rows; i++)
			if (!b->rows[i].done && strcmp(b->rows[i].iccid, iccid) == 0) {
				b->rows[i].done = 1;
				marked++;
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

static void log_result(FILE *lf, int json, const char *iccid, const char *status,
		       const struct ld_write_result *r, double secs, const char *detail)
{
	time_t t = time(NULL);
	char when[32];
	struct tm tm;

	if (!lf)
		return;
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (json)
		fprintf(lf,
			"{\"iccid\": \"%s\", \"status\": \"%s\", \"seq\": %u, \"updates\": %zu, "
			"\"apdus\": %lu, \"seconds\": %.3f, \"time\": \"%s\", \"detail\": \"%s\"}\n",
			iccid, status, r ? (unsigned)r->new_seq : 0u, r ? r->n_update : 0,
			r ? r->apdus : 0ul, secs, when, detail);
	else
		fprintf(lf, "%s,%s,%u,%zu,%lu,%.3f,%s,%s\n", iccid, status,
			r ? (unsigned)r->new_seq : 0u, r ? r->n_update : 0, r ? r->apdus : 0ul, secs,
			when, detail);
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
			} else if (row->done) {
				fprintf(stderr, "%smimsi-card: card %s already done: skipped\n",
					tty ? "\n" : "", iccid);
				st->skipped++;
			} else {
				rc = program_card(c, row, o, &r, err, sizeof(err));
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
