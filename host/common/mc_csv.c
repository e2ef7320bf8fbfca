/* SPDX-License-Identifier: Apache-2.0 */
/* RFC 4180 CSV on libcsv. libcsv does the quoting rules; this file adds what
 * it lacks: the line and column of every field (libcsv reports none), the
 * UTF-8 BOM, comment lines, limits and messages that name the place. The
 * input is fed to libcsv one byte at a time so that each callback knows the
 * exact position it fired at. */
#include "mc_csv.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct reader {
	struct csv_parser p;
	const char *file;
	struct mc_csv_opts o;
	mc_csv_row_fn fn;
	void *ctx;
	struct mc_csv_err *err;
	char **field;
	size_t *len;
	long *fline, *fcol;
	size_t n, cap, index;
	unsigned long long pos; /* bytes seen, for the BOM */
	long line, col;		/* of the byte being fed */
	long start_line, start_col;
	int need_start, at_row_start, in_comment;
	int stop; /* non-zero: the value mc_csv_read_* returns */
};

static void err_vset(struct mc_csv_err *err, const char *file, long line, long col,
		     const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
static void err_vset(struct mc_csv_err *err, const char *file, long line, long col,
		     const char *fmt, va_list ap)
{
	int k;

	if (!err || err->text[0])
		return;
	err->line = line;
	err->col = col;
	if (line > 0)
		k = snprintf(err->text, sizeof(err->text), "%s:%ld:%ld: ", file, line, col);
	else
		k = snprintf(err->text, sizeof(err->text), "%s: ", file);
	if (k < 0 || (size_t)k >= sizeof(err->text))
		return;
	vsnprintf(err->text + k, sizeof(err->text) - (size_t)k, fmt, ap);
}

void mc_csv_err_at(struct mc_csv_err *err, const char *file, long line, long col,
		   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(err, file, line, col, fmt, ap);
	va_end(ap);
}

void mc_csv_err_field(struct mc_csv_err *err, const struct mc_csv_row *row, size_t i,
		      const char *fmt, ...)
{
	va_list ap;
	long line = 0, col = 0;

	if (i < row->n) {
		line = row->line[i];
		col = row->col[i];
	} else if (row->n > 0) {
		/* a missing field: point just after the last one */
		line = row->line[row->n - 1];
		col = row->col[row->n - 1] + (long)row->len[row->n - 1] + 1;
	}
	va_start(ap, fmt);
	err_vset(err, row->file, line, col, fmt, ap);
	va_end(ap);
}

int mc_csv_column(const struct mc_csv_row *header, const char *name)
{
	size_t i;

	for (i = 0; i < header->n; i++)
		if (strcasecmp(header->field[i], name) == 0)
			return (int)i;
	return -1;
}

static void row_clear(struct reader *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		/* a row may carry keys: wipe before freeing */
		memset(r->field[i], 0, r->len[i]);
		free(r->field[i]);
	}
	r->n = 0;
}

static void on_field(void *s, size_t len, void *data)
{
	struct reader *r = data;
	char *copy;

	if (r->stop)
		return;
	if (r->n == r->o.max_fields) {
		mc_csv_err_at(r->err, r->file, r->line, r->col, "more than %zu fields in a row",
			      r->o.max_fields);
		r->stop = -1;
		return;
	}
	if (len > r->o.max_field_len) {
		mc_csv_err_at(r->err, r->file, r->start_line, r->start_col,
			      "field longer than %zu bytes", r->o.max_field_len);
		r->stop = -1;
		return;
	}
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 16;
		char **f = realloc(r->field, nc * sizeof(*f));
		size_t *l = f ? realloc(r->len, nc * sizeof(*l)) : NULL;
		long *fl = l ? realloc(r->fline, nc * sizeof(*fl)) : NULL;
		long *fc = fl ? realloc(r->fcol, nc * sizeof(*fc)) : NULL;

		if (f)
			r->field = f;
		if (l)
			r->len = l;
		if (fl)
			r->fline = fl;
		if (!fc) {
			mc_csv_err_at(r->err, r->file, 0, 0, "out of memory");
			r->stop = -1;
			return;
		}
		r->fcol = fc;
		r->cap = nc;
	}
	copy = malloc(len + 1);
	if (!copy) {
		mc_csv_err_at(r->err, r->file, 0, 0, "out of memory");
		r->stop = -1;
		return;
	}
	if (len)
		memcpy(copy, s, len);
	copy[len] = '\0';
	r->field[r->n] = copy;
	r->len[r->n] = len;
	if (r->need_start) { /* empty field: it is where its delimiter is */
		r->fline[r->n] = r->line;
		r->fcol[r->n] = r->col;
	} else {
		r->fline[r->n] = r->start_line;
		r->fcol[r->n] = r->start_col;
	}
	r->n++;
	r->need_start = 1;
}

static void on_row(int c, void *data)
{
	struct reader *r = data;
	struct mc_csv_row row;

	(void)c;
	if (r->stop)
		goto done;
	/* a line of blanks only: libcsv gives one empty field */
	if (r->n == 0 || (r->n == 1 && r->len[0] == 0))
		goto done;
	row.file = r->file;
	row.index = r->index++;
	row.n = r->n;
	row.field = r->field;
	row.len = r->len;
	row.line = r->fline;
	row.col = r->fcol;
	r->stop = r->fn(r->ctx, &row, r->err);
	if (r->stop && !r->err->text[0])
		mc_csv_err_field(r->err, &row, 0, "row refused");
done:
	row_clear(r);
	r->need_start = 1;
	r->at_row_start = 1;
}

static void feed(struct reader *r, const unsigned char *buf, size_t len)
{
	size_t i = 0;

	if (r->pos == 0 && len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
		i = 3; /* UTF-8 BOM */
	r->pos += len;
	for (; i < len && !r->stop; i++) {
		unsigned char b = buf[i];

		/* columns count UTF-8 characters; a stray continuation byte at
		 * the start of a line still counts as one */
		if ((b & 0xC0) != 0x80 || r->col == 0)
			r->col++;
		if (r->in_comment) {
			if (b == '\n')
				r->in_comment = 0;
		} else if (r->at_row_start && r->o.comments && b == '#') {
			r->in_comment = 1;
		} else {
			if (r->need_start && b != ' ' && b != '\t' && b != '\r' && b != '\n') {
				r->start_line = r->line;
				r->start_col = r->col;
				r->need_start = 0;
			}
			if (b != '\r' && b != '\n')
				r->at_row_start = 0;
			if (csv_parse(&r->p, &b, 1, on_field, on_row, r) != 1) {
				mc_csv_err_at(r->err, r->file, r->line, r->col,
					      "%s (a quote inside an unquoted field, or text after "
					      "a closing quote: quote the field and double its quotes)",
					      csv_error(&r->p) == CSV_EPARSE ? "malformed field"
									     : csv_strerror(csv_error(&r->p)));
				r->stop = -1;
			}
		}
		if (b == '\n') {
			r->line++;
			r->col = 0;
		}
	}
}

static int reader_init(struct reader *r, const char *file, const struct mc_csv_opts *opts,
		       mc_csv_row_fn fn, void *ctx, struct mc_csv_err *err)
{
	memset(r, 0, sizeof(*r));
	memset(err, 0, sizeof(*err));
	r->file = file;
	if (opts)
		r->o = *opts;
	if (!r->o.max_fields)
		r->o.max_fields = 256;
	if (!r->o.max_field_len)
		r->o.max_field_len = 4096;
	r->fn = fn;
	r->ctx = ctx;
	r->err = err;
	r->line = 1;
	r->need_start = 1;
	r->at_row_start = 1;
	if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		mc_csv_err_at(err, file, 0, 0, "out of memory");
		return -1;
	}
	if (r->o.delim)
		csv_set_delim(&r->p, r->o.delim);
	return 0;
}

static int reader_finish(struct reader *r)
{
	if (!r->stop && csv_fini(&r->p, on_field, on_row, r) != 0 && !r->stop) {
		mc_csv_err_at(r->err, r->file, r->start_line, r->start_col,
			      "unterminated quoted field (the closing quote is missing)");
		r->stop = -1;
	}
	row_clear(r);
	csv_free(&r->p);
	free(r->field);
	free(r->len);
	free(r->fline);
	free(r->fcol);
	return r->stop;
}

int mc_csv_read_mem(const char *name, const char *buf, size_t len, const struct mc_csv_opts *opts,
		    mc_csv_row_fn fn, void *ctx, struct mc_csv_err *err)
{
	struct reader r;

	if (reader_init(&r, name, opts, fn, ctx, err) < 0)
		return -1;
	feed(&r, (const unsigned char *)buf, len);
	return reader_finish(&r);
}

int mc_csv_read_file(const char *path, const struct mc_csv_opts *opts, mc_csv_row_fn fn,
		     void *ctx, struct mc_csv_err *err)
{
	struct reader r;
	unsigned char buf[65536];
	FILE *f;
	size_t n;
	int std = strcmp(path, "-") == 0;

	if (reader_init(&r, std ? "<stdin>" : path, opts, fn, ctx, err) < 0)
		return -1;
	f = std ? stdin : fopen(path, "rb");
	if (!f) {
		mc_csv_err_at(err, path, 0, 0, "cannot open: %s", strerror(errno));
		csv_free(&r.p);
		return -1;
	}
	while (!r.stop && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		feed(&r, buf, n);
	if (!r.stop && ferror(f)) {
		mc_csv_err_at(err, r.file, 0, 0, "read error: %s", strerror(errno));
		r.stop = -1;
	}
	if (!std)
		fclose(f);
	memset(buf, 0, sizeof(buf));
	return reader_finish(&r);
}
