/* SPDX-License-Identifier: Apache-2.0 */
/*! \file fuzz_rc_csv.c
 *  The rules compiler's rate-sheet reader, rc_csv_parse (rules-compiler/
 *  rc_csv.c), on any bytes. The input is not NUL-terminated (an exact heap
 *  block), so a read past len is an ASan report.
 *  Properties: 0 exactly when no error is set, else -1 with a message that
 *  starts with the file name; every row accepted is valid (sponsor name,
 *  PLMN in range, price >= 0, known unit, per-GB price consistent with it,
 *  3-letter currency, line number within the file); everything is freed.
 */
#include <string.h>

#include "fuzz.h"
#include "rc.h"

#define FILE_NAME "fuzz.csv"

static void check_row(const struct rc_rate *r, size_t i, long lines)
{
	size_t k, n = strlen(r->sponsor);

	FUZZ_ASSERT(n >= 1u && n < RC_NAME_MAX);
	FUZZ_ASSERT(r->plmn.mcc <= 999u);
	FUZZ_ASSERT(r->plmn.mnc_digits == 2u || r->plmn.mnc_digits == 3u);
	FUZZ_ASSERT(r->plmn.mnc <= (r->plmn.mnc_digits == 2u ? 99u : 999u));
	FUZZ_ASSERT(r->price >= 0);
	if (r->unit == RC_UNIT_GB)
		FUZZ_ASSERT(r->per_gb == r->price);
	else
		FUZZ_ASSERT(r->unit == RC_UNIT_MB && r->per_gb == r->price * RC_MB_PER_GB);
	FUZZ_ASSERT(r->per_gb <= RC_MONEY_MAX);
	FUZZ_ASSERT(strlen(r->currency) == 3u);
	for (k = 0; k < 3u; k++)
		FUZZ_ASSERT(r->currency[k] >= 'A' && r->currency[k] <= 'Z');
	FUZZ_ASSERT(r->file != NULL && strcmp(r->file, FILE_NAME) == 0);
	FUZZ_ASSERT(r->line >= 2 && r->line <= lines);
	FUZZ_ASSERT(r->order == i);
	FUZZ_ASSERT(memchr(r->price_text, '\0', sizeof(r->price_text)) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rc_rates rates;
	rc_error_t err;
	long lines = 1;
	size_t i;
	int rc;

	if (size > 65536u)
		return 0;
	for (i = 0; i < size; i++)
		if (data[i] == '\n')
			lines++;
	memset(&rates, 0, sizeof(rates));
	rc_err_clear(&err);
	rc = rc_csv_parse(FILE_NAME, (const char *)data, size, &rates, &err);
	FUZZ_ASSERT(memchr(err.text, '\0', sizeof(err.text)) != NULL);
	if (rc == 0) {
		FUZZ_ASSERT(!rc_err_isset(&err) && err.text[0] == '\0');
		FUZZ_ASSERT(rates.n <= rates.cap && rates.n_files == 1u);
	} else {
		FUZZ_ASSERT(rc == -1 && rc_err_isset(&err));
		FUZZ_ASSERT(err.kind == RC_EK_NOMEM ||
			    strncmp(err.text, FILE_NAME ":", sizeof(FILE_NAME)) == 0);
	}
	for (i = 0; i < rates.n; i++)
		check_row(&rates.v[i], i, lines);
	rc_rates_free(&rates);
	return 0;
}
