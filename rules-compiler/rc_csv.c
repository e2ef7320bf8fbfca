/* SPDX-License-Identifier: Apache-2.0 */
/* Rate sheets: RFC 4180 CSV with a header row naming the six columns
 * sponsor, mcc, mnc, price, currency, unit (any order, any case).
 * A UTF-8 BOM and CRLF line ends are accepted; quoted fields may hold
 * commas, quotes and line ends; blank lines are skipped. Every error names
 * file:line:column. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mc_csv.h"
#include "mc_ids.h"
#include "rc.h"

enum { COL_SPONSOR, COL_MCC, COL_MNC, COL_PRICE, COL_CURRENCY, COL_UNIT, NCOLS };
static const char *const col_names[NCOLS] = {"sponsor", "mcc", "mnc", "price", "currency", "unit"};

#define CSV_MAX_FIELDS 32
#define CSV_CELL_MAX 128

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

static int csv_header(const char *file, long lineno, const struct mc_csv_row *row, int map[NCOLS],
		      rc_error_t *err)
{
	int c, k;

	for (k = 0; k < NCOLS; k++)
		map[k] = -1;
	for (c = 0; c < (int)row->n; c++) {
		for (k = 0; k < NCOLS; k++)
			if (strcasecmp(row->field[c], col_names[k]) == 0)
				break;
		if (k == NCOLS) {
			rc_err_at(
			    err, file, lineno, row->col[c],
			    "unknown column '%s' (expected sponsor,mcc,mnc,price,currency,unit)",
			    row->field[c]);
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

static int csv_rate(const char *file, long lineno, const struct mc_csv_row *row, const int map[NCOLS],
		    int ncols, struct rc_rates *rates, rc_error_t *err)
{
	struct rc_rate r;
	size_t c;
	const char *mcc, *mnc, *cur, *unit;
	char why[160];

	if ((int)row->n != ncols) {
		rc_err_at(err, file, lineno, (int)row->n > ncols ? row->col[ncols] : 1,
			  "%d fields, the header has %d%s", (int)row->n, ncols,
			  (int)row->n > ncols ? " (a decimal comma? prices use '.')" : "");
		return -1;
	}
	for (c = 0; c < row->n; c++)
		if (strlen(row->field[c]) != row->len[c]) {
			rc_err_at(err, file, row->line[c], row->col[c], "NUL byte in a text file");
			return -1;
		}
	mcc = row->field[map[COL_MCC]];
	mnc = row->field[map[COL_MNC]];
	cur = row->field[map[COL_CURRENCY]];
	unit = row->field[map[COL_UNIT]];
	memset(&r, 0, sizeof(r));
	if (row->field[map[COL_SPONSOR]][0] == '\0') {
		rc_err_at(err, file, lineno, row->col[map[COL_SPONSOR]], "empty sponsor");
		return -1;
	}
	if (strlen(row->field[map[COL_SPONSOR]]) >= RC_NAME_MAX) {
		rc_err_at(err, file, lineno, row->col[map[COL_SPONSOR]],
			  "sponsor name longer than %d characters", RC_NAME_MAX - 1);
		return -1;
	}
	strcpy(r.sponsor, row->field[map[COL_SPONSOR]]);
	if (!mc_is_digits(mcc, 3, 3)) {
		rc_err_at(err, file, lineno, row->col[map[COL_MCC]], "MCC '%s' must be 3 digits",
			  mcc);
		return -1;
	}
	/* '*' prices every network of the MCC (docs/compiler.md, "Rate sheets") */
	r.wild = strcmp(mnc, "*") == 0;
	if (!r.wild && !mc_is_digits(mnc, 2, 3)) {
		rc_err_at(err, file, lineno, row->col[map[COL_MNC]],
			  "MNC '%s' must be 2 or 3 digits, or '*' for every network of the MCC",
			  mnc);
		return -1;
	}
	r.plmn.mcc = (mi_u16)atoi(mcc);
	r.plmn.mnc = r.wild ? 0 : (mi_u16)atoi(mnc);
	r.plmn.mnc_digits = r.wild ? 2 : (mi_u8)strlen(mnc);
	if (rc_money_parse(row->field[map[COL_PRICE]], &r.price, why, sizeof(why)) < 0) {
		rc_err_at(err, file, lineno, row->col[map[COL_PRICE]], "%s", why);
		return -1;
	}
	snprintf(r.price_text, sizeof(r.price_text), "%s", row->field[map[COL_PRICE]]);
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

struct sheet {
	const char *file;
	struct rc_rates *rates;
	rc_error_t *err;
	int map[NCOLS], ncols; /* ncols 0 until the header is read */
};

static int sheet_row(void *ctx, const struct mc_csv_row *row, struct mc_csv_err *cerr)
{
	struct sheet *sh = ctx;

	(void)cerr; /* the compiler's own error carries the message */
	if (sh->ncols == 0) {
		if (csv_header(sh->file, row->line[0], row, sh->map, sh->err) < 0)
			return 1;
		sh->ncols = (int)row->n;
		return 0;
	}
	return csv_rate(sh->file, row->line[0], row, sh->map, sh->ncols, sh->rates, sh->err) < 0;
}

int rc_csv_parse(const char *file, const char *buf, size_t len, struct rc_rates *rates,
		 rc_error_t *err)
{
	/* RFC 4180 by the host tools' one reader (mc_csv.h, on libcsv) */
	static const struct mc_csv_opts opts = {0, 0, CSV_MAX_FIELDS, CSV_CELL_MAX - 1};
	struct sheet sh = {file, rates, err, {0}, 0};
	struct mc_csv_err cerr;
	char **files = realloc(rates->files, (rates->n_files + 1) * sizeof(*files));

	if (files)
		rates->files = files;
	if (!files || !(rates->files[rates->n_files] = strdup(file))) {
		rc_err_io(err, RC_EK_NOMEM, "out of memory");
		return -1;
	}
	rates->n_files++;
	if (mc_csv_read_mem(file, buf, len, &opts, sheet_row, &sh, &cerr) != 0) {
		if (!rc_err_isset(err)) /* a syntax error: cerr names file:line:column */
			rc_err_msg(err, "%s", cerr.text);
		return -1;
	}
	if (sh.ncols == 0) {
		rc_err_at(
		    err, file, 1, 1,
		    "empty file (expected a header row: sponsor,mcc,mnc,price,currency,unit)");
		return -1;
	}
	return 0;
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
