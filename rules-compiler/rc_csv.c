/* SPDX-License-Identifier: Apache-2.0 */
/* Rate sheets: RFC 4180 CSV with a header row naming the six columns
 * sponsor, mcc, mnc, price, currency, unit (any order, any case).
 * A UTF-8 BOM and CRLF line ends are accepted; quoted fields may hold
 * commas; blank lines are skipped. Every error names file:line:column. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rc.h"

enum { COL_SPONSOR, COL_MCC, COL_MNC, COL_PRICE, COL_CURRENCY, COL_UNIT, NCOLS };
static const char *const col_names[NCOLS] = {"sponsor", "mcc", "mnc", "price", "currency", "unit"};

#define CSV_MAX_FIELDS 32
#define CSV_CELL_MAX 128

struct csv_row {
	int n;
	char cell[CSV_MAX_FIELDS][CSV_CELL_MAX];
	long col[CSV_MAX_FIELDS];
};

/* Split one line (without its end) into cells. \returns 0 or -1. */
static int csv_split(const char *file, long lineno, const char *s, size_t len, long col0,
		     struct csv_row *row, rc_error_t *err)
{
	size_t i = 0;

	row->n = 0;
	for (;;) {
		char *out;
		size_t o = 0;

		if (row->n == CSV_MAX_FIELDS) {
			rc_err_at(err, file, lineno, col0 + (long)i, "more than %d fields",
				  CSV_MAX_FIELDS);
			return -1;
		}
		out = row->cell[row->n];
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		row->col[row->n] = col0 + (long)i;
		if (i < len && s[i] == '"') {
			long qcol = col0 + (long)i;

			for (i++;; i++) {
				if (i >= len) {
					rc_err_at(err, file, lineno, qcol,
						  "unterminated quoted field");
					return -1;
				}
				if (s[i] == '"') {
					if (i + 1 < len && s[i + 1] == '"')
						i++;
					else
						break;
				}
				if (o + 1 >= CSV_CELL_MAX) {
					rc_err_at(err, file, lineno, qcol,
						  "field longer than %d characters",
						  CSV_CELL_MAX - 1);
					return -1;
				}
				out[o++] = s[i];
			}
			i++;
			while (i < len && (s[i] == ' ' || s[i] == '\t'))
				i++;
			if (i < len && s[i] != ',') {
				rc_err_at(err, file, lineno, col0 + (long)i,
					  "unexpected character after a quoted field");
				return -1;
			}
		} else {
			while (i < len && s[i] != ',') {
				if (s[i] == '"') {
					rc_err_at(err, file, lineno, col0 + (long)i,
						  "quote inside an unquoted field");
					return -1;
				}
				if (o + 1 >= CSV_CELL_MAX) {
					rc_err_at(err, file, lineno, row->col[row->n],
						  "field longer than %d characters",
						  CSV_CELL_MAX - 1);
					return -1;
				}
				out[o++] = s[i++];
			}
			while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '\t'))
				o--;
		}
		out[o] = '\0';
		row->n++;
		if (i >= len)
			return 0;
		i++; /* the comma */
	}
}

static int digits_only(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static int rates_push(struct rc_rates *r, const struct rc_rate *v, rc_error_t *err)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		struct rc_rate *nv = realloc(r->v, cap * sizeof(*nv));

		if (!nv) {
			rc_err_io(err, RC_EK_NOMEM, "out of memory");
			return -1;
		}
		r->v = nv;
		r->cap = cap;
	}
	r->v[r->n++] = *v;
	return 0;
}

static int csv_header(const char *file, long lineno, const struct csv_row *row, int map[NCOLS],
		      rc_error_t *err)
{
	int c, k;

	for (k = 0; k < NCOLS; k++)
		map[k] = -1;
	for (c = 0; c < row->n; c++) {
		for (k = 0; k < NCOLS; k++)
			if (strcasecmp(row->cell[c], col_names[k]) == 0)
				break;
		if (k == NCOLS) {
			rc_err_at(
			    err, file, lineno, row->col[c],
			    "unknown column '%s' (expected sponsor,mcc,mnc,price,currency,unit)",
			    row->cell[c]);
			return -1;
		}
		if (map[k] >= 0) {
			rc_err_at(err, file, lineno, row->col[c], "column '%s' appears twice",
				  col_names[k]);
			return -1;
		}
		map[k] = c;
	}
	for (k = 0; k < NCOLS; k++)
		if (map[k] < 0) {
			rc_err_at(err, file, lineno, 1, "header lacks the column '%s'",
				  col_names[k]);
			return -1;
		}
	return 0;
}

static int csv_rate(const char *file, long lineno, const struct csv_row *row, const int map[NCOLS],
		    int ncols, struct rc_rates *rates, rc_error_t *err)
{
	struct rc_rate r;
	const char *mcc = row->cell[map[COL_MCC]], *mnc = row->cell[map[COL_MNC]];
	const char *cur = row->cell[map[COL_CURRENCY]], *unit = row->cell[map[COL_UNIT]];
	char why[160];

	if (row->n != ncols) {
		rc_err_at(err, file, lineno, row->n > ncols ? row->col[ncols] : 1,
			  "%d fields, the header has %d%s", row->n, ncols,
			  row->n > ncols ? " (a decimal comma? prices use '.')" : "");
		return -1;
	}
	memset(&r, 0, sizeof(r));
	if (row->cell[map[COL_SPONSOR]][0] == '\0') {
		rc_err_at(err, file, lineno, row->col[map[COL_SPONSOR]], "empty sponsor");
		return -1;
	}
	if (strlen(row->cell[map[COL_SPONSOR]]) >= RC_NAME_MAX) {
		rc_err_at(err, file, lineno, row->col[map[COL_SPONSOR]],
			  "sponsor name longer than %d characters", RC_NAME_MAX - 1);
		return -1;
	}
	strcpy(r.sponsor, row->cell[map[COL_SPONSOR]]);
	if (strlen(mcc) != 3 || !digits_only(mcc)) {
		rc_err_at(err, file, lineno, row->col[map[COL_MCC]], "MCC '%s' must be 3 digits",
			  mcc);
		return -1;
	}
	/* '*' prices every network of the MCC (docs/compiler.md, "Rate sheets") */
	r.wild = strcmp(mnc, "*") == 0;
	if (!r.wild && (strlen(mnc) < 2 || strlen(mnc) > 3 || !digits_only(mnc))) {
		rc_err_at(err, file, lineno, row->col[map[COL_MNC]],
			  "MNC '%s' must be 2 or 3 digits, or '*' for every network of the MCC",
			  mnc);
		return -1;
	}
	r.plmn.mcc = (mi_u16)atoi(mcc);
	r.plmn.mnc = r.wild ? 0 : (mi_u16)atoi(mnc);
	r.plmn.mnc_digits = r.wild ? 2 : (mi_u8)strlen(mnc);
	if (rc_money_parse(row->cell[map[COL_PRICE]], &r.price, why, sizeof(why)) < 0) {
		rc_err_at(err, file, lineno, row->col[map[COL_PRICE]], "%s", why);
		return -1;
	}
	snprintf(r.price_text, sizeof(r.price_text), "%s", row->cell[map[COL_PRICE]]);
	if (strlen(cur) != 3 || !rc_currency_known(cur)) {
		rc_err_at(err, file, lineno, row->col[map[COL_CURRENCY]],
			  "unknown currency '%s' (ISO 4217 code expected, e.g. EUR)", cur);
		return -1;
	}
	memcpy(r.currency, cur, 4);
	if (strcmp(unit, "GB") == 0) {
		r.unit = RC_UNIT_GB;
		r.per_gb = r.price;
	} else if (strcmp(unit, "MB") == 0) {
		r.unit = RC_UNIT_MB;
		if (r.price > RC_MONEY_MAX / RC_MB_PER_GB) {
			rc_err_at(err, file, lineno, row->col[map[COL_PRICE]],
				  "price per MB too large");
			return -1;
		}
		r.per_gb = r.price * RC_MB_PER_GB;
	} else {
		rc_err_at(err, file, lineno, row->col[map[COL_UNIT]], "unit '%s' must be GB or MB",
			  unit);
		return -1;
	}
	r.file = rates->files[rates->n_files - 1];
	r.line = lineno;
	r.col_sponsor = row->col[map[COL_SPONSOR]];
	r.col_price = row->col[map[COL_PRICE]];
	r.col_currency = row->col[map[COL_CURRENCY]];
	r.order = rates->n;
	return rates_push(rates, &r, err);
}

int rc_csv_parse(const char *file, const char *buf, size_t len, struct rc_rates *rates,
		 rc_error_t *err)
{
	size_t pos = 0;
	long lineno = 0;
	int map[NCOLS], have_header = 0, ncols = 0, rc = -1;
	struct csv_row *row = malloc(sizeof(*row));

	char **files = realloc(rates->files, (rates->n_files + 1) * sizeof(*files));

	if (files)
		rates->files = files;
	if (!row || !files || !(rates->files[rates->n_files] = strdup(file))) {
		free(row);
		rc_err_io(err, RC_EK_NOMEM, "out of memory");
		return -1;
	}
	rates->n_files++;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		pos = 3; /* UTF-8 BOM written by spreadsheet exports */
	while (pos < len) {
		size_t end = pos, n;
		long col0 = 1;

		while (end < len && buf[end] != '\n')
			end++;
		n = end - pos;
		if (n > 0 && buf[pos + n - 1] == '\r')
			n--;
		lineno++;
		if (memchr(buf + pos, '\0', n)) {
			rc_err_at(err, file, lineno, 1, "NUL byte in a text file");
			goto out;
		}
		if (n > 0) {
			size_t i;

			for (i = 0; i < n && (buf[pos + i] == ' ' || buf[pos + i] == '\t'); i++)
				;
			if (i < n) {
				if (csv_split(file, lineno, buf + pos, n, col0, row, err) < 0)
					goto out;
				if (!have_header) {
					if (csv_header(file, lineno, row, map, err) < 0)
						goto out;
					have_header = 1;
					ncols = row->n;
				} else if (csv_rate(file, lineno, row, map, ncols, rates, err) <
					   0) {
					goto out;
				}
			}
		}
		pos = end + 1;
	}
	if (!have_header) {
		rc_err_at(
		    err, file, 1, 1,
		    "empty file (expected a header row: sponsor,mcc,mnc,price,currency,unit)");
		goto out;
	}
	rc = 0;
out:
	free(row);
	return rc;
}

int rc_csv_load(const char *path, struct rc_rates *rates, rc_error_t *err)
{
	size_t len;
	char *buf = rc_read_file(path, &len, err);
	int rc;

	if (!buf)
		return -1;
	rc = rc_csv_parse(path, buf, len, rates, err);
	free(buf);
	return rc;
}

void rc_rates_free(struct rc_rates *rates)
{
	size_t i;

	for (i = 0; i < rates->n_files; i++)
		free(rates->files[i]);
	free(rates->files);
	free(rates->v);
	memset(rates, 0, sizeof(*rates));
}
